import { ACTIVE_STATES, type Id, type TaskModel } from '../model.js';
import type { ClusterState } from '../state.js';
import { isConverged } from '../service-status.js';
import {
  crashReason, delayReason, downNodeReason, imageReason, pausedReason, schedulingReasons, startingReason, updatingReason,
  type WhyInput,
} from './why-causes.js';

/** Why a service is not converged: the main reason first (the WHY column), then every other one found. */
export interface Why {
  summary: string;
  reasons: readonly string[];
}

type Used = ReadonlyMap<Id, { memoryBytes: number; nanoCpus: number }>;
const usedCache = new WeakMap<ClusterState['tasksByService'], { services: ClusterState['services']; used: Used }>();

/** Reservations held per node by tasks that run or are about to (each task counts its service's reservation). */
function usedPerNode(state: ClusterState): Used {
  const hit = usedCache.get(state.tasksByService);
  if (hit && hit.services === state.services) return hit.used;
  const used = new Map<Id, { memoryBytes: number; nanoCpus: number }>();
  for (const [serviceId, tasks] of state.tasksByService) {
    const r = state.services.get(serviceId)?.reservations;
    if (!r || (r.memoryBytes === 0 && r.nanoCpus === 0)) continue;
    for (const t of tasks.values()) {
      if (t.nodeId === null || t.desiredState !== 'running' || !ACTIVE_STATES.has(t.state) || t.state === 'pending') continue;
      const u = used.get(t.nodeId) ?? { memoryBytes: 0, nanoCpus: 0 };
      used.set(t.nodeId, { memoryBytes: u.memoryBytes + r.memoryBytes, nanoCpus: u.nanoCpus + r.nanoCpus });
    }
  }
  usedCache.set(state.tasksByService, { services: state.services, used });
  return used;
}

/** The order reasons are told in: what stops the service first, what merely slows it last. */
function reasonsOf(in_: WhyInput): string[] {
  const found = [
    pausedReason(in_),
    ...schedulingReasons(in_),
    imageReason(in_),
    crashReason(in_),
    downNodeReason(in_),
    delayReason(in_),
  ].filter((r): r is string => r !== null);
  // "update in progress" only when nothing more telling explains the wait; tasks starting come after.
  const updating = found.length === 0 ? updatingReason(in_) : null;
  return [...found, updating, startingReason(in_)].filter((r): r is string => r !== null);
}

interface Cached {
  tasks: ReadonlyMap<Id, TaskModel> | undefined;
  nodes: ClusterState['nodes'];
  /** Set when the answer read every service's tasks (free resources per node). */
  all: ClusterState['tasksByService'] | null;
  why: Why | null;
}
const cache = new WeakMap<object, Cached>();
const EMPTY_TASKS: ReadonlyMap<Id, TaskModel> = new Map();

/**
 * Why the service is not converged, or null when it is (or the engine did not report its counts). Pure
 * and memoized per service: recomputed only when the service, its tasks or the nodes change.
 */
export function selectWhy(state: ClusterState, serviceId: Id): Why | null {
  const svc = state.services.get(serviceId);
  if (!svc) return null;
  const tasks = state.tasksByService.get(serviceId);
  const hit = cache.get(svc);
  if (hit && hit.tasks === tasks && hit.nodes === state.nodes && (hit.all === null || hit.all === state.tasksByService)) return hit.why;
  let why: Why | null = null;
  let all: ClusterState['tasksByService'] | null = null;
  const paused = svc.updateStatus?.state === 'paused' || svc.updateStatus?.state === 'rollback_paused';
  if (!isConverged(svc) && (svc.runningTasks !== null || paused)) {
    const input: WhyInput = {
      svc, tasks: [...(tasks ?? EMPTY_TASKS).values()], nodes: state.nodes,
      used: () => {
        all = state.tasksByService;
        return usedPerNode(state);
      },
    };
    const reasons = reasonsOf(input);
    if (reasons.length === 0 && svc.runningTasks !== null && svc.desiredTasks !== null && svc.runningTasks < svc.desiredTasks) {
      reasons.push(`${svc.runningTasks} of ${svc.desiredTasks} tasks running`);
    }
    why = reasons.length > 0 ? { summary: reasons[0] as string, reasons } : null;
  }
  cache.set(svc, { tasks, nodes: state.nodes, all, why });
  return why;
}

let last: { services: ClusterState['services']; tasks: ClusterState['tasksByService']; nodes: ClusterState['nodes']; texts: ReadonlyMap<Id, string> } | null = null;

/**
 * The WHY of every service that has one, by id: computed when services, tasks or nodes change, and the
 * same map (identity) while no answer changed, so the rows built on it stay the same too.
 */
export function selectWhyTexts(state: ClusterState): ReadonlyMap<Id, string> {
  if (last && last.services === state.services && last.tasks === state.tasksByService && last.nodes === state.nodes) return last.texts;
  const next = new Map<Id, string>();
  for (const id of state.services.keys()) {
    const why = selectWhy(state, id);
    if (why) next.set(id, why.summary);
  }
  const prev = last?.texts;
  const texts = prev && prev.size === next.size && [...next].every(([k, v]) => prev.get(k) === v) ? prev : next;
  last = { services: state.services, tasks: state.tasksByService, nodes: state.nodes, texts };
  return texts;
}
