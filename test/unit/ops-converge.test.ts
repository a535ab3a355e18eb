import { describe, expect, it } from 'vitest';
import { selectConvergence, watchConvergence } from '../../src/actions/converge.js';
import type { ServiceModel, TaskModel } from '../../src/store/model.js';
import type { ClusterState } from '../../src/store/state.js';
import { progressLines, progressPrinter, verdict } from '../../src/cli/converge.js';
import { sampleCluster } from '../fixtures/cluster.js';
import { testStore } from './ui-support.js';

function withWeb(state: ClusterState, patch: Partial<ServiceModel>, tasks?: (t: TaskModel) => TaskModel): ClusterState {
  const web = state.services.get('web');
  if (!web) throw new Error('fixture');
  const svcTasks = state.tasksByService.get('web') ?? new Map<string, TaskModel>();
  const nextTasks = tasks ? new Map([...svcTasks].map(([id, t]) => [id, tasks(t)])) : svcTasks;
  return { ...state, revision: state.revision + 1, services: new Map([...state.services, ['web', { ...web, ...patch }]]), tasksByService: new Map([...state.tasksByService, ['web', nextTasks]]) };
}

describe('convergence after a change, on the rollout selector', () => {
  const base = sampleCluster();
  const web = base.services.get('web')!;
  const t = { serviceId: 'web', afterVersion: web.version, expectUpdate: true };

  it('waits until the live state has seen the change and the update started, then follows its state', () => {
    expect(selectConvergence(base, t).phase).toBe('waiting');
    expect(selectConvergence(withWeb(base, { version: web.version + 1, updateStatus: null }), t).phase).toBe('waiting');
    const updating = withWeb(base, { version: web.version + 2, updateStatus: { state: 'updating', startedAt: 1, completedAt: 0, message: '' } });
    expect(selectConvergence(updating, t).phase).toBe('updating');
    const paused = withWeb(base, { version: web.version + 3, updateStatus: { state: 'paused', startedAt: 1, completedAt: 0, message: 'update paused due to failure' } });
    expect(selectConvergence(paused, t)).toMatchObject({ phase: 'paused', message: 'update paused due to failure' });
    const rolled = withWeb(base, { version: web.version + 3, updateStatus: { state: 'rollback_completed', startedAt: 1, completedAt: 2, message: 'rolled back' } });
    expect(selectConvergence(rolled, t).phase).toBe('rolled-back');
    expect(selectConvergence({ ...base, services: new Map() }, t).phase).toBe('gone');
  });

  it('a change that replaces no task converges as soon as every task runs', () => {
    const s = withWeb(base, { version: web.version + 1, updateStatus: null }, (task) => ({ ...task, state: 'running', desiredState: 'running' }));
    const c = selectConvergence(s, { ...t, expectUpdate: false });
    expect(c.phase === 'verifying' || c.phase === 'updating').toBe(true);
  });

  it('watching ends on a pause at once, with exit code 1 and the engine\'s reason', async () => {
    const store = testStore(base);
    const seen: string[] = [];
    const watching = watchConvergence(store, t, { monitorMs: 5000, timeoutMs: 10_000, onChange: (c) => seen.push(c.phase) });
    store.set(withWeb(base, { version: web.version + 2, updateStatus: { state: 'paused', startedAt: 1, completedAt: 0, message: 'task failed' } }));
    const w = await watching;
    expect(w.phase).toBe('paused');
    expect(seen).toEqual(['waiting', 'paused']);
    expect(verdict('web', w)).toEqual({ line: 'swarmtop: service update paused: task failed', code: 1 });
  });

  it('prints like docker service update: lines that changed into a pipe, the block redrawn on a terminal', () => {
    const s = withWeb(base, { version: web.version + 2, updateStatus: { state: 'updating', startedAt: 1, completedAt: 0, message: '' } });
    const c = selectConvergence(s, t);
    const lines = progressLines(c, null);
    expect(lines[0]).toMatch(/^overall progress: \d+ out of \d+ tasks$/);
    const piped: string[] = [];
    const p = progressPrinter({ write: (x) => piped.push(x) });
    p.update(c, null);
    p.update(c, null);
    expect(piped.join('')).toBe(lines.map((l) => `${l}\n`).join(''));
    const tty: string[] = [];
    const q = progressPrinter({ write: (x) => tty.push(x), isTTY: true });
    q.update(c, null);
    q.update(c, 3000);
    expect(tty[1]).toMatch(new RegExp(`^\\x1b\\[${lines.length}A`));
    expect(tty[1]).toContain('verify: Waiting 3 seconds to verify that tasks are stable...');
  });
});
