import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  list, parseConfig, parseEngine, parseNetwork, parseNode, parseSecret, parseService, parseSwarm, parseTask,
} from '../../src/docker/parse/index.js';

/** Payloads recorded from the lab's engines (join tokens replaced by fakes). */
const payloads = JSON.parse(readFileSync(new URL('./fixtures/live-engine-payloads.json', import.meta.url), 'utf8')) as Record<string, unknown>;

describe('parsers on real engine payloads', () => {
  it('parses nodes: role, availability, state and manager status', () => {
    const nodes = list(payloads['nodes'], parseNode);
    expect(nodes).toHaveLength(4);
    const managers = nodes.filter((n) => n.manager !== null);
    expect(managers).toHaveLength(3);
    expect(managers.filter((n) => n.manager?.leader)).toHaveLength(1);
    expect(managers.every((n) => n.role === 'manager' && n.manager?.reachability === 'reachable')).toBe(true);
    const worker = nodes.find((n) => n.manager === null);
    expect(worker).toMatchObject({ role: 'worker', availability: 'active', state: 'ready', hostname: 'lab-w1' });
    expect(worker?.version).toBeGreaterThan(0);
    expect(worker?.createdAt).toBeGreaterThan(Date.parse('2020-01-01'));
    expect(worker?.engineVersion).not.toBe('');
    expect(worker?.tlsIssuerSubject).not.toBe('');
  });

  it('parses a replicated service mid-update with status, previous spec and references', () => {
    const services = list(payloads['svcs'], parseService);
    const web = services.find((s) => s.name === 'live-fx-web');
    expect(web).toBeDefined();
    expect(web).toMatchObject({
      image: 'local/busybox:2',
      previousImage: 'local/busybox:1',
      hasPreviousSpec: true,
      mode: { kind: 'replicated', replicas: 2 },
      stack: 'shop',
      runningTasks: 2,
      desiredTasks: 2,
      constraints: ['node.role==manager'],
      secretNames: ['live-fx-secret'],
      configNames: ['live-fx-config'],
      ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 18080, publishMode: 'ingress' }],
    });
    expect(web?.updateStatus?.state).toBe('updating');
    expect(web?.updateConfig).toMatchObject({ parallelism: 1, delayNs: 1e9, failureAction: 'pause', order: 'stop-first' });
    expect(web?.rollbackConfig).toBeNull();
    // the overlay network from the spec plus ingress (published port) from the virtual IPs
    expect(web?.networkIds).toHaveLength(2);
    const global = services.find((s) => s.name === 'live-fx-global');
    expect(global?.mode).toEqual({ kind: 'global' });
    expect(global?.stack).toBeNull();
    expect(global?.hasPreviousSpec).toBe(false);
  });

  it('parses tasks with slot, node and container status', () => {
    const tasks = list(payloads['tasks'], parseTask);
    expect(tasks.length).toBeGreaterThan(0);
    for (const t of tasks) {
      expect(t.serviceId).not.toBe('');
      expect(t.image).toMatch(/^local\/busybox:/);
      expect(t.stateSince).toBeGreaterThan(0);
    }
    expect(tasks.some((t) => t.slot === null)).toBe(true); // global tasks
    expect(tasks.some((t) => t.state === 'running' && t.containerId !== null)).toBe(true);
  });

  it('parses secrets, configs and networks', () => {
    expect(list(payloads['secrets'], parseSecret)).toEqual([
      expect.objectContaining({ name: 'live-fx-secret', stack: null, driver: '' }),
    ]);
    expect(list(payloads['configs'], parseConfig)).toEqual([expect.objectContaining({ name: 'live-fx-config' })]);
    const nets = list(payloads['networks'], parseNetwork);
    const overlay = nets.find((n) => n.name === 'live-fx-net');
    expect(overlay).toMatchObject({ driver: 'overlay', scope: 'swarm', attachable: true, ingress: false });
    expect(overlay?.subnets.length).toBeGreaterThan(0);
    expect(nets.find((n) => n.name === 'ingress')?.ingress).toBe(true);
  });

  it('keeps only the presence of join tokens, never their values', () => {
    const swarm = parseSwarm(payloads['swarm']);
    expect(swarm).toMatchObject({ hasWorkerToken: true, hasManagerToken: true, autolockManagers: false, rootRotationInProgress: false });
    expect(swarm?.trustRoot).toContain('BEGIN CERTIFICATE');
    expect(swarm?.taskHistoryLimit).toBe(5);
    expect(JSON.stringify(swarm)).not.toContain('SWMTKN');
    expect(parseSwarm({ ID: 'x', JoinTokens: { Worker: '', Manager: 7 } })).toMatchObject({ hasWorkerToken: false, hasManagerToken: false });
  });

  it('parses the engine from /info and /version', () => {
    const e = parseEngine(payloads['info'], payloads['version']);
    expect(e.controlAvailable).toBe(true);
    expect(e.localNodeState).toBe('active');
    expect(e.managers).toBe(3);
    expect(e.nodes).toBe(4);
    expect(e.apiVersion).toMatch(/^1\.\d+$/);
    expect(e.nodeId).not.toBe('');
  });
});

describe('parsers on malformed input', () => {
  it('drops objects without an ID and defaults every missing field', () => {
    for (const parse of [parseNode, parseService, parseTask, parseSecret, parseConfig, parseNetwork, parseSwarm]) {
      expect(parse(null)).toBeNull();
      expect(parse({})).toBeNull();
      expect(parse({ ID: '' })).toBeNull();
      expect(parse([1, 2])).toBeNull();
    }
    expect(parseNode({ ID: 'n1' })).toMatchObject({ id: 'n1', role: 'worker', availability: 'active', state: 'unknown', manager: null, labels: {} });
    expect(parseService({ ID: 's1' })).toMatchObject({ mode: { kind: 'replicated', replicas: 1 }, runningTasks: null, updateStatus: null, secretIds: [] });
    expect(parseTask({ ID: 't1' })).toBeNull(); // no service to group it under
    expect(parseTask({ ID: 't1', ServiceID: 's1', Slot: 'x', Status: 5 })).toMatchObject({ slot: null, state: 'new', stateSince: 0, exitCode: null });
    expect(parseNetwork({ Id: 'n', IPAM: { Config: [{ Subnet: 3 }, null] } })).toMatchObject({ subnets: [] });
  });

  it('ignores wrong types inside otherwise valid objects', () => {
    const svc = parseService({
      ID: 's', Spec: { Name: 5, Labels: { a: 'b', c: 1 }, Mode: { Replicated: { Replicas: 'x' } }, TaskTemplate: { ContainerSpec: { Secrets: [null, { SecretID: 'x' }] } } },
      UpdateStatus: { State: 'exploded' }, CreatedAt: 'yesterday', ServiceStatus: { RunningTasks: Infinity },
    });
    expect(svc).toMatchObject({ name: '', labels: { a: 'b' }, mode: { kind: 'replicated', replicas: 1 }, updateStatus: null, createdAt: 0, runningTasks: null, secretIds: ['x'] });
    expect(parseNode({ ID: 'n', Spec: { Role: 'MANAGER', Availability: 'Drain' }, CreatedAt: '0001-01-01T00:00:00Z' })).toMatchObject({ role: 'manager', availability: 'drain', createdAt: 0 });
    expect(list('nope', parseNode)).toEqual([]);
    expect(parseEngine('x', null)).toMatchObject({ name: '', controlAvailable: false, localNodeState: '' });
  });

  it('recognizes every service mode', () => {
    const mode = (m: unknown) => parseService({ ID: 's', Spec: { Mode: m } })?.mode;
    expect(mode({ Global: {} })).toEqual({ kind: 'global' });
    expect(mode({ GlobalJob: {} })).toEqual({ kind: 'global-job' });
    expect(mode({ ReplicatedJob: { MaxConcurrent: 2, TotalCompletions: 6 } })).toEqual({ kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 6 });
    expect(mode({ Replicated: { Replicas: 0 } })).toEqual({ kind: 'replicated', replicas: 0 });
  });
});
