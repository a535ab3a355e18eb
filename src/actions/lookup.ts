import { ACTIVE_STATES, type NodeModel, type ServiceModel, type TaskModel } from '../store/model.js';
import type { ClusterState } from '../store/state.js';
import type { ActionTarget } from './types.js';

export function findNode(state: ClusterState, target: ActionTarget): NodeModel | undefined {
  return state.nodes.get(target.id);
}

export function findService(state: ClusterState, target: ActionTarget): ServiceModel | undefined {
  return state.services.get(target.id);
}

export function nodeName(state: ClusterState, target: ActionTarget): string {
  return findNode(state, target)?.hostname ?? target.name ?? target.id;
}

export function serviceName(state: ClusterState, target: ActionTarget): string {
  return findService(state, target)?.name ?? target.name ?? target.id;
}

/** A task the orchestrator wants alive (desired state not yet shutdown/complete). */
export function isLive(task: TaskModel): boolean {
  return ACTIVE_STATES.has(task.desiredState);
}

export function tasksOf(state: ClusterState, serviceId: string): TaskModel[] {
  return [...(state.tasksByService.get(serviceId)?.values() ?? [])];
}

export function liveTasksOnNode(state: ClusterState, nodeId: string): TaskModel[] {
  const out: TaskModel[] = [];
  for (const tasks of state.tasksByService.values()) {
    for (const t of tasks.values()) if (t.nodeId === nodeId && isLive(t)) out.push(t);
  }
  return out;
}

/** "web.2" for a replicated task, "agent" for a global one: how the docker CLI names tasks. */
export function taskLabel(state: ClusterState, task: TaskModel): string {
  const name = state.services.get(task.serviceId)?.name ?? task.serviceId;
  return task.slot !== null ? `${name}.${task.slot}` : name;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 task moves" / "2 tasks move". */
export function count(n: number, noun: string, verbOne: string, verbMany: string): string {
  return `${plural(n, noun)} ${n === 1 ? verbOne : verbMany}`;
}

/** First few names, then "+N more", so an impact line stays one line. */
export function listSome(names: readonly string[], max = 5): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} +${names.length - max} more`;
}
