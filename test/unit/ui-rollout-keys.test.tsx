import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { clusterState, makeService, makeTask, sampleCluster } from '../fixtures/cluster.js';
import { renderApp, testAction, tick, type Calls } from './ui-support.js';

afterEach(() => cleanup());

/** A replicated service whose update paused with slot 1 on the new image and slots 2, 3 still on the old one. */
function pausedUpdate() {
  const base = sampleCluster();
  return clusterState({
    nodes: [...base.nodes.values()],
    services: [makeService({
      id: 'api', image: 'local/busybox:2', previousImage: 'local/busybox:1', hasPreviousSpec: true,
      mode: { kind: 'replicated', replicas: 3 }, desiredTasks: 3, runningTasks: 3,
      updateStatus: { state: 'paused', startedAt: 5, completedAt: 0, message: 'update paused due to failure or early termination of task x' },
    })],
    tasks: [
      makeTask({ id: 'n1', serviceId: 'api', slot: 1, nodeId: 'm1', image: 'local/busybox:2', createdAt: 10 }),
      makeTask({ id: 'o2', serviceId: 'api', slot: 2, nodeId: 'm2', createdAt: 1 }),
      makeTask({ id: 'o3', serviceId: 'api', slot: 3, nodeId: 'w1', createdAt: 1 }),
    ],
  });
}

describe('rollout view', () => {
  it('r shows one row per slot, the update state and message, and the keys to roll back or resume; R and U act on the service', async () => {
    const calls: Calls = { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
    const rollback = testAction({ id: 'service.rollback', label: 'Roll back', key: 'R', targets: 'service' }, calls);
    const resume = testAction({ id: 'service.resume', label: 'Resume', key: 'U', targets: 'service' }, calls);
    const app = renderApp(pausedUpdate(), { actions: [rollback, resume], height: 40 });
    await tick();
    await app.press('r');
    const f = app.frame();
    expect(f).toContain('Tasks of service api (rollout)');
    expect(f).toContain('api  paused: update paused due to failure');
    expect(f).toContain('overall progress: 1 out of 3 tasks');
    expect(f).toMatch(/1\/3\s+running\s+\[=+\] ✓ m1/);
    expect(f).toMatch(/2\/3\s+running\s+\[=+\] · m2/);
    expect(f).toMatch(/3\/3\s+running\s+\[=+\] · w1/);
    expect(f).toContain('R roll back · U resume');
    await app.press('R');
    await app.press('U');
    await tick();
    expect(calls.runs.map((r) => [r.id, r.target.kind, r.target.id])).toEqual([
      ['service.rollback', 'service', 'api'],
      ['service.resume', 'service', 'api'],
    ]);
  });
});
