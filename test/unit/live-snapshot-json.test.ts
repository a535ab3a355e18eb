import { describe, expect, it } from 'vitest';
import { snapshotJson } from '../../src/cli/snapshot-json.js';
import { runSnapshot } from '../../src/cli/snapshot.js';
import { makeManager, sampleCluster } from '../fixtures/cluster.js';
import { reduce } from '../../src/store/reducer.js';

describe('snapshot JSON', () => {
  it('summarizes swarm health, nodes, services, tasks and stacks', () => {
    const j = snapshotJson(sampleCluster());
    expect(j.swarm).toMatchObject({ leader: 'm1', managers: 3, managersReachable: 3, quorum: 2, hasQuorum: true, faultTolerance: 1, toleratesNow: 1, nodes: 4 });
    expect(j.nodes.map((n) => [n.hostname, n.managerStatus, n.availability])).toEqual([
      ['m1', 'Leader', 'active'], ['m2', 'Reachable', 'active'], ['m3', 'Reachable', 'active'], ['w1', '', 'active'],
    ]);
    expect(j.services.map((s) => [s.name, s.replicas])).toEqual([['agent', '4/4'], ['web', '2/2']]);
    expect(j.tasks).toHaveLength(6);
    expect(j.tasks.find((t) => t.id === 't2')).toMatchObject({ service: 'web', node: 'w1', slot: 2 });
    expect(j.secrets).toEqual([expect.objectContaining({ name: 'db-pass', usedBy: ['web'] })]);
    expect(j.stacks).toEqual([expect.objectContaining({ name: 'shop', services: ['web'], secrets: 1 })]);
  });

  it('prints the CA issuer as text, as the swarm pane does, not as base64 DER', () => {
    const base = sampleCluster();
    if (!base.swarm) throw new Error('fixture has no swarm');
    const j = snapshotJson({ ...base, swarm: { ...base.swarm, certIssuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh' } });
    expect(j.swarm.certIssuerSubject).toBe('CN=swarm-ca');
    expect(snapshotJson({ ...base, swarm: { ...base.swarm, certIssuerSubject: '' } }).swarm.certIssuerSubject).toBeNull();
  });

  it('shows an unreachable manager and the lost fault tolerance', () => {
    const s = reduce(sampleCluster(), { type: 'upsert', kind: 'node', item: makeManager('m3', false, { state: 'down', manager: { leader: false, reachability: 'unreachable', addr: '' } }) });
    const j = snapshotJson(s);
    // Nominally one loss is tolerated; with one manager already unreachable, none more.
    expect(j.swarm).toMatchObject({ managersReachable: 2, hasQuorum: true, faultTolerance: 1, toleratesNow: 0 });
    expect(j.nodes.find((n) => n.id === 'm3')?.managerStatus).toBe('Unreachable');
  });

  it('reports every manager that failed and exits 1', async () => {
    let out = '';
    let err = '';
    const code = await runSnapshot(
      { context: 'x', endpoints: [{ kind: 'unix', socketPath: '/nonexistent/a.sock' }, { kind: 'ssh', host: 'h' }], readOnly: true, theme: null, insecure: false },
      (e) => (e.kind === 'unix' ? import('../../src/docker/connection.js').then((m) => m.openUnixSocket(e.socketPath)) : Promise.reject(new Error('no ssh here'))),
      { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) },
    );
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('unix:///nonexistent/a.sock');
    expect(err).toContain('ssh://h: no ssh here');
  });
});
