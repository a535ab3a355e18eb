import type { Id, TaskModel } from '../store/model.js';
import type { ClusterState } from '../store/state.js';

/**
 * Where a log line came from, named as `docker service logs` names it: the service, the task's slot
 * (0 for a global service's task, as the CLI prints it), the task id and the node's hostname.
 */
export interface LogSource {
  /** "web.1", "agent.0". */
  task: string;
  taskId: string;
  node: string;
}

/** The tasks whose logs a logs view reads: every task of a service, or the one task. */
function tasksOf(state: ClusterState, kind: 'service' | 'task', id: Id): { task: TaskModel; service: string }[] {
  const out: { task: TaskModel; service: string }[] = [];
  for (const [serviceId, tasks] of state.tasksByService) {
    if (kind === 'service' && serviceId !== id) continue;
    const service = state.services.get(serviceId)?.name ?? serviceId;
    for (const t of tasks.values()) if (kind === 'service' || t.id === id) out.push({ task: t, service });
  }
  return out;
}

function sourceOf(state: ClusterState, task: TaskModel, service: string): LogSource {
  const node = task.nodeId === null ? '' : state.nodes.get(task.nodeId)?.hostname ?? task.nodeId;
  return { task: `${service}.${task.slot ?? 0}`, taskId: task.id, node };
}

/** The sources of a view's tasks by task id, as the store knows them when asked. */
export function logSources(state: ClusterState, kind: 'service' | 'task', id: Id): Map<Id, LogSource> {
  return new Map(tasksOf(state, kind, id).map(({ task, service }) => [task.id, sourceOf(state, task, service)]));
}

/** A source the store does not know (a task started after the view opened, not polled yet). */
export function unknownSource(state: ClusterState, taskId: string, nodeId: string): LogSource {
  return { task: '', taskId, node: nodeId === '' ? '' : state.nodes.get(nodeId)?.hostname ?? nodeId.slice(0, 12) };
}

export interface Unreadable {
  source: LogSource;
  reason: string;
}

/**
 * The tasks whose logs cannot be read, each with the reason, so the view says so instead of staying
 * silent: every task with a container when the log driver keeps nothing to read back, else the ones on a
 * node that is not ready (the engine cannot ask it). Tasks that never got a container have no logs at all.
 */
export function unreadableTasks(
  state: ClusterState, kind: 'service' | 'task', id: Id, driver: { name: string; readable: boolean },
): Unreadable[] {
  const out: Unreadable[] = [];
  for (const { task, service } of tasksOf(state, kind, id)) {
    if (task.containerId === null) continue;
    const source = sourceOf(state, task, service);
    if (!driver.readable) {
      out.push({ source, reason: `no logs to read: the log driver "${driver.name}" keeps none the engine can read back` });
      continue;
    }
    const node = task.nodeId === null ? undefined : state.nodes.get(task.nodeId);
    if (node && node.state !== 'ready') out.push({ source, reason: `logs cannot be fetched: node ${node.hostname} is ${node.state}` });
  }
  return out.sort((a, b) => a.source.task.localeCompare(b.source.task, 'en', { numeric: true }) || a.source.taskId.localeCompare(b.source.taskId));
}

/** Nodes the engine said it could not read ("node <id> is not available"), as reasons per task on them. */
export function unavailableNodeTasks(state: ClusterState, kind: 'service' | 'task', id: Id, nodeIds: readonly string[]): Unreadable[] {
  const out: Unreadable[] = [];
  for (const { task, service } of tasksOf(state, kind, id)) {
    if (task.containerId === null || task.nodeId === null || !nodeIds.includes(task.nodeId)) continue;
    const source = sourceOf(state, task, service);
    out.push({ source, reason: `logs cannot be fetched: node ${source.node} is not available` });
  }
  return out;
}
