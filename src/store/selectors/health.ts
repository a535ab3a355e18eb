import { isConverged, isUpdating } from '../service-status.js';
import type { NodeModel } from '../model.js';
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

/** How the swarm stands against the next manager loss, for the header and the snapshot. */
export type ToleranceLevel = 'none' | 'ok' | 'last' | 'lost';

export interface ToleranceStatus {
  level: ToleranceLevel;
  /** "tolerates 1 loss", "tolerates 1 more loss", "tolerates 0 more: …", "NO QUORUM (…)" ('' without managers). */
  text: string;
}

/**
 * When quorum is lost the swarm cannot be managed; if the missing managers are gone for good, the way
 * back is a new cluster from a surviving manager (docs/OPERATIONS.md). swarmtop never runs it.
 */
export const QUORUM_RECOVERY_HINT = 'bring managers back; if lost for good: docker swarm init --force-new-cluster on a surviving manager (docs/OPERATIONS.md)';

const losses = (n: number): string => (n === 1 ? 'loss' : 'losses');

/** What the swarm tolerates now, in words: nominal while every manager is reachable, "more" when some are not. */
export function toleranceStatus(m: Pick<ManagerHealth, 'total' | 'reachable' | 'quorum' | 'toleratesNow'>): ToleranceStatus {
  if (m.total === 0) return { level: 'none', text: '' };
  if (m.reachable < m.quorum) return { level: 'lost', text: `NO QUORUM (${m.reachable}/${m.total} reachable, ${m.quorum} needed)` };
  if (m.toleratesNow === 0) return { level: 'last', text: 'tolerates 0 more: one more manager loss stops the swarm' };
  const n = m.toleratesNow;
  return { level: 'ok', text: m.reachable === m.total ? `tolerates ${n} ${losses(n)}` : `tolerates ${n} more ${losses(n)}` };
}

/**
 * The engine's words when Raft has no leader ("The swarm does not have a leader. It's possible that too
 * few managers are online"): every swarm read fails, so the managers' state is the last one seen.
 */
const NO_LEADER = /does not have a leader|too few managers are online/i;

export function engineReportsNoLeader(error: string | null): boolean {
  return error !== null && NO_LEADER.test(error);
}

/** The tolerance as the header shows it: from the managers' reachability, or lost when the engine says there is no leader. */
export function selectTolerance(state: ClusterState): ToleranceStatus {
  if (engineReportsNoLeader(state.connection.error)) return { level: 'lost', text: 'NO QUORUM (the swarm has no leader)' };
  return toleranceStatus(selectHealth(state).managers);
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
