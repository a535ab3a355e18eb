import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { UpdateStatus } from '../../src/store/model.js';
import { clusterState, makeManager, makeNode, makeService, makeSwarm, makeTask } from '../fixtures/cluster.js';
import { renderApp, testAction, tick, type Calls } from './ui-support.js';

afterEach(() => cleanup());

const calls = (): Calls => ({ runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] });
const status = (state: UpdateStatus['state'], message: string): UpdateStatus => ({ state, startedAt: 1000, completedAt: 0, message });

/** web paused half way from :1 to :2 (slot 2 failed), the way `--update-failure-action pause` leaves it. */
function paused(state: UpdateStatus['state'] = 'paused') {
  return clusterState({
    nodes: [makeManager('m1', true, { hostname: 'lab-m1' }), makeNode({ id: 'w1', hostname: 'lab-w1' })],
    services: [
      makeService({ id: 'web', name: 'web', image: 'local/busybox:2', mode: { kind: 'replicated', replicas: 3 }, updateStatus: status(state, 'update paused due to failure or early termination of task n2'), hasPreviousSpec: true, previousImage: 'local/busybox:1' }),
      makeService({ id: 'api', name: 'api' }),
    ],
    tasks: [
      makeTask({ id: 'n1', serviceId: 'web', slot: 1, nodeId: 'm1', createdAt: 2000, image: 'local/busybox:2' }),
      makeTask({ id: 'n2', serviceId: 'web', slot: 2, nodeId: 'w1', createdAt: 2100, state: 'failed', err: 'task: non-zero exit (1)', image: 'local/busybox:2' }),
      makeTask({ id: 'o3', serviceId: 'web', slot: 3, nodeId: 'm1', createdAt: 500, image: 'local/busybox:1' }),
    ],
  });
}

describe('rollout view (r on a service)', () => {
  it('shows the per-slot progress from the ops selector, and R / U act on the paused service', async () => {
    const c = calls();
    const rollback = testAction({ id: 'rollback', label: 'Roll back to the previous spec', key: 'R', targets: 'service' }, c);
    const resume = testAction({ id: 'resume', label: 'Resume the paused update', key: 'U', targets: 'service' }, c);
    const app = renderApp(paused(), { actions: [rollback, resume] });
    await tick();
    await app.press('j', 'r');
    const f = app.frame();
    expect(f).toContain('Tasks of service web (rollout)');
    expect(f).toContain('update paused due to failure');
    expect(f).toMatch(/1\/3\s+running/);
    expect(f).toContain('non-zero exit (1)');
    expect(f).toContain('R roll back · U resume');
    expect(f).toContain('<R>rollback');
    expect(f).toContain('<U>resume');
    await app.press('R');
    await tick();
    await app.press('U');
    await tick();
    expect(c.runs.map((r) => [r.id, r.target.kind, r.target.id])).toEqual([['rollback', 'service', 'web'], ['resume', 'service', 'web']]);
    // esc leaves the rollout view for the services pane.
    await app.press('\x1b');
    expect(app.frame()).toContain('Services [2]');
  });

  it('a paused rollback offers only U', async () => {
    const app = renderApp(paused('rollback_paused'));
    await tick();
    await app.press('j', 'r');
    expect(app.frame()).toContain('U resume the rollback');
  });
});

describe('swarm pane CA rotation', () => {
  it('shows progress per node, the nodes still waiting first', async () => {
    const state = clusterState({
      swarm: makeSwarm({ rootRotationInProgress: true, certIssuerSubject: 'new-ca', certIssuerPublicKey: 'new-pk' }),
      nodes: [
        makeManager('m1', true, { hostname: 'lab-m1', tlsIssuerSubject: 'new-ca', tlsIssuerPublicKey: 'new-pk' }),
        makeNode({ id: 'w1', hostname: 'lab-w1', tlsIssuerSubject: 'old-ca', tlsIssuerPublicKey: 'old-pk' }),
      ],
    });
    const app = renderApp(state);
    await tick();
    await app.press('8');
    const f = app.frame();
    expect(f).toMatch(/CA rotation\s+IN PROGRESS \[#+\.+\] 1\/2 nodes on the new CA/);
    const lines = f.split('\n');
    expect(lines.findIndex((l) => l.trimStart().startsWith('lab-w1'))).toBeLessThan(lines.findIndex((l) => l.trimStart().startsWith('lab-m1')));
    expect(f).toMatch(/lab-w1\s+waiting for a new certificate \(node ready\)/);
    expect(f).toMatch(/lab-m1\s+new certificate/);
  });
});
