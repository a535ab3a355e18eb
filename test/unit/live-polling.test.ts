import { describe, expect, it } from 'vitest';
import { Pending } from '../../src/docker/live/pending.js';
import { Tracked } from '../../src/docker/live/tracked.js';
import { backoffDelay, DEFAULT_TIMING } from '../../src/docker/live/timing.js';
import type { SwarmEvent } from '../../src/docker/api/events.js';
import { makeNode, makeService, makeSwarm, makeTask } from '../fixtures/cluster.js';

const ev = (o: Partial<SwarmEvent> & Pick<SwarmEvent, 'kind' | 'id'>): SwarmEvent => ({ action: 'update', name: '', attributes: {}, since: '1.0', at: 1000, ...o });

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
