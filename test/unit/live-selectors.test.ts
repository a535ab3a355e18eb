import { describe, expect, it } from 'vitest';
import { selectStacks, selectStackServices } from '../../src/store/selectors/stacks.js';
import { selectNodeTasks, selectServiceTasks, selectTasksByNode } from '../../src/store/selectors/tasks.js';
import { selectUsedBy, servicesUsing } from '../../src/store/selectors/used-by.js';
import { replicaText } from '../../src/store/selectors/replicas.js';
import { reduce } from '../../src/store/reducer.js';
import { clusterState, makeConfig, makeNetwork, makeSecret, makeService, makeTask, sampleCluster } from '../fixtures/cluster.js';

describe('selectors', () => {
  it('groups stacks by namespace with their secrets, configs and networks', () => {
    const s = clusterState({
      services: [
        makeService({ id: 'a', name: 'shop_web', stack: 'shop' }),
        makeService({ id: 'b', name: 'shop_db', stack: 'shop', runningTasks: 0 }),
        makeService({ id: 'c', name: 'loose' }),
      ],
      secrets: [makeSecret({ id: 's', stack: 'shop' })],
      networks: [makeNetwork({ id: 'n', stack: 'mon' })],
      configs: [makeConfig({ id: 'c' })],
    });
    const stacks = selectStacks(s);
    expect(stacks.map((x) => x.name)).toEqual(['mon', 'shop']);
    expect(stacks[1]).toMatchObject({ secrets: 1, configs: 0, networks: 0, servicesConverged: 1 });
    expect(stacks[1]?.services.map((x) => x.name)).toEqual(['shop_db', 'shop_web']);
    expect(selectStacks(s)).toBe(stacks);
    expect(selectStackServices(s, 'none')).toEqual([]);
  });

  it('lists tasks by node and by service, memoized on the task slice', () => {
    const s = sampleCluster();
    const byNode = selectTasksByNode(s);
    expect(byNode.get('w1')?.map((t) => t.id).sort()).toEqual(['g3', 't2']);
    expect(selectNodeTasks(s, 'nowhere')).toEqual([]);
    expect(selectServiceTasks(s, 'web').map((t) => t.id)).toEqual(['t1', 't2']);
    const unrelated = reduce(s, { type: 'remove', kind: 'secret', id: 's1' });
    expect(selectTasksByNode(unrelated)).toBe(byNode);
    const moved = reduce(s, { type: 'serviceTasks', serviceId: 'web', tasks: [makeTask({ id: 't9', serviceId: 'web', nodeId: 'm3' })] });
    expect(selectTasksByNode(moved)).not.toBe(byNode);
  });

  it('finds the services using a secret, config or network', () => {
    const s = clusterState({
      services: [
        makeService({ id: 'a', secretIds: ['s1'], configIds: ['c1'], networkIds: ['n1', 'n2'] }),
        makeService({ id: 'b', secretIds: ['s1', 's1'], networkIds: ['n2'] }),
      ],
    });
    expect(servicesUsing(s, 'secrets', 's1').map((x) => x.id)).toEqual(['a', 'b']);
    expect(servicesUsing(s, 'configs', 'c1').map((x) => x.id)).toEqual(['a']);
    expect(servicesUsing(s, 'networks', 'n2')).toHaveLength(2);
    expect(servicesUsing(s, 'configs', 'zzz')).toEqual([]);
    expect(selectUsedBy(s)).toBe(selectUsedBy(s));
  });

  it('prints replicas like docker service ls', () => {
    expect(replicaText(makeService({ id: 'a', runningTasks: 1, desiredTasks: 3 }))).toBe('1/3');
    expect(replicaText(makeService({ id: 'g', mode: { kind: 'global' }, runningTasks: 4, desiredTasks: 4 }))).toBe('4/4');
    expect(replicaText(makeService({ id: 'u', mode: { kind: 'replicated', replicas: 2 }, runningTasks: null, desiredTasks: null }))).toBe('?/2');
    expect(replicaText(makeService({ id: 'j', mode: { kind: 'replicated-job', maxConcurrent: 2, totalCompletions: 5 }, runningTasks: 2, desiredTasks: 2, completedTasks: 1 }))).toBe('2/2 (1/5 completed)');
  });
});
