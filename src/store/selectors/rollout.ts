import { taskStateRank, type Id, type TaskModel, type TaskState, type UpdateState } from '../model.js';
import { isPaused } from '../service-status.js';
import type { ClusterState } from '../state.js';
import { selectServiceTasks } from './tasks.js';
import { ROLLBACK_STATES, isUpdatedTask } from './updated.js';

/** The docker CLI's convergence order: progress of a task toward running is its state's rank / 9. */
export const MAX_PROGRESS = taskStateRank('running');

export function isTerminal(s: TaskState): boolean {
  return taskStateRank(s) > MAX_PROGRESS;
}

export interface RolloutRow {
  /** "2/5" for a slot of a replicated service, the node's hostname for a global one. */
  label: string;
  slot: number | null;
  taskId: Id;
  nodeId: Id | null;
  nodeName: string;
  state: TaskState;
  desiredState: TaskState;
  /** 0..9 toward running (0 = a terminal state: see error). */
  progress: number;
  /** The task runs the spec being rolled out (created after the update/rollback started). */
  updated: boolean;
  image: string;
  error: string;
}

export interface Rollout {
  serviceId: Id;
  serviceName: string;
  image: string;
  updateState: UpdateState | null;
  message: string;
  rollback: boolean;
  paused: boolean;
  /** Tasks running the spec being rolled out, out of the tasks wanted (the CLI's "overall progress"). */
  done: number;
  total: number;
  rows: readonly RolloutRow[];
  /** What the operator can do now, e.g. "R roll back · U resume" while paused. */
  hint: string | null;
}

/**
 * Which task to show for one slot (or node), as the docker CLI picks it: the lowest desired state
 * (the replacement over the task being shut down), then the lowest observed state.
 */
function better(a: TaskModel, b: TaskModel): TaskModel {
  if (taskStateRank(a.desiredState) !== taskStateRank(b.desiredState)) return taskStateRank(a.desiredState) < taskStateRank(b.desiredState) ? a : b;
  if (taskStateRank(a.state) !== taskStateRank(b.state)) return taskStateRank(a.state) < taskStateRank(b.state) ? a : b;
  return a.createdAt >= b.createdAt ? a : b;
}

function pickPerKey(tasks: readonly TaskModel[], key: (t: TaskModel) => string | null): Map<string, TaskModel> {
  const out = new Map<string, TaskModel>();
  for (const t of tasks) {
    const k = key(t);
    if (k === null || taskStateRank(t.desiredState) === 0 || taskStateRank(t.state) === 0) continue;
    const cur = out.get(k);
    out.set(k, cur ? better(cur, t) : t);
  }
  return out;
}

export function selectRollout(state: ClusterState, serviceId: Id): Rollout | null {
  const svc = state.services.get(serviceId);
  if (!svc) return null;
  // Tasks on a down node are not counted (as the CLI does): the orchestrator replaces them.
  const tasks = selectServiceTasks(state, serviceId).filter((t) => t.nodeId === null || state.nodes.get(t.nodeId)?.state !== 'down');
  const replicated = svc.mode.kind === 'replicated' || svc.mode.kind === 'replicated-job';
  const picked = pickPerKey(tasks, replicated ? (t) => (t.slot === null ? null : String(t.slot)) : (t) => t.nodeId);
  const replicas = svc.mode.kind === 'replicated' ? svc.mode.replicas : null;

  const rows: RolloutRow[] = [];
  for (const t of picked.values()) {
    // A slot beyond the replica count that is going away (after scaling down) is not part of the rollout.
    if (isTerminal(t.desiredState) && (replicas === null || (t.slot ?? 0) > replicas)) continue;
    const node = t.nodeId ? state.nodes.get(t.nodeId) : undefined;
    rows.push({
      label: '',
      slot: t.slot,
      taskId: t.id,
      nodeId: t.nodeId,
      nodeName: node?.hostname ?? (t.nodeId ? t.nodeId.slice(0, 12) : ''),
      state: t.state,
      desiredState: t.desiredState,
      progress: isTerminal(t.state) ? 0 : taskStateRank(t.state),
      updated: isUpdatedTask(svc, t),
      image: t.image,
      error: t.err,
    });
  }
  if (replicated) rows.sort((a, b) => (a.slot ?? 0) - (b.slot ?? 0));
  else rows.sort((a, b) => a.nodeName.localeCompare(b.nodeName));
  const total = replicas ?? rows.length;
  rows.forEach((r, i) => {
    r.label = replicated ? `${i + 1}/${total}` : r.nodeName;
  });

  const done = rows.filter((r) => r.updated && r.state === 'running' && !isTerminal(r.desiredState)).length;
  const updateState = svc.updateStatus?.state ?? null;
  const paused = isPaused(svc);
  const rollback = updateState !== null && ROLLBACK_STATES.has(updateState);
  let hint: string | null = null;
  if (paused) hint = updateState === 'rollback_paused' ? 'U resume the rollback' : 'R roll back · U resume';
  else if (updateState === 'updating' && svc.hasPreviousSpec) hint = 'R roll back';
  return {
    serviceId,
    serviceName: svc.name,
    image: svc.image,
    updateState,
    message: svc.updateStatus?.message ?? '',
    rollback,
    paused,
    done,
    total,
    rows,
    hint,
  };
}
