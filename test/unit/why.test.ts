import { describe, expect, it } from 'vitest';
import type { TaskModel } from '../../src/store/model.js';
import { parseConstraint, meets } from '../../src/store/selectors/constraints.js';
import { selectWhy, selectWhyTexts } from '../../src/store/selectors/why.js';
import { clusterState, makeManager, makeNode, makeService, makeTask, sampleCluster } from '../fixtures/cluster.js';

const GiB = 2 ** 30;
const nodes = [makeManager('m1', true, { hostname: 'lab-m1' }), makeManager('m2', false, { hostname: 'lab-m2' }), makeManager('m3', false, { hostname: 'lab-m3' }), makeNode({ id: 'w1', hostname: 'lab-w1' }), makeNode({ id: 'w2', hostname: 'lab-w2' })];
const pending = (id: string, serviceId: string, err: string, slot = 1): TaskModel => makeTask({ id, serviceId, slot, state: 'pending', err, nodeId: null });
const MIN = 60_000;

describe('why a service is not converged', () => {
  it('says nothing for a converged service', () => {
    const s = sampleCluster();
    expect(selectWhy(s, 'web')).toBeNull();
    expect(selectWhyTexts(s).size).toBe(0);
  });

  it('a constraint no node meets: how many nodes match, of how many', () => {
    const svc = makeService({ id: 'gpu', constraints: ['node.labels.gpu==yes'], runningTasks: 0, desiredTasks: 1 });
    const s = clusterState({ nodes, services: [svc], tasks: [pending('t1', 'gpu', 'no suitable node (scheduling constraints not satisfied on 5 nodes)')] });
    expect(selectWhy(s, 'gpu')?.summary).toBe('no suitable node (constraint node.labels.gpu==yes: 0 of 5 nodes match)');
  });

  it('matching nodes that are all drained or down are named as such', () => {
    const labelled = nodes.map((n) => (n.id === 'w1' ? { ...n, labels: { gpu: 'yes' }, availability: 'drain' as const } : n));
    const svc = makeService({ id: 'gpu', constraints: ['node.labels.gpu == yes', 'node.role!=manager'], runningTasks: 0, desiredTasks: 1 });
    const s = clusterState({ nodes: labelled, services: [svc], tasks: [pending('t1', 'gpu', 'no suitable node (scheduling constraints not satisfied on 4 nodes; 1 node not available for new tasks)')] });
    const why = selectWhy(s, 'gpu');
    expect(why?.summary).toBe('no suitable node (constraint node.labels.gpu == yes: 1 of 5 nodes match, none of them ready and active)');
    expect(why?.reasons[1]).toBe('no suitable node (1 node not available for new tasks: drained, paused or down)');
  });

  it('insufficient resources: what is reserved and the largest free on an eligible node', () => {
    const big = makeService({ id: 'db', reservations: { memoryBytes: 4 * GiB, nanoCpus: 0 }, runningTasks: 0, desiredTasks: 1 });
    const other = makeService({ id: 'cache', reservations: { memoryBytes: 3 * GiB, nanoCpus: 1e9 }, runningTasks: 5, desiredTasks: 5 });
    const sized = nodes.map((n) => ({ ...n, memoryBytes: 4 * GiB }));
    // Every node but lab-m2 runs a cache task (3 GiB reserved): lab-m2 has the most free, 4 GiB is still not 4 GiB + room.
    const cacheTasks = sized.filter((n) => n.id !== 'm2').map((n, i) => makeTask({ id: `c${i}`, serviceId: 'cache', slot: i + 1, nodeId: n.id }));
    const half = sized.map((n) => (n.id === 'm2' ? { ...n, memoryBytes: 2 * GiB } : n));
    const s = clusterState({ nodes: half, services: [big, other], tasks: [...cacheTasks, pending('t1', 'db', 'no suitable node (insufficient resources on 5 nodes)')] });
    expect(selectWhy(s, 'db')?.summary).toBe('insufficient resources (memory 4 GiB reserved, largest free 2 GiB on lab-m2)');
  });

  it('an image no node has: which image, on which nodes', () => {
    const svc = makeService({ id: 'x', image: 'local/x:9', runningTasks: 0, desiredTasks: 1 });
    const tasks = ['m1', 'm2', 'w1'].map((n, i) => makeTask({ id: `r${i}`, serviceId: 'x', nodeId: n, state: 'rejected', desiredState: i === 2 ? 'running' : 'shutdown', err: 'No such image: local/x:9', stateSince: 10 * MIN + i }));
    const s = clusterState({ nodes, services: [svc], tasks });
    expect(selectWhy(s, 'x')?.summary).toBe('image local/x:9 not found on lab-m1, lab-m2, lab-w1');
  });

  it('a crash loop on every node (an image problem) with its count, window and exit code', () => {
    const svc = makeService({ id: 'web', mode: { kind: 'replicated', replicas: 2 }, runningTasks: 0, desiredTasks: 2 });
    const tasks = Array.from({ length: 14 }, (_, i) => makeTask({ id: `f${i}`, serviceId: 'web', slot: (i % 2) + 1, nodeId: nodes[i % 5]!.id, state: 'failed', desiredState: 'shutdown', exitCode: 3, err: 'task: non-zero exit (3)', stateSince: 100 * MIN + i * 20_000 }));
    const s = clusterState({ nodes, services: [svc], tasks });
    expect(selectWhy(s, 'web')?.summary).toBe('crash loop: 14 failures in 4 min, exit code 3, on every node');
  });

  it('failures on one node while the others run it: a node problem', () => {
    const svc = makeService({ id: 'web', mode: { kind: 'replicated', replicas: 3 }, runningTasks: 2, desiredTasks: 3 });
    const tasks = [
      makeTask({ id: 'ok1', serviceId: 'web', slot: 1, nodeId: 'm1', stateSince: 50 * MIN }),
      makeTask({ id: 'ok2', serviceId: 'web', slot: 2, nodeId: 'm2', stateSince: 50 * MIN }),
      ...[0, 1, 2].map((i) => makeTask({ id: `f${i}`, serviceId: 'web', slot: 3, nodeId: 'w2', state: 'failed', desiredState: 'shutdown', exitCode: 137, err: 'task: non-zero exit (137)', stateSince: 100 * MIN + i * MIN })),
    ];
    const s = clusterState({ nodes, services: [svc], tasks });
    expect(selectWhy(s, 'web')?.summary).toBe('crash loop: 3 failures in 2 min, exit code 137, failures only on lab-w2');
  });

  /** A service of `replicas` slots mid-update to busybox:2, the first `updated` slots already on it (those in `state`). */
  function midUpdate(replicas: number, updated: number, state: 'paused' | 'updating', policy: { delayNs: number; maxFailureRatio: number }, newTaskState: TaskModel['state']) {
    const svc = makeService({
      id: 'api', image: 'local/busybox:2', mode: { kind: 'replicated', replicas }, runningTasks: replicas - (newTaskState === 'running' ? 0 : updated), desiredTasks: replicas,
      updateConfig: { parallelism: 1, failureAction: 'pause', monitorNs: 5e9, order: 'stop-first', ...policy },
      updateStatus: { state, startedAt: 10 * MIN, completedAt: 0, message: state === 'paused' ? 'update paused due to failure or early termination of task abc' : 'update in progress' },
    });
    const tasks = Array.from({ length: replicas }, (_, i) => i + 1).map((slot) => makeTask({
      id: `t${slot}`, serviceId: 'api', slot, nodeId: 'm1', createdAt: slot <= updated ? 11 * MIN : 1,
      image: slot <= updated ? 'local/busybox:2' : 'local/busybox:1', state: slot <= updated ? newTaskState : 'running',
    }));
    return clusterState({ nodes, services: [svc], tasks });
  }

  it('an update paused on failures: how far it got and why', () => {
    const s = midUpdate(6, 2, 'paused', { delayNs: 0, maxFailureRatio: 0.2 }, 'starting');
    expect(selectWhy(s, 'api')?.summary).toBe('update paused: 2 of 6 updated, failure ratio exceeded (20% allowed)');
  });

  it('between two batches of an update: waiting for the update delay', () => {
    const s = midUpdate(3, 1, 'updating', { delayNs: 30e9, maxFailureRatio: 0 }, 'running');
    expect(selectWhy(s, 'api')?.summary).toBe('waiting for update delay 30s (1 of 3 updated)');
    // A batch still starting is not waiting for the delay.
    expect(selectWhy(midUpdate(3, 1, 'updating', { delayNs: 30e9, maxFailureRatio: 0 }, 'starting'), 'api')?.reasons).toEqual(['update in progress: 1 of 3 updated', '1 task starting (starting)']);
  });

  it('max_replicas_per_node: the limit, the eligible nodes and the replicas wanted', () => {
    const svc = makeService({ id: 'one', mode: { kind: 'replicated', replicas: 5 }, maxReplicasPerNode: 1, constraints: ['node.role==manager'], runningTasks: 3, desiredTasks: 5 });
    const s = clusterState({ nodes, services: [svc], tasks: [pending('p1', 'one', 'no suitable node (max replicas per node limit exceed; scheduling constraints not satisfied on 2 nodes)', 4)] });
    const why = selectWhy(s, 'one');
    expect(why?.summary).toBe('max_replicas_per_node 1 with 3 eligible nodes for 5 replicas');
    expect(why?.reasons).toContain('no suitable node (constraint node.role==manager: 3 of 5 nodes match)');
  });

  it('is memoized: the same answer object while the service, its tasks and the nodes are unchanged', () => {
    const svc = makeService({ id: 'gpu', constraints: ['node.labels.gpu==yes'], runningTasks: 0, desiredTasks: 1 });
    const s = clusterState({ nodes, services: [svc], tasks: [pending('t1', 'gpu', 'no suitable node (scheduling constraints not satisfied on 5 nodes)')] });
    expect(selectWhy(s, 'gpu')).toBe(selectWhy({ ...s, revision: 9 }, 'gpu'));
    const texts = selectWhyTexts(s);
    expect(selectWhyTexts({ ...s, tasksByService: new Map(s.tasksByService) })).toBe(texts);
  });
});

describe('placement constraints as swarmkit reads them', () => {
  it('compares without case, and an unset label as ""', () => {
    const n = makeNode({ id: 'a', hostname: 'Lab-W1', labels: { zone: 'EU' } });
    expect(meets(n, parseConstraint('node.hostname==lab-w1')!)).toBe(true);
    expect(meets(n, parseConstraint('node.labels.zone==eu')!)).toBe(true);
    expect(meets(n, parseConstraint('node.labels.gpu!=yes')!)).toBe(true);
    expect(meets(n, parseConstraint('node.labels.gpu==')!)).toBe(true);
    expect(meets(n, parseConstraint('node.ip==10.0.0.0/8')!)).toBeNull();
    expect(parseConstraint('nonsense')).toBeNull();
  });
});
