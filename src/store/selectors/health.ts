import type { NodeModel, ServiceModel } from '../model.js';
import type { ClusterState } from '../state.js';
import { memoByRef } from './memo.js';

export interface ManagerHealth {
  leader: NodeModel | null;
  total: number;
  reachable: number;
  /** Managers needed for a majority: floor(N/2)+1. */
  quorum: number;
  /** Managers that may be lost while keeping quorum, all of them up: floor((N-1)/2) (nominal). */
  faultTolerance: number;
  /** Managers that may still be lost from here: max(0, reachable - quorum). What an operator acts on. */
  toleratesNow: number;
  hasQuorum: boolean;
}

export interface ClusterHealth {
  managers: ManagerHealth;
  nodesTotal: number;
  nodesReady: number;
  servicesTotal: number;
  servicesConverged: number;
  servicesUpdating: number;
}

export function quorumOf(managers: number): number {
  return Math.floor(managers / 2) + 1;
}

export function faultToleranceOf(managers: number): number {
  return managers > 0 ? Math.floor((managers - 1) / 2) : 0;
}

/** Manager losses the swarm survives from here, with `reachable` of `total` managers up. */
export function toleratesNowOf(reachable: number, total: number): number {
  return total > 0 ? Math.max(0, reachable - quorumOf(total)) : 0;
}

const UPDATING = new Set(['updating', 'rollback_started']);

export function isUpdating(svc: ServiceModel): boolean {
  return svc.updateStatus !== null && UPDATING.has(svc.updateStatus.state);
}

/** Converged: every desired task runs and no update or rollback is under way (jobs: none left to run). */
export function isConverged(svc: ServiceModel): boolean {
  if (isUpdating(svc)) return false;
  if (svc.runningTasks === null || svc.desiredTasks === null) return false;
  // A job converges when nothing is left running.
  if (svc.mode.kind === 'replicated-job' || svc.mode.kind === 'global-job') return svc.runningTasks === 0;
  return svc.runningTasks === svc.desiredTasks;
}

const managerHealth = memoByRef((nodes: ClusterState['nodes']): ManagerHealth & { nodesTotal: number; nodesReady: number } => {
  let total = 0;
  let reachable = 0;
  let leader: NodeModel | null = null;
  let nodesReady = 0;
  for (const n of nodes.values()) {
    if (n.state === 'ready') nodesReady++;
    if (!n.manager) continue;
    total++;
    if (n.manager.reachability === 'reachable') reachable++;
    if (n.manager.leader) leader = n;
  }
  const quorum = quorumOf(total);
  return {
    leader,
    total,
    reachable,
    quorum,
    faultTolerance: faultToleranceOf(total),
    toleratesNow: toleratesNowOf(reachable, total),
    hasQuorum: total > 0 && reachable >= quorum,
    nodesTotal: nodes.size,
    nodesReady,
  };
});

const serviceHealth = memoByRef((services: ClusterState['services']) => {
  let converged = 0;
  let updating = 0;
  for (const s of services.values()) {
    if (isConverged(s)) converged++;
    if (isUpdating(s)) updating++;
  }
  return { total: services.size, converged, updating };
});

export function selectHealth(state: ClusterState): ClusterHealth {
  const { nodesTotal, nodesReady, ...managers } = managerHealth(state.nodes);
  const svc = serviceHealth(state.services);
  return {
    managers,
    nodesTotal,
    nodesReady,
    servicesTotal: svc.total,
    servicesConverged: svc.converged,
    servicesUpdating: svc.updating,
  };
}
