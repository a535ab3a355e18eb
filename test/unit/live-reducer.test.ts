import { describe, expect, it, vi } from 'vitest';
import { reduce, type ClusterMessage, type Snapshot } from '../../src/store/reducer.js';
import { createStore } from '../../src/store/store.js';
import { emptyState } from '../../src/store/state.js';
import {
  makeConfig, makeManager, makeNetwork, makeNode, makeSecret, makeService, makeSwarm, makeTask, sampleCluster,
} from '../fixtures/cluster.js';

function snapshot(o: Partial<Snapshot> = {}): Snapshot {
  return { engine: null, swarm: makeSwarm(), nodes: [], services: [], tasks: [], secrets: [], configs: [], networks: [], ...o };
}

const nodes = [makeManager('m1', true), makeNode({ id: 'w1' })];
const services = [makeService({ id: 'web' }), makeService({ id: 'db' })];
const tasks = [makeTask({ id: 't1', serviceId: 'web', nodeId: 'm1' }), makeTask({ id: 't2', serviceId: 'db', nodeId: 'w1' })];

describe('reducer', () => {
  it('loads a snapshot and bumps the revision', () => {
    const s = reduce(emptyState(), { type: 'snapshot', snapshot: snapshot({ nodes, services, tasks }), at: 5 });
    expect(s.revision).toBe(1);
    expect([...s.nodes.keys()]).toEqual(['m1', 'w1']);
    expect(s.tasksByService.get('web')?.get('t1')?.nodeId).toBe('m1');
    expect(s.syncedAt).toBe(5);
  });

  it('keeps identities when an equal snapshot arrives', () => {
    const a = reduce(emptyState(), { type: 'snapshot', snapshot: snapshot({ nodes, services, tasks }), at: 5 });
    const copy = JSON.parse(JSON.stringify({ nodes, services, tasks })) as Pick<Snapshot, 'nodes' | 'services' | 'tasks'>;
    const b = reduce(a, { type: 'snapshot', snapshot: snapshot(copy), at: 5 });
    expect(b).toBe(a);
    const c = reduce(a, { type: 'snapshot', snapshot: snapshot(copy), at: 6 });
    expect(c.revision).toBe(2);
    expect(c.nodes).toBe(a.nodes);
    expect(c.services).toBe(a.services);
    expect(c.tasksByService).toBe(a.tasksByService);
  });

  it('replaces only what changed in a snapshot', () => {
    const a = reduce(emptyState(), { type: 'snapshot', snapshot: snapshot({ nodes, services, tasks }), at: 5 });
    const b = reduce(a, { type: 'snapshot', snapshot: snapshot({ nodes: [nodes[0]!, makeNode({ id: 'w1', availability: 'drain' })], services, tasks: [] }), at: 5 });
    expect(b.nodes).not.toBe(a.nodes);
    expect(b.nodes.get('m1')).toBe(a.nodes.get('m1'));
    expect(b.nodes.get('w1')?.availability).toBe('drain');
    expect(b.services).toBe(a.services);
    expect(b.tasksByService.size).toBe(0);
  });

  it('upserts and removes each kind; equal upserts change nothing', () => {
    let s = sampleCluster();
    const r0 = s.revision;
    s = reduce(s, { type: 'upsert', kind: 'secret', item: makeSecret({ id: 's1', name: 'db-pass', stack: 'shop' }) });
    expect(s.revision).toBe(r0);
    s = reduce(s, { type: 'upsert', kind: 'config', item: makeConfig({ id: 'c1' }) });
    s = reduce(s, { type: 'upsert', kind: 'network', item: makeNetwork({ id: 'n1' }) });
    s = reduce(s, { type: 'upsert', kind: 'node', item: makeNode({ id: 'w2' }) });
    expect(s.revision).toBe(r0 + 3);
    expect(s.configs.has('c1') && s.networks.has('n1') && s.nodes.has('w2')).toBe(true);
    const before = s.services;
    s = reduce(s, { type: 'remove', kind: 'service', id: 'web' });
    expect(s.services.has('web')).toBe(false);
    expect(s.tasksByService.has('web')).toBe(false);
    expect(s.services).not.toBe(before);
    const same = reduce(s, { type: 'remove', kind: 'service', id: 'nope' });
    expect(same).toBe(s);
  });

  it('replaces the tasks of one service, keeping the other services untouched', () => {
    const s = sampleCluster();
    const agent = s.tasksByService.get('agent');
    const next = reduce(s, { type: 'serviceTasks', serviceId: 'web', tasks: [makeTask({ id: 't3', serviceId: 'web', slot: 1, nodeId: 'm2' })] });
    expect([...(next.tasksByService.get('web')?.keys() ?? [])]).toEqual(['t3']);
    expect(next.tasksByService.get('agent')).toBe(agent);
    const empty = reduce(next, { type: 'serviceTasks', serviceId: 'web', tasks: [] });
    expect(empty.tasksByService.has('web')).toBe(false);
    // foreign tasks in the list are ignored
    const foreign = reduce(empty, { type: 'serviceTasks', serviceId: 'web', tasks: [makeTask({ id: 'x', serviceId: 'agent' })] });
    expect(foreign).toBe(empty);
  });

  it('shows tasks only under services it holds (a removed service\'s tasks linger in the engine)', () => {
    const s = reduce(emptyState(), { type: 'snapshot', snapshot: snapshot({ services: [services[0]!], tasks }), at: 1 });
    expect([...s.tasksByService.keys()]).toEqual(['web']);
    const removed = reduce(s, { type: 'remove', kind: 'service', id: 'web' });
    const late = reduce(removed, { type: 'serviceTasks', serviceId: 'web', tasks: [tasks[0]!] });
    expect(late).toBe(removed);
    expect(reduce(removed, { type: 'nodeTasks', nodeId: 'm1', tasks: [tasks[0]!] })).toBe(removed);
  });

  it('replaces the tasks on one node across services', () => {
    const s = sampleCluster();
    const next = reduce(s, { type: 'nodeTasks', nodeId: 'w1', tasks: [makeTask({ id: 'g3', serviceId: 'agent', slot: null, nodeId: 'w1', state: 'shutdown' })] });
    expect(next.tasksByService.get('web')?.has('t2')).toBe(false);
    expect(next.tasksByService.get('web')?.has('t1')).toBe(true);
    expect(next.tasksByService.get('agent')?.get('g3')?.state).toBe('shutdown');
    expect(next.tasksByService.get('agent')?.get('g0')).toBe(s.tasksByService.get('agent')?.get('g0'));
    const again = reduce(next, { type: 'nodeTasks', nodeId: 'w1', tasks: [makeTask({ id: 'g3', serviceId: 'agent', slot: null, nodeId: 'w1', state: 'shutdown' })] });
    expect(again).toBe(next);
  });

  it('tracks connection status and staleness', () => {
    const s = sampleCluster();
    const stale = reduce(s, { type: 'connection', patch: { status: 'reconnecting', staleSince: 10, error: 'engine unreachable' } });
    expect(stale.connection).toMatchObject({ status: 'reconnecting', staleSince: 10, error: 'engine unreachable', endpoint: s.connection.endpoint });
    expect(reduce(stale, { type: 'connection', patch: { status: 'reconnecting' } })).toBe(stale);
  });

  it('applies a batch with one revision bump', () => {
    const s = sampleCluster();
    const next = reduce(s, {
      type: 'batch',
      messages: [
        { type: 'upsert', kind: 'node', item: makeNode({ id: 'w9' }) },
        { type: 'remove', kind: 'secret', id: 's1' },
        { type: 'swarm', swarm: makeSwarm({ rootRotationInProgress: true }) },
      ],
    });
    expect(next.revision).toBe(s.revision + 1);
    expect(next.swarm?.rootRotationInProgress).toBe(true);
    expect(reduce(next, { type: 'swarm', swarm: makeSwarm({ rootRotationInProgress: true }) })).toBe(next);
    expect(reduce(next, { type: 'batch', messages: [] })).toBe(next);
  });
});

describe('store', () => {
  it('notifies listeners once per batch, and not at all when nothing changed', () => {
    const store = createStore(sampleCluster());
    const listener = vi.fn();
    const unsubscribe = store.subscribe(listener);
    store.dispatch([
      { type: 'upsert', kind: 'node', item: makeNode({ id: 'a' }) },
      { type: 'upsert', kind: 'node', item: makeNode({ id: 'b' }) },
    ]);
    expect(listener).toHaveBeenCalledTimes(1);
    store.dispatch({ type: 'upsert', kind: 'node', item: makeNode({ id: 'a' }) });
    expect(listener).toHaveBeenCalledTimes(1);
    unsubscribe();
    store.dispatch({ type: 'remove', kind: 'node', id: 'a' });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getState().nodes.has('a')).toBe(false);
  });

  it('keeps notifying other listeners when one throws', () => {
    const store = createStore();
    const good = vi.fn();
    store.subscribe(() => {
      throw new Error('boom');
    });
    store.subscribe(good);
    store.dispatch({ type: 'connection', patch: { status: 'live' } });
    expect(good).toHaveBeenCalledTimes(1);
  });
});

describe('batches', () => {
  it('a batch ends in the same state as its messages applied one by one, without touching the input', () => {
    const base = reduce(emptyState(), {
      type: 'snapshot', at: 1,
      snapshot: {
        engine: null, swarm: makeSwarm(), secrets: [], configs: [], networks: [],
        nodes: [makeNode({ id: 'n1' }), makeNode({ id: 'n2' })],
        services: [makeService({ id: 's1' }), makeService({ id: 's2' })],
        tasks: [makeTask({ id: 't1', serviceId: 's1', nodeId: 'n1' }), makeTask({ id: 't2', serviceId: 's2', nodeId: 'n2' })],
      },
    });
    const frozen = JSON.stringify([...base.nodes.keys(), ...base.services.keys(), ...base.tasksByService.keys()]);
    const msgs: ClusterMessage[] = [
      { type: 'upsert', kind: 'node', item: makeNode({ id: 'n1', availability: 'drain' }) },
      { type: 'upsert', kind: 'node', item: makeNode({ id: 'n3' }) },
      { type: 'remove', kind: 'node', id: 'n2' },
      { type: 'serviceTasks', serviceId: 's1', tasks: [makeTask({ id: 't3', serviceId: 's1', nodeId: 'n1' })] },
      { type: 'nodeTasks', nodeId: 'n2', tasks: [] },
      { type: 'upsert', kind: 'service', item: makeService({ id: 's3' }) },
      { type: 'serviceTasks', serviceId: 's3', tasks: [makeTask({ id: 't4', serviceId: 's3' })] },
      { type: 'remove', kind: 'service', id: 's1' },
      { type: 'upsert', kind: 'node', item: makeNode({ id: 'n1', availability: 'active' }) },
      { type: 'connection', patch: { status: 'live' } },
    ];
    const batched = reduce(base, { type: 'batch', messages: msgs });
    const oneByOne = msgs.reduce((s, m) => reduce(s, m), base);
    const plain = (s: typeof base): unknown => ({
      nodes: [...s.nodes], services: [...s.services], tasks: [...s.tasksByService].map(([k, v]) => [k, [...v]]), connection: s.connection,
    });
    expect(plain(batched)).toEqual(plain(oneByOne));
    expect(batched.revision).toBe(base.revision + 1);
    expect(JSON.stringify([...base.nodes.keys(), ...base.services.keys(), ...base.tasksByService.keys()])).toBe(frozen);
    expect(reduce(batched, { type: 'batch', messages: msgs.slice(5, 6) })).toBe(batched);
  });
});
