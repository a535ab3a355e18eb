import type { Id, TaskModel } from '../model.js';
import type { ClusterState } from '../state.js';
import { memoByRef } from './memo.js';

const EMPTY: readonly TaskModel[] = [];

/** Newest first: the task that replaced a failed one is what an operator looks at first. */
function byRecency(a: TaskModel, b: TaskModel): number {
  return (a.slot ?? 0) - (b.slot ?? 0) || b.createdAt - a.createdAt || a.id.localeCompare(b.id);
}

const tasksByNode = memoByRef((tasks: ClusterState['tasksByService']): ReadonlyMap<Id, readonly TaskModel[]> => {
  const out = new Map<Id, TaskModel[]>();
  for (const m of tasks.values()) {
    for (const t of m.values()) {
      if (t.nodeId === null) continue;
      const list = out.get(t.nodeId);
      if (list) list.push(t);
      else out.set(t.nodeId, [t]);
    }
  }
  for (const list of out.values()) list.sort(byRecency);
  return out;
});

const allTasks = memoByRef((tasks: ClusterState['tasksByService']): readonly TaskModel[] => {
  const out: TaskModel[] = [];
  for (const m of tasks.values()) out.push(...m.values());
  return out;
});

export function selectTasksByNode(state: ClusterState): ReadonlyMap<Id, readonly TaskModel[]> {
  return tasksByNode(state.tasksByService);
}

export function selectNodeTasks(state: ClusterState, nodeId: Id): readonly TaskModel[] {
  return tasksByNode(state.tasksByService).get(nodeId) ?? EMPTY;
}

const serviceTaskList = memoByRef((m: ReadonlyMap<Id, TaskModel>): readonly TaskModel[] => [...m.values()].sort(byRecency));

export function selectServiceTasks(state: ClusterState, serviceId: Id): readonly TaskModel[] {
  const m = state.tasksByService.get(serviceId);
  return m ? serviceTaskList(m) : EMPTY;
}

export function selectAllTasks(state: ClusterState): readonly TaskModel[] {
  return allTasks(state.tasksByService);
}

/** Tasks the orchestrator still wants running (what `docker service ps` shows without history). */
export function isCurrentTask(t: TaskModel): boolean {
  return t.desiredState === 'running' || t.desiredState === 'ready' || t.desiredState === 'accepted';
}
