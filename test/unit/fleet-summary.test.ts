import { describe, expect, it } from 'vitest';
import { certificateExpiry } from '../../src/docker/parse/swarm.js';
import { certDeadline, fleetSummary, sortWorstFirst, SEVERITY } from '../../src/store/selectors/fleet.js';
import { toleratesNowOf } from '../../src/store/selectors/health.js';
import { clusterState, makeManager, makeNode, makeService, makeSwarm, sampleCluster } from '../fixtures/cluster.js';

const NOW = Date.UTC(2026, 10, 24);
const DAY = 24 * 3600_000;

describe('toleratesNow', () => {
  it('is reachable minus quorum, never below zero', () => {
    expect(toleratesNowOf(3, 3)).toBe(1);
    expect(toleratesNowOf(2, 3)).toBe(0);
    expect(toleratesNowOf(1, 3)).toBe(0);
    expect(toleratesNowOf(5, 5)).toBe(2);
    expect(toleratesNowOf(4, 5)).toBe(1);
    expect(toleratesNowOf(0, 0)).toBe(0);
  });
});

describe('fleet summary of one context', () => {
  it('a healthy swarm: every figure, no problem', () => {
    const s = fleetSummary(sampleCluster(), NOW);
    expect(s).toMatchObject({
      status: 'live', known: true, leader: 'm1', managers: 3, managersReachable: 3, quorum: 2, toleratesNow: 1,
      nodes: 4, nodesReady: 4, services: 2, servicesConverged: 2, servicesUpdating: 0, lockedManagers: 0,
      caRotation: false, engineVersions: ['20.10.24'], severity: SEVERITY.ok, problems: [],
    });
  });

  it('one of three managers unreachable: no manager may fail any more', () => {
    const nodes = [makeManager('m1', true), makeManager('m2'), makeManager('m3', false, { manager: { leader: false, reachability: 'unreachable', addr: '' }, state: 'down' })];
    const s = fleetSummary(clusterState({ nodes }), NOW);
    expect(s.toleratesNow).toBe(0);
    expect(s.severity).toBe(SEVERITY.bad);
    expect(s.problems).toEqual(['no manager may fail', '1 node not ready']);
  });

  it('stale data is the worst, whatever it last showed', () => {
    const base = sampleCluster();
    const s = fleetSummary({ ...base, connection: { ...base.connection, status: 'reconnecting', staleSince: NOW - 5000, error: 'gone' } }, NOW);
    expect(s.severity).toBe(SEVERITY.down);
    expect(s.problems[0]).toBe('stale');
  });

  it('flags mixed engine versions, updating and unconverged services, CA rotation and locked managers', () => {
    const nodes = [makeManager('m1', true), makeNode({ id: 'w1', engineVersion: '24.0.7', tlsIssuerPublicKey: 'old' })];
    const services = [makeService({ id: 'a', runningTasks: 1, desiredTasks: 3, updateStatus: { state: 'updating', startedAt: 1, completedAt: 0, message: '' } })];
    const state = clusterState({ nodes, services, swarm: makeSwarm({ rootRotationInProgress: true }) });
    const s = fleetSummary({ ...state, connection: { ...state.connection, lockedEndpoints: ['unix:///m2.sock'] } }, NOW);
    expect(s.engineVersions).toEqual(['20.10.24', '24.0.7']);
    expect(s.nodesOnCurrentCa).toBe(1);
    expect(s.problems).toEqual(['1 manager locked', '1 service not converged', '1 updating', 'CA rotation 1/2', 'mixed engine versions']);
  });

  it('certificates: the root CA, and the latest a down node can still hold a valid one', () => {
    const swarm = makeSwarm({ caExpiresAt: NOW + 3650 * DAY, nodeCertExpiryNs: 90 * DAY * 1e6 });
    const down = makeNode({ id: 'w9', hostname: 'w9', state: 'down', updatedAt: NOW - 80 * DAY });
    expect(certDeadline(swarm, [makeNode({ id: 'w1' })])).toEqual({ at: NOW + 3650 * DAY, what: 'root CA' });
    expect(certDeadline(swarm, [down])).toEqual({ at: NOW + 10 * DAY, what: 'node w9 (down)' });
    const s = fleetSummary(clusterState({ nodes: [makeManager('m1', true), down], swarm }), NOW);
    expect(s.problems).toContain('node w9 (down) certificate expires soon');
    expect(certificateExpiry('not a certificate')).toBe(0);
  });

  it('sorts worst first, then by name', () => {
    const rows = [{ context: 'b', severity: SEVERITY.ok }, { context: 'a', severity: SEVERITY.ok }, { context: 'z', severity: SEVERITY.down }, { context: 'c', severity: SEVERITY.warn }] as const;
    expect(sortWorstFirst(rows).map((r) => r.context)).toEqual(['z', 'c', 'a', 'b']);
  });
});
