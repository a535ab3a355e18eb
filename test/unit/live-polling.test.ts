import { describe, expect, it } from 'vitest';
import { Pending } from '../../src/docker/live/pending.js';
import { Tracked } from '../../src/docker/live/tracked.js';
import { backoffDelay, DEFAULT_TIMING } from '../../src/docker/live/timing.js';
import { pollBudgetAfter } from '../../src/docker/live/session.js';
import type { SwarmEvent } from '../../src/docker/api/events.js';
import { makeNode, makeService, makeSwarm, makeTask } from '../fixtures/cluster.js';

const ev = (o: Partial<SwarmEvent> & Pick<SwarmEvent, 'kind' | 'id'>): SwarmEvent => ({ action: 'update', name: '', attributes: {}, since: '1.0', at: 1000, ...o });

/** Runs the poll tick every second from `from` to `to`, answering every poll with `answer(id)` read at that time; when each service was polled. */
function tick(t: Tracked, from: number, to: number, answer: (id: string) => ReturnType<typeof makeTask>[]): Map<string, number[]> {
  const polled = new Map<string, number[]>();
  for (let now = from; now <= to; now += 1000) {
    const due = t.converging(now);
    for (const id of due) polled.set(id, [...(polled.get(id) ?? []), now]);
    t.ingest(due.map((id) => ({ type: 'serviceTasks' as const, serviceId: id, tasks: answer(id) })), now);
  }
  return polled;
}

describe('pending work', () => {
  it('coalesces a burst of events into one set of re-reads', () => {
    const p = new Pending();
    expect(p.empty).toBe(true);
    for (let i = 0; i < 50; i++) p.addEvent(ev({ kind: 'service', id: 's1' }));
    p.addEvent(ev({ kind: 'secret', id: 'x', action: 'create' }));
    p.addEvent(ev({ kind: 'secret', id: 'x', action: 'remove' }));
    p.addEvent(ev({ kind: 'node', id: 'n1' }));
    const work = p.take();
    expect(p.empty).toBe(true);
    expect([...(work.reread.get('service') ?? [])]).toEqual(['s1']);
    expect(work.reread.get('secret')?.size ?? 0).toBe(0);
    expect([...(work.removed.get('secret') ?? [])]).toEqual(['x']);
    expect([...work.serviceTasks]).toEqual(['s1']);
    expect([...work.nodeTasks]).toEqual(['n1']);
    expect(work.allServices).toBe(true); // a node change moves tasks and running counts
  });
});

describe('what is polled', () => {
  it('polls tasks only of services that converge, update, or have tasks in transition', () => {
    const t = new Tracked(5);
    t.ingest([{
      type: 'snapshot', at: 1,
      snapshot: {
        engine: null, swarm: makeSwarm(), secrets: [], configs: [], networks: [], nodes: [makeNode({ id: 'n1' })],
        services: [
          makeService({ id: 'calm' }),
          makeService({ id: 'scaling', runningTasks: 1, desiredTasks: 3 }),
          makeService({ id: 'rolling', updateStatus: { state: 'updating', startedAt: 0, completedAt: 0, message: '' } }),
          makeService({ id: 'stopping' }),
        ],
        tasks: [makeTask({ id: 'a', serviceId: 'stopping', desiredState: 'shutdown', state: 'running' })],
      },
    }]);
    expect(t.converging(100).sort()).toEqual(['rolling', 'scaling', 'stopping']);
    t.ingest([{ type: 'serviceTasks', serviceId: 'stopping', tasks: [makeTask({ id: 'a', serviceId: 'stopping', desiredState: 'shutdown', state: 'shutdown' })] }]);
    t.ingest([{ type: 'batch', messages: [{ type: 'upsert', kind: 'service', item: makeService({ id: 'scaling', runningTasks: 3, desiredTasks: 3 }) }] }]);
    // still polled while they settle, then no more
    expect(t.converging(105).sort()).toEqual(['rolling', 'scaling', 'stopping']);
    expect(t.converging(106)).toEqual(['rolling']);
    t.ingest([{ type: 'remove', kind: 'service', id: 'rolling' }]);
    expect(t.converging(107)).toEqual([]);
    expect([...t.nodeIds()]).toEqual(['n1']);
  });

  it('backs off from immediate to the maximum', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffDelay(n, DEFAULT_TIMING))).toEqual([0, 250, 500, 1000, 2000]);
  });
});

describe('adaptive task polling', () => {
  const pending = (id: string, n = 2): ReturnType<typeof makeTask>[] =>
    Array.from({ length: n }, (_, i) => makeTask({ id: `${id}-t${i}`, serviceId: id, desiredState: 'running', state: 'pending', version: 1 }));
  const stuck = makeService({ id: 'stuck', runningTasks: 0, desiredTasks: 2 });
  const other = makeService({ id: 'other', runningTasks: 0, desiredTasks: 2 });
  const start = (): Tracked => {
    const t = new Tracked(10_000, 1000, 30_000);
    t.ingest([{
      type: 'snapshot', at: 0,
      snapshot: { engine: null, swarm: makeSwarm(), secrets: [], configs: [], networks: [], nodes: [makeNode({ id: 'n1' })], services: [stuck, other], tasks: [...pending('stuck'), ...pending('other')] },
    }]);
    return t;
  };

  it('doubles the interval of a service whose tasks never change, up to the maximum', () => {
    const t = start();
    const polled = tick(t, 1000, 200_000, (id) => pending(id));
    expect(polled.get('stuck')?.slice(0, 7)).toEqual([1000, 3000, 7000, 15_000, 31_000, 61_000, 91_000]);
    expect(t.pollIntervalOf('stuck')).toBe(30_000);
    // about 10 polls in 200 s instead of 200
    expect(polled.get('stuck')?.length).toBeLessThanOrEqual(11);
  });

  it('goes back to fast polling when a poll shows a change', () => {
    const t = start();
    tick(t, 1000, 100_000, (id) => pending(id));
    expect(t.pollIntervalOf('stuck')).toBe(30_000);
    const changed = pending('stuck').map((x, i) => (i === 0 ? { ...x, version: 2, state: 'assigned' as const } : x));
    // The next poll of 'stuck' sees a change: it polls every second again, 'other' stays slow.
    const polled = tick(t, 101_000, 140_000, (id) => (id === 'stuck' ? changed : pending(id)));
    const times = polled.get('stuck') ?? [];
    const firstChange = times[0] ?? 0;
    expect(times).toContain(firstChange + 1000);
    expect(t.pollIntervalOf('other')).toBe(30_000);
    expect(polled.get('other')?.length).toBeLessThanOrEqual(2);
  });

  it('goes back to fast polling on an event for the service or a node event touching it', () => {
    const t = start();
    tick(t, 1000, 100_000, (id) => pending(id));
    // A service event: its re-read shows new counts.
    t.ingest([{ type: 'upsert', kind: 'service', item: { ...stuck, desiredTasks: 3, version: 2 } }]);
    expect(t.pollIntervalOf('stuck')).toBe(1000);
    expect(t.converging(100_500)).toEqual(['stuck']);
    expect(t.pollIntervalOf('other')).toBe(30_000);
    // The same service read again, unchanged (the heartbeat): no wake-up.
    tick(t, 101_000, 200_000, (id) => pending(id));
    t.ingest([{ type: 'upsert', kind: 'service', item: { ...stuck, desiredTasks: 3, version: 2 } }]);
    expect(t.pollIntervalOf('stuck')).toBe(30_000);
    // A node event: the node's task list names services with tasks there.
    t.ingest([{ type: 'nodeTasks', nodeId: 'n1', tasks: [makeTask({ id: 'x', serviceId: 'other', nodeId: 'n1', state: 'pending', desiredState: 'running' })] }]);
    expect(t.pollIntervalOf('other')).toBe(1000);
    expect(t.pollIntervalOf('stuck')).toBe(30_000);
  });

  it('keeps backed-off intervals across a resync that finds nothing new', () => {
    const t = start();
    tick(t, 1000, 100_000, (id) => pending(id));
    t.ingest([{
      type: 'snapshot', at: 100_000,
      snapshot: { engine: null, swarm: makeSwarm(), secrets: [], configs: [], networks: [], nodes: [makeNode({ id: 'n1' })], services: [stuck, other], tasks: [...pending('stuck'), ...pending('other', 3)] },
    }]);
    expect(t.pollIntervalOf('stuck')).toBe(30_000);
    expect(t.pollIntervalOf('other')).toBe(1000); // its task list changed
  });

  it('stops polling a service that converged, after the settle period', () => {
    const t = start();
    t.ingest([{ type: 'upsert', kind: 'service', item: { ...stuck, runningTasks: 2 } }]);
    const running = pending('stuck').map((x) => ({ ...x, state: 'running' as const, version: 3 }));
    const polled = tick(t, 1000, 60_000, (id) => (id === 'stuck' ? running : pending(id)));
    expect(Math.max(...(polled.get('stuck') ?? []))).toBeLessThanOrEqual(12_000);
  });
});

describe('task poll budget', () => {
  it('holds back backed-off services while over budget, never urgent or settling ones', () => {
    const stuck = makeService({ id: 'stuck', runningTasks: 0, desiredTasks: 1 });
    const t = new Tracked(10_000, 1000, 30_000);
    const task = makeTask({ id: 'a', serviceId: 'stuck', state: 'pending', desiredState: 'running' });
    t.ingest([{ type: 'snapshot', at: 0, snapshot: { engine: null, swarm: makeSwarm(), secrets: [], configs: [], networks: [], nodes: [], services: [stuck], tasks: [task] } }]);
    // Just read by the snapshot: not urgent, so the budget holds it back.
    expect(t.converging(1000, false)).toEqual([]);
    expect(t.converging(1000, true)).toEqual(['stuck']);
    t.ingest([{ type: 'serviceTasks', serviceId: 'stuck', tasks: [task] }]);
    expect(t.converging(5000, false)).toEqual([]);
    // An event wakes it: polled at once, budget or not.
    t.ingest([{ type: 'upsert', kind: 'service', item: { ...stuck, desiredTasks: 2 } }]);
    expect(t.converging(5000, false)).toEqual(['stuck']);
    // Converged: the settle period polls at the base rate whatever the budget.
    t.ingest([{ type: 'upsert', kind: 'service', item: { ...stuck, desiredTasks: 2, runningTasks: 2 } }]);
    const running = [makeTask({ id: 'a', serviceId: 'stuck', state: 'running', desiredState: 'running', version: 2 })];
    t.ingest([{ type: 'serviceTasks', serviceId: 'stuck', tasks: running }]);
    expect(t.converging(6000, false)).toEqual(['stuck']);
    t.ingest([{ type: 'serviceTasks', serviceId: 'stuck', tasks: running }]);
    expect(t.converging(7000, false)).toEqual(['stuck']);
  });
});

describe('parked services (tasks that only wait for a node)', () => {
  const waiting = (id: string, n = 3): ReturnType<typeof makeTask>[] =>
    Array.from({ length: n }, (_, i) => makeTask({ id: `${id}-t${i}`, serviceId: id, desiredState: 'running', state: 'pending', version: 1 }));
  const parkMs = 30_000;
  const start = (services: ReturnType<typeof makeService>[], tasks: ReturnType<typeof makeTask>[]): Tracked => {
    const t = new Tracked(10_000, 1000, 30_000, parkMs);
    t.ingest([{ type: 'snapshot', at: 0, snapshot: { engine: null, swarm: makeSwarm(), secrets: [], configs: [], networks: [], nodes: [makeNode({ id: 'n1' })], services, tasks } }], 0);
    return t;
  };
  const stuck = makeService({ id: 'stuck', runningTasks: 0, desiredTasks: 3 });

  it('are no longer polled once seen unchanged for parkAfterMs (the snapshot counts as the first look)', () => {
    const t = start([stuck], waiting('stuck'));
    const polled = tick(t, 1000, 600_000, (id) => waiting(id));
    // Polled while the unchanged span is shorter than 30 s (1, 3, 7, 15, 31 s), then never again.
    expect(polled.get('stuck')).toEqual([1000, 3000, 7000, 15_000, 31_000]);
    expect(t.isParked('stuck')).toBe(true);
  });

  it('are polled once when woken by a change of their counts, an event, or any node event, then park again', () => {
    const t = start([stuck], waiting('stuck'));
    tick(t, 1000, 100_000, (id) => waiting(id));
    // The heartbeat's service list with new counts (one task ran and died).
    t.ingest([{ type: 'upsert', kind: 'service', item: { ...stuck, version: 2, completedTasks: 1 } }], 100_500);
    expect(tick(t, 101_000, 200_000, (id) => waiting(id)).get('stuck')).toEqual([101_000]);
    // A node changed (labels, availability, a new node): tasks may be placed now.
    t.nodeChanged();
    expect(tick(t, 201_000, 300_000, (id) => waiting(id)).get('stuck')).toEqual([201_000]);
    // ...and when they were placed, the service polls fast again until it settles.
    t.nodeChanged();
    const placed = waiting('stuck').map((x) => ({ ...x, state: 'assigned' as const, nodeId: 'n1', version: 2 }));
    const polled = tick(t, 301_000, 310_000, (id) => (id === 'stuck' ? placed : waiting(id)));
    expect(polled.get('stuck')?.slice(0, 2)).toEqual([301_000, 302_000]);
    expect(t.isParked('stuck')).toBe(false);
  });

  it('a node change unparks them within the poll budget, not past it (a flapping node is no poll storm)', () => {
    const t = start([stuck], waiting('stuck'));
    tick(t, 1000, 100_000, (id) => waiting(id));
    t.nodeChanged();
    expect(t.isParked('stuck')).toBe(false);
    expect(t.converging(100_500, false)).toEqual([]);
    expect(t.converging(101_000, true)).toEqual(['stuck']);
    t.ingest([{ type: 'serviceTasks', serviceId: 'stuck', tasks: waiting('stuck') }], 101_000);
    expect(t.isParked('stuck')).toBe(true);
  });

  it('never parks a service with a task on its way (assigned, preparing, starting) or one that is updating', () => {
    const moving = makeService({ id: 'moving', runningTasks: 0, desiredTasks: 2 });
    const updating = makeService({ id: 'updating', runningTasks: 0, desiredTasks: 2, updateStatus: { state: 'updating', startedAt: 0, completedAt: 0, message: '' } });
    const onTheWay = [...waiting('moving', 1), makeTask({ id: 'moving-p', serviceId: 'moving', desiredState: 'running', state: 'preparing', version: 1 })];
    const t = start([moving, updating], [...onTheWay, ...waiting('updating', 2)]);
    const polled = tick(t, 1000, 300_000, (id) => (id === 'moving' ? onTheWay : waiting(id)));
    expect(t.isParked('moving')).toBe(false);
    expect(polled.get('moving')?.length).toBeGreaterThan(10);
    expect(polled.get('updating')?.length).toBeGreaterThan(10);
  });

  it('a transient pending (tasks that move on within seconds) is not parked', () => {
    const scaling = makeService({ id: 'scaling', runningTasks: 0, desiredTasks: 3 });
    const t = start([scaling], waiting('scaling'));
    // Each poll shows a new version of a pending task (rescheduled, new message): never unchanged for 30 s.
    let v = 1;
    const polled = tick(t, 1000, 120_000, (id) => waiting(id).map((x) => ({ ...x, version: ++v })));
    expect(t.isParked('scaling')).toBe(false);
    expect(polled.get('scaling')?.length).toBeGreaterThan(100);
  });
});

describe('the poll budget adds costs up', () => {
  const t = { pollShare: 0.002, taskPollMaxMs: 30_000 };
  it('a cheap poll after an expensive read does not shorten the wait the expensive one set', () => {
    // The first snapshot of 50,000 tasks cost 1.2 s of CPU: backed-off polls wait (bounded to 300 s).
    const afterSnapshot = pollBudgetAfter(0, 5000, 1200, t);
    expect(afterSnapshot).toBe(5000 + 300_000);
    // An urgent poll of one updating service a second later (37 ms) only adds its own share.
    expect(pollBudgetAfter(afterSnapshot, 6000, 37, t)).toBe(6000 + 300_000);
    const early = pollBudgetAfter(0, 5000, 100, t); // 50 s
    expect(pollBudgetAfter(early, 6000, 10, t)).toBe(5000 + 50_000 + 5000);
  });
  it('starts from now once the last wait is over', () => {
    expect(pollBudgetAfter(1000, 60_000, 20, t)).toBe(60_000 + 10_000);
  });
});
