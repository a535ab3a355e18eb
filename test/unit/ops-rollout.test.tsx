import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { selectRollout } from '../../src/store/selectors/rollout.js';
import type { UpdateStatus } from '../../src/store/model.js';
import { RolloutView } from '../../src/ui/rollout/RolloutView.js';
import { clusterState, makeManager, makeNode, makeService, makeTask } from '../fixtures/cluster.js';

const colors = { ok: 'green', warn: 'yellow', bad: 'red', dim: 'gray' };
const status = (state: UpdateStatus['state'], message = 'update in progress'): UpdateStatus => ({ state, startedAt: 1000, completedAt: 0, message });
const nodes = [makeManager('m1', true, { hostname: 'lab-m1' }), makeNode({ id: 'w1', hostname: 'lab-w1' }), makeNode({ id: 'w2', hostname: 'lab-w2', state: 'down' })];

/** web updating from :1 to :2, 3 replicas: slot 1 done, slot 2 preparing, slot 3 not reached yet. */
function updating(update: UpdateStatus = status('updating')) {
  return clusterState({
    nodes,
    services: [makeService({ id: 'web', name: 'web', image: 'local/busybox:2', mode: { kind: 'replicated', replicas: 3 }, updateStatus: update, hasPreviousSpec: true, previousImage: 'local/busybox:1' })],
    tasks: [
      makeTask({ id: 'n1', serviceId: 'web', slot: 1, nodeId: 'm1', createdAt: 2000, image: 'local/busybox:2' }),
      makeTask({ id: 'o1', serviceId: 'web', slot: 1, nodeId: 'm1', createdAt: 500, desiredState: 'shutdown', state: 'shutdown' }),
      makeTask({ id: 'n2', serviceId: 'web', slot: 2, nodeId: 'w1', createdAt: 2100, desiredState: 'ready', state: 'preparing', image: 'local/busybox:2' }),
      makeTask({ id: 'o2', serviceId: 'web', slot: 2, nodeId: 'w1', createdAt: 500, desiredState: 'shutdown', state: 'running' }),
      makeTask({ id: 'o3', serviceId: 'web', slot: 3, nodeId: 'm1', createdAt: 500 }),
    ],
  });
}

describe('selectRollout', () => {
  it('one row per slot, the replacement over the task being shut down, like the docker CLI', () => {
    const r = selectRollout(updating(), 'web');
    expect(r).not.toBeNull();
    expect(r?.rows.map((x) => [x.label, x.taskId, x.state, x.progress, x.updated, x.nodeName])).toEqual([
      ['1/3', 'n1', 'running', 9, true, 'lab-m1'],
      ['2/3', 'n2', 'preparing', 6, true, 'lab-w1'],
      ['3/3', 'o3', 'running', 9, false, 'lab-m1'],
    ]);
    expect(r).toMatchObject({ updateState: 'updating', message: 'update in progress', done: 1, total: 3, paused: false, rollback: false, hint: 'R roll back' });
  });

  it('a paused update: detected, its message kept, hint to roll back or resume; task errors shown', () => {
    const state = updating(status('paused', 'update paused due to failure or early termination of task n2'));
    const tasks = new Map(state.tasksByService.get('web'));
    tasks.set('n2', makeTask({ id: 'n2', serviceId: 'web', slot: 2, nodeId: 'w1', createdAt: 2100, desiredState: 'shutdown', state: 'failed', err: 'task: non-zero exit (1)', image: 'local/busybox:2' }));
    const r = selectRollout({ ...state, tasksByService: new Map([['web', tasks]]) }, 'web');
    expect(r).toMatchObject({ paused: true, hint: 'R roll back · U resume', message: 'update paused due to failure or early termination of task n2' });
    const slot2 = r?.rows.find((x) => x.slot === 2);
    // The old task is still the lowest desired state (shutdown vs shutdown: lowest observed state wins).
    expect(slot2?.taskId).toBe('o2');
    const failedOnly = selectRollout({ ...state, tasksByService: new Map([['web', new Map([['n2', tasks.get('n2')!]])]]) }, 'web');
    expect(failedOnly?.rows[0]).toMatchObject({ error: 'task: non-zero exit (1)', progress: 0, state: 'failed' });
  });

  it('a paused rollback offers resume only; a rollback is flagged', () => {
    expect(selectRollout(updating(status('rollback_paused', 'rollback paused')), 'web')).toMatchObject({ paused: true, rollback: true, hint: 'U resume the rollback' });
    expect(selectRollout(updating(status('rollback_started', 'manually requested rollback')), 'web')).toMatchObject({ paused: false, rollback: true });
  });

  it('during a rollback, tasks that were never replaced already run the target spec', () => {
    const state = clusterState({
      nodes,
      services: [makeService({ id: 'web', image: 'local/busybox:1', mode: { kind: 'replicated', replicas: 2 }, updateStatus: status('rollback_started', 'manually requested rollback') })],
      tasks: [
        makeTask({ id: 'old', serviceId: 'web', slot: 1, nodeId: 'm1', createdAt: 500, image: 'local/busybox:1' }),
        makeTask({ id: 'new', serviceId: 'web', slot: 2, nodeId: 'w1', createdAt: 1500, image: 'local/busybox:2' }),
      ],
    });
    const r = selectRollout(state, 'web');
    expect(r?.rows.map((x) => [x.taskId, x.updated])).toEqual([['old', true], ['new', false]]);
    expect(r).toMatchObject({ done: 1, total: 2, rollback: true });
  });

  it('global services: one row per node; tasks on down nodes are left out', () => {
    const state = clusterState({
      nodes,
      services: [makeService({ id: 'agent', name: 'agent', mode: { kind: 'global' } })],
      tasks: [
        makeTask({ id: 'a1', serviceId: 'agent', slot: null, nodeId: 'w1' }),
        makeTask({ id: 'a2', serviceId: 'agent', slot: null, nodeId: 'm1', state: 'starting' }),
        makeTask({ id: 'a3', serviceId: 'agent', slot: null, nodeId: 'w2' }),
      ],
    });
    const r = selectRollout(state, 'agent');
    expect(r?.rows.map((x) => [x.label, x.state])).toEqual([['lab-m1', 'starting'], ['lab-w1', 'running']]);
    expect(r).toMatchObject({ done: 1, total: 2, updateState: null, hint: null });
  });

  it('slots removed by scaling down are not part of the rollout', () => {
    const state = clusterState({
      nodes,
      services: [makeService({ id: 'web', mode: { kind: 'replicated', replicas: 1 } })],
      tasks: [
        makeTask({ id: 't1', serviceId: 'web', slot: 1, nodeId: 'm1' }),
        makeTask({ id: 't2', serviceId: 'web', slot: 2, nodeId: 'w1', desiredState: 'shutdown', state: 'shutdown' }),
      ],
    });
    expect(selectRollout(state, 'web')?.rows.map((x) => x.taskId)).toEqual(['t1']);
  });

  it('null for an unknown service', () => {
    expect(selectRollout(updating(), 'nope')).toBeNull();
  });
});

describe('RolloutView', () => {
  it('renders the update state, overall progress and one line per slot', () => {
    const { lastFrame } = render(<RolloutView state={updating()} serviceId="web" width={80} height={10} colors={colors} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('web  updating: update in progress');
    expect(frame).toContain('overall progress: 1 out of 3 tasks');
    const lines = frame.split('\n');
    expect(lines.find((l) => l.startsWith('1/3'))).toMatch(/^1\/3 running\s+\[=+\] ✓ lab-m1 {2}local\/busybox:2/);
    expect(lines.find((l) => l.startsWith('2/3'))).toMatch(/preparing \[=+>\s+\] ✓ lab-w1/);
    expect(lines.find((l) => l.startsWith('3/3'))).toMatch(/· lab-m1 {2}local\/busybox:1/);
    expect(frame).toContain('R roll back');
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('when paused shows the message and the hint R roll back · U resume', () => {
    const { lastFrame } = render(
      <RolloutView state={updating(status('paused', 'update paused due to failure of task n2'))} serviceId="web" width={70} height={8} colors={colors} />,
    );
    const frame = lastFrame() ?? '';
    expect(frame).toContain('web  paused: update paused due to failure of task n2');
    expect(frame).toContain('R roll back · U resume');
  });

  it('keeps to its height: extra rows collapse into "… N more", the hint stays', () => {
    const { lastFrame } = render(<RolloutView state={updating(status('paused', 'x'))} serviceId="web" width={60} height={5} colors={colors} />);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines).toContain('… 2 more');
    expect(lines.at(-1)).toBe('R roll back · U resume');
  });

  it('says so when the service is gone', () => {
    const { lastFrame } = render(<RolloutView state={updating()} serviceId="gone" width={40} height={3} colors={colors} />);
    expect(lastFrame()).toContain('The service no longer exists.');
  });
});
