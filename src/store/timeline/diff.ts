import type { Id, NodeModel, TaskModel, TaskState } from '../model.js';
import type { ClusterState } from '../state.js';
import { nodeFact, type Change, type ChangeDraft } from './changes.js';
import type { EntryDraft, Severity } from './entry.js';

/**
 * What changed between two store states, as timeline drafts: task transitions, node state, availability,
 * role, manager reachability, leader, labels, and the console's own connection. Pure: the live layer has
 * already read both states; this only compares them (a map that kept its identity is not looked into).
 */

/** States worth a line: where a task ends up, not every step on its way to running. */
const NOTABLE: ReadonlySet<TaskState> = new Set(['running', 'complete', 'failed', 'rejected', 'shutdown', 'orphaned']);
const BAD: ReadonlySet<TaskState> = new Set(['failed', 'rejected', 'orphaned']);

export function taskLabel(t: TaskModel, serviceName: string, nodeName: string): string {
  return `${serviceName}.${t.slot ?? (nodeName || t.nodeId || '?')}`;
}

function taskSeverity(t: TaskModel): Severity {
  if (BAD.has(t.state)) return 'error';
  return t.state === 'pending' && t.err !== '' ? 'warn' : 'info';
}

/** "task: non-zero exit (3) · exit code 3 · on lab-w1": why, how it ended, where. */
export function taskDetail(t: TaskModel, nodeName: string): string {
  const why = t.err || (BAD.has(t.state) ? t.message : '');
  const parts = [
    why,
    t.exitCode !== null && (t.state === 'failed' || t.state === 'complete') ? `exit code ${t.exitCode}` : '',
    nodeName ? `on ${nodeName}` : '',
  ].filter(Boolean);
  return parts.join(' · ');
}

function notable(t: TaskModel): boolean {
  return NOTABLE.has(t.state) || (t.state === 'pending' && t.err !== '');
}

function nodeName(state: ClusterState, id: Id | null): string {
  if (id === null) return '';
  return state.nodes.get(id)?.hostname ?? id.slice(0, 12);
}

/** One task's draft: a transition from `old`, or a new task seen in a notable state; null: nothing to say. */
export function taskDraft(state: ClusterState, t: TaskModel, old: TaskModel | undefined, now: number): EntryDraft | null {
  if (old !== undefined && old.state === t.state) return null;
  if (!notable(t)) return null;
  const svcName = state.services.get(t.serviceId)?.name ?? t.serviceId.slice(0, 12);
  const node = nodeName(state, t.nodeId);
  const detail = taskDetail(t, node);
  const head = old === undefined ? `new task, ${t.state}` : `${old.state} → ${t.state}`;
  return {
    at: t.stateSince > 0 ? t.stateSince : now, source: 'task', severity: taskSeverity(t), kind: 'task', objectId: t.id,
    name: taskLabel(t, svcName, node), text: head, detail, serviceId: t.serviceId, node,
  };
}

function taskDrafts(prev: ClusterState, next: ClusterState, now: number, out: EntryDraft[]): void {
  if (prev.tasksByService === next.tasksByService) return;
  for (const [serviceId, tasks] of next.tasksByService) {
    const before = prev.tasksByService.get(serviceId);
    if (before === tasks) continue;
    for (const t of tasks.values()) {
      const old = before?.get(t.id);
      if (old === t) continue;
      const d = taskDraft(next, t, old, now);
      if (d) out.push(d);
    }
  }
}

function labelChange(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(b)) {
    if (!(k in a)) parts.push(`+${k}=${v}`);
    else if (a[k] !== v) parts.push(`~${k}: ${a[k]} → ${v}`);
  }
  for (const k of Object.keys(a)) if (!(k in b)) parts.push(`-${k}`);
  return parts.length > 0 ? `labels ${parts.join(' ')}` : '';
}

function stateSeverity(s: string): Severity {
  return s === 'ready' ? 'info' : 'error';
}

/** The changes of one node, each with the fact key its engine event would carry. */
export function nodeChanges(a: NodeModel, b: NodeModel): Change[] {
  const out: Change[] = [];
  if (a.state !== b.state) {
    out.push({ fact: nodeFact(b.id, 'state', a.state, b.state), text: `${a.state} → ${b.state}${b.state !== 'ready' && b.stateMessage ? ` (${b.stateMessage})` : ''}`, severity: stateSeverity(b.state) });
  }
  if (a.availability !== b.availability) {
    out.push({ fact: nodeFact(b.id, 'availability', a.availability, b.availability), text: `availability ${a.availability} → ${b.availability}`, severity: b.availability === 'active' ? 'info' : 'warn' });
  }
  if (a.role !== b.role) out.push({ fact: nodeFact(b.id, 'role', a.role, b.role), text: `role ${a.role} → ${b.role}`, severity: 'warn' });
  const ra = a.manager?.reachability;
  const rb = b.manager?.reachability;
  if (ra !== undefined && rb !== undefined && ra !== rb) {
    out.push({ fact: nodeFact(b.id, 'reachability', ra, rb), text: `manager ${ra} → ${rb}`, severity: rb === 'reachable' ? 'info' : 'error' });
  }
  const labels = labelChange(a.labels, b.labels);
  if (labels) out.push({ fact: null, text: labels, severity: 'info' });
  if (a.engineVersion !== b.engineVersion && a.engineVersion !== '' && b.engineVersion !== '') {
    out.push({ fact: null, text: `engine ${a.engineVersion} → ${b.engineVersion}`, severity: 'info' });
  }
  return out;
}

function leaderOf(nodes: ClusterState['nodes']): NodeModel | null {
  for (const n of nodes.values()) if (n.manager?.leader) return n;
  return null;
}

function nodeDrafts(prev: ClusterState, next: ClusterState, now: number, out: ChangeDraft[]): void {
  if (prev.nodes === next.nodes) return;
  const base = (n: NodeModel): ChangeDraft['base'] => ({ at: now, source: 'node', kind: 'node', objectId: n.id, name: n.hostname || n.id.slice(0, 12) });
  for (const n of next.nodes.values()) {
    const old = prev.nodes.get(n.id);
    if (old === n) continue;
    if (old === undefined) {
      out.push({ base: base(n), changes: [], fallback: { text: `joined the swarm as ${n.role} (${n.state})`, severity: 'info' } });
      continue;
    }
    const changes = nodeChanges(old, n);
    if (changes.length > 0) out.push({ base: base(n), changes, fallback: null });
  }
  for (const n of prev.nodes.values()) {
    if (!next.nodes.has(n.id)) out.push({ base: base(n), changes: [], fallback: { text: 'removed from the swarm', severity: 'warn' } });
  }
  const a = leaderOf(prev.nodes);
  const b = leaderOf(next.nodes);
  if (a?.id !== b?.id) {
    const subject = b ?? a;
    // Live engine events leave leader changes to this line (one line, not one per node).
    if (subject) out.push({ base: base(subject), changes: [{ fact: null, text: `leader ${a?.hostname ?? 'none'} → ${b?.hostname ?? 'none'}`, severity: b ? 'warn' : 'error' }], fallback: null });
  }
}

function connectionDrafts(prev: ClusterState, next: ClusterState, now: number, out: EntryDraft[]): void {
  const a = prev.connection;
  const b = next.connection;
  const base = { at: now, source: 'console' as const, kind: 'console' as const, objectId: '', name: 'console' };
  if (a.context !== b.context) out.push({ ...base, severity: 'warn', text: `context ${a.context} → ${b.context}` });
  if (a.status === b.status && (b.status !== 'live' || a.endpoint === b.endpoint)) return;
  switch (b.status) {
    case 'live': {
      const away = a.staleSince !== null ? ` after ${Math.max(0, Math.round((now - a.staleSince) / 1000))} s without contact` : '';
      out.push({ ...base, severity: 'info', text: `${a.status === 'connecting' ? 'connected to' : 'reconnected to'} ${b.endpoint}${away}` });
      return;
    }
    case 'reconnecting':
      out.push({ ...base, severity: 'warn', text: `lost contact: ${b.error ?? b.endpoint}` });
      return;
    case 'failed':
      out.push({ ...base, severity: 'error', text: `no connection: ${b.error ?? b.endpoint}` });
      return;
    case 'connecting':
      return;
  }
}

export interface StateDiff {
  /** Drafts complete as they are (tasks, console). */
  drafts: EntryDraft[];
  /** Drafts made of facts an engine event may also report (nodes). */
  changes: ChangeDraft[];
}

/**
 * Everything that changed from `prev` to `next`, seen at `now`. Nothing while either state holds no
 * cluster yet (the first snapshot is where the timeline starts, not a change).
 */
export function diffStates(prev: ClusterState, next: ClusterState, now: number): StateDiff {
  const drafts: EntryDraft[] = [];
  const changes: ChangeDraft[] = [];
  connectionDrafts(prev, next, now, drafts);
  if (prev.syncedAt > 0 && next.syncedAt > 0 && prev.connection.context === next.connection.context) {
    nodeDrafts(prev, next, now, changes);
    taskDrafts(prev, next, now, drafts);
  }
  return { drafts, changes };
}
