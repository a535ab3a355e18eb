import { ACTIVE_STATES, STARTING_STATES, type Id, type NodeModel, type ServiceModel, type TaskModel } from '../model.js';
import { meets, meetsAll, parseConstraints, type Constraint } from './constraints.js';
import { isUpdatedTask, ROLLBACK_STATES } from './updated.js';

/**
 * The reasons a service is not converged, each found from what the engine reports (task states and
 * errors, the update status, node state and resources), in plain words. Pure functions over one service,
 * its tasks and the nodes; why.ts orders them and memoizes.
 */

export interface WhyInput {
  svc: ServiceModel;
  /** Every task of the service the store holds (the current ones and the history the swarm keeps). */
  tasks: readonly TaskModel[];
  nodes: ReadonlyMap<Id, NodeModel>;
  /** Reservations in use per node (memory, cpu), summed over every service's active tasks. */
  used(): ReadonlyMap<Id, { memoryBytes: number; nanoCpus: number }>;
}

/** Failures counted together when they happened within this long of the latest one. */
export const CRASH_WINDOW_MS = 5 * 60_000;

export function sizeText(n: number): string {
  const gib = n / 2 ** 30;
  if (gib >= 1) return `${gib >= 10 ? Math.round(gib) : Math.round(gib * 10) / 10} GiB`;
  return `${Math.round(n / 2 ** 20)} MiB`;
}

const cpuText = (nano: number): string => String(Math.round((nano / 1e9) * 100) / 100);

export function durationText(ns: number): string {
  const s = Math.round(ns / 1e9);
  return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`;
}

function nameOf(nodes: WhyInput['nodes'], id: Id | null): string {
  if (id === null) return '?';
  return nodes.get(id)?.hostname || id.slice(0, 12);
}

function names(list: readonly string[], max = 4): string {
  const sorted = [...new Set(list)].sort();
  return sorted.length <= max ? sorted.join(', ') : `${sorted.slice(0, max).join(', ')} and ${sorted.length - max} more`;
}

const isCurrent = (t: TaskModel): boolean => t.desiredState === 'running' || t.desiredState === 'ready' || t.desiredState === 'accepted';
/** Nodes that take new tasks. */
const schedulable = (n: NodeModel): boolean => n.state === 'ready' && n.availability === 'active';

/** The current task of each slot (of each node for global services). */
function currentPerSlot(in_: WhyInput): TaskModel[] {
  const bySlot = new Map<string, TaskModel>();
  for (const t of in_.tasks) {
    if (!isCurrent(t)) continue;
    const key = t.slot !== null ? `s${t.slot}` : `n${t.nodeId ?? t.id}`;
    const cur = bySlot.get(key);
    if (!cur || t.createdAt > cur.createdAt) bySlot.set(key, t);
  }
  return [...bySlot.values()];
}

/** "2 of 6 updated" (or rolled back): slots whose current task runs the spec being rolled out. */
export function progressText(in_: WhyInput): string {
  const { svc } = in_;
  const slots = currentPerSlot(in_);
  const total = svc.mode.kind === 'replicated' ? svc.mode.replicas : slots.length;
  const done = slots.filter((t) => isUpdatedTask(svc, t)).length;
  const rollback = svc.updateStatus !== null && ROLLBACK_STATES.has(svc.updateStatus.state);
  return `${Math.min(done, total)} of ${total} ${rollback ? 'rolled back' : 'updated'}`;
}

export function pausedReason(in_: WhyInput): string | null {
  const u = in_.svc.updateStatus;
  if (!u || (u.state !== 'paused' && u.state !== 'rollback_paused')) return null;
  const policy = u.state === 'paused' ? in_.svc.updateConfig : in_.svc.rollbackConfig;
  const failed = /failure or early termination/i.test(u.message);
  const ratio = policy && policy.maxFailureRatio > 0 ? ` (${Math.round(policy.maxFailureRatio * 100)}% allowed)` : '';
  const cause = failed ? `failure ratio exceeded${ratio}` : u.message || 'paused';
  return `${u.state === 'paused' ? 'update' : 'rollback'} paused: ${progressText(in_)}, ${cause}`;
}

function constraintReason(in_: WhyInput): string {
  const constraints = parseConstraints(in_.svc.constraints);
  const all = [...in_.nodes.values()];
  const counted = constraints.map((c) => ({ c, n: all.filter((node) => meets(node, c) === true).length, known: all.length === 0 || meets(all[0] as NodeModel, c) !== null }));
  const worstOne = counted.filter((x) => x.known).sort((a, b) => a.n - b.n)[0];
  const joint = all.filter((n) => meetsAll(n, constraints));
  if (worstOne === undefined) return `no suitable node (scheduling constraints ${constraints.map((c) => c.text).join(', ') || '?'} not satisfied)`;
  if (worstOne.n > 0 && joint.length === 0) {
    return `no suitable node (constraints ${constraints.map((c) => c.text).join(', ')}: no node meets all of them, ${all.length} nodes)`;
  }
  const ready = joint.filter(schedulable).length;
  const notReady = worstOne.n > 0 && ready === 0 ? `, none of them ready and active` : '';
  return `no suitable node (constraint ${worstOne.c.text}: ${worstOne.n} of ${all.length} nodes match${notReady})`;
}

/** Nodes the scheduler may use for this service: ready, active, meeting its constraints. */
function eligibleNodes(in_: WhyInput, constraints: readonly Constraint[]): NodeModel[] {
  return [...in_.nodes.values()].filter((n) => schedulable(n) && meetsAll(n, constraints));
}

function resourceReason(in_: WhyInput): string {
  const want = in_.svc.reservations;
  const used = in_.used();
  const candidates = eligibleNodes(in_, parseConstraints(in_.svc.constraints));
  const parts: string[] = [];
  const largest = (free: (n: NodeModel) => number): { node: NodeModel; free: number } | null =>
    candidates.reduce<{ node: NodeModel; free: number } | null>((best, n) => {
      const f = Math.max(0, free(n));
      return best === null || f > best.free ? { node: n, free: f } : best;
    }, null);
  if (want.memoryBytes > 0) {
    const best = largest((n) => n.memoryBytes - (used.get(n.id)?.memoryBytes ?? 0));
    if (best === null || best.free < want.memoryBytes) {
      parts.push(`memory ${sizeText(want.memoryBytes)} reserved, ${best ? `largest free ${sizeText(best.free)} on ${best.node.hostname}` : 'no eligible node'}`);
    }
  }
  if (want.nanoCpus > 0) {
    const best = largest((n) => n.nanoCpus - (used.get(n.id)?.nanoCpus ?? 0));
    if (best === null || best.free < want.nanoCpus) {
      parts.push(`cpu ${cpuText(want.nanoCpus)} reserved, ${best ? `largest free ${cpuText(best.free)} on ${best.node.hostname}` : 'no eligible node'}`);
    }
  }
  return `insufficient resources (${parts.join('; ') || 'the reservations do not fit the nodes left'})`;
}

function maxReplicasReason(in_: WhyInput): string {
  const eligible = eligibleNodes(in_, parseConstraints(in_.svc.constraints)).length;
  const replicas = in_.svc.mode.kind === 'replicated' ? in_.svc.mode.replicas : in_.svc.desiredTasks ?? 0;
  return `max_replicas_per_node ${in_.svc.maxReplicasPerNode} with ${eligible} eligible node${eligible === 1 ? '' : 's'} for ${replicas} replicas`;
}

/** Tasks waiting for a node, explained from the scheduler's own words ("no suitable node (…; …)"). */
export function schedulingReasons(in_: WhyInput): string[] {
  const pending = in_.tasks.filter((t) => isCurrent(t) && t.state === 'pending' && t.err !== '');
  if (pending.length === 0) return [];
  const err = (pending[0] as TaskModel).err;
  const inner = /\((.*)\)\s*$/.exec(err)?.[1] ?? '';
  const parts = inner === '' ? [err] : inner.split(/;\s*/);
  const out: string[] = [];
  for (const p of parts) {
    if (/constraints not satisfied/i.test(p)) out.push(constraintReason(in_));
    else if (/insufficient resources/i.test(p)) out.push(resourceReason(in_));
    else if (/max replicas per node/i.test(p)) out.push(maxReplicasReason(in_));
    else if (/not available for new tasks/i.test(p)) out.push(`no suitable node (${p}: drained, paused or down)`);
    else out.push(/^no suitable node/i.test(err) && inner !== '' ? `no suitable node (${p})` : p);
  }
  return out;
}

/** Tasks rejected because a node has no such image (no registry reachable, or a typo in the tag). */
export function imageReason(in_: WhyInput): string | null {
  const latest = Math.max(0, ...in_.tasks.map((t) => t.stateSince));
  const byImage = new Map<string, string[]>();
  for (const t of in_.tasks) {
    if (t.state !== 'rejected' || latest - t.stateSince > CRASH_WINDOW_MS) continue;
    const m = /No such image: (\S+)/i.exec(t.err) ?? /(?:pull access denied for|manifest for) (\S+)/i.exec(t.err) ?? (/not found/i.test(t.err) ? [t.err, t.image] : null);
    if (!m) continue;
    const image = (m[1] ?? t.image).replace(/,$/, '').split('@')[0] ?? t.image;
    byImage.set(image, [...(byImage.get(image) ?? []), nameOf(in_.nodes, t.nodeId)]);
  }
  const first = [...byImage][0];
  if (!first) return null;
  return `image ${first[0]} not found on ${names(first[1])}`;
}

/** Tasks that exit and are restarted: how often, how, and whether it is every node or one (image vs node problem). */
export function crashReason(in_: WhyInput): string | null {
  const failed = in_.tasks.filter((t) => t.state === 'failed');
  if (failed.length === 0) return null;
  const latest = Math.max(...failed.map((t) => t.stateSince));
  const recent = failed.filter((t) => latest - t.stateSince <= CRASH_WINDOW_MS);
  if (recent.length < 2 && !(recent.length === 1 && in_.svc.runningTasks === 0)) return null;
  const codes = [...new Set(recent.map((t) => t.exitCode).filter((c): c is number => c !== null))].sort((a, b) => a - b);
  const how = codes.length > 0 ? `exit code${codes.length > 1 ? 's' : ''} ${codes.join(', ')}` : (recent[0] as TaskModel).err || 'failed';
  const failNodes = new Set(recent.map((t) => t.nodeId).filter((n): n is Id => n !== null));
  // Nodes where the service ran in the window: failures there, or tasks running fine.
  const tried = new Set(in_.tasks.filter((t) => t.nodeId !== null && (latest - t.stateSince <= CRASH_WINDOW_MS || t.state === 'running')).map((t) => t.nodeId as Id));
  const failNames = [...failNodes].map((id) => nameOf(in_.nodes, id));
  let where: string;
  if (failNodes.size === 1 && tried.size > 1) where = `failures only on ${failNames[0]}`;
  else if (failNodes.size > 1 && [...tried].every((n) => failNodes.has(n))) where = 'on every node';
  else where = `on ${names(failNames)}`;
  const span = Math.max(1, Math.round((latest - Math.min(...recent.map((t) => t.stateSince))) / 60_000));
  return `crash loop: ${recent.length} failure${recent.length === 1 ? '' : 's'} in ${recent.length === 1 ? 'its last run' : `${Math.min(span, CRASH_WINDOW_MS / 60_000)} min`}, ${how}, ${where}`;
}

/** Between two batches of an update: every updated task runs, the next batch waits for the delay. */
export function delayReason(in_: WhyInput): string | null {
  const u = in_.svc.updateStatus;
  if (!u || (u.state !== 'updating' && u.state !== 'rollback_started')) return null;
  const policy = u.state === 'updating' ? in_.svc.updateConfig : in_.svc.rollbackConfig;
  if (!policy || policy.delayNs <= 0) return null;
  const current = currentPerSlot(in_);
  if (current.some((t) => STARTING_STATES.has(t.state))) return null;
  const progress = progressText(in_);
  const [done, , total] = progress.split(' ');
  if (done === total) return null;
  return `waiting for update delay ${durationText(policy.delayNs)} (${progress})`;
}

export function updatingReason(in_: WhyInput): string | null {
  const u = in_.svc.updateStatus;
  if (!u || (u.state !== 'updating' && u.state !== 'rollback_started')) return null;
  return `${u.state === 'updating' ? 'update in progress' : 'rolling back'}: ${progressText(in_)}`;
}

export function downNodeReason(in_: WhyInput): string | null {
  const on = in_.tasks.filter((t) => isCurrent(t) && t.nodeId !== null && ACTIVE_STATES.has(t.state) && in_.nodes.get(t.nodeId)?.state === 'down');
  if (on.length === 0) return null;
  return `${on.length} task${on.length === 1 ? '' : 's'} on down node ${names(on.map((t) => nameOf(in_.nodes, t.nodeId)))}, waiting to be replaced`;
}

export function startingReason(in_: WhyInput): string | null {
  const starting = currentPerSlot(in_).filter((t) => STARTING_STATES.has(t.state) && t.state !== 'pending');
  if (starting.length === 0) return null;
  const states = [...new Set(starting.map((t) => t.state))].join(', ');
  return `${starting.length} task${starting.length === 1 ? '' : 's'} starting (${states})`;
}
