import type { TaskModel, TaskState } from '../model.js';
import type { ClusterState } from '../state.js';
import { taskDetail, taskLabel } from './diff.js';
import type { EntryDraft } from './entry.js';

/** How the engine's event history is bounded: its events service keeps the last 256 events of any kind, in memory. */
export const ENGINE_EVENT_BUFFER = 256;
/** Task records read back at most (newest first): history must not crowd out what happens next. */
export const MAX_TASK_HISTORY = 5000;

const ENDED: ReadonlySet<TaskState> = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned']);

/**
 * What the swarm's task records still tell about the past: each task's last state with its time (a task
 * that failed, was rejected or shut down, one that started running). Tasks still waiting are left out:
 * the services pane says why they wait.
 */
export function taskHistoryDrafts(state: ClusterState, since: number, until: number, limit = MAX_TASK_HISTORY): EntryDraft[] {
  const picked: TaskModel[] = [];
  for (const tasks of state.tasksByService.values()) {
    for (const t of tasks.values()) {
      if (t.stateSince < since || t.stateSince >= until) continue;
      if (ENDED.has(t.state) || t.state === 'running') picked.push(t);
    }
  }
  picked.sort((a, b) => b.stateSince - a.stateSince);
  return picked.slice(0, limit).map((t) => {
    const node = t.nodeId === null ? '' : state.nodes.get(t.nodeId)?.hostname ?? t.nodeId.slice(0, 12);
    const svc = state.services.get(t.serviceId)?.name ?? t.serviceId.slice(0, 12);
    const detail = taskDetail(t, node);
    return {
      at: t.stateSince, source: 'task', severity: t.state === 'failed' || t.state === 'rejected' || t.state === 'orphaned' ? 'error' : 'info',
      kind: 'task', objectId: t.id, name: taskLabel(t, svc, node), text: t.state, detail,
      serviceId: t.serviceId, node, history: true,
    };
  });
}

/**
 * Where the read-back history begins, as a line in the timeline: the engine keeps only its last few
 * hundred events (none from before it last started) and the swarm a few task records per slot, so
 * anything older is gone, and the operator must see where that line is.
 */
export function historyMarker(at: number, endpoint: string, events: number, taskHistoryLimit: number): EntryDraft {
  const tasks = taskHistoryLimit > 0 ? `; the swarm keeps ${taskHistoryLimit} task records per slot` : '';
  const limits = `an engine keeps its last ${ENGINE_EVENT_BUFFER} events of any kind, none from before it last started${tasks}`;
  const text = events > 0
    ? `engine history starts here: the oldest of the ${events} swarm event(s) ${endpoint} still holds (${limits})`
    : `engine history: ${endpoint} holds no swarm event (${limits})`;
  return { at, source: 'console', severity: 'info', kind: 'console', objectId: '', name: 'history', text, history: true };
}
