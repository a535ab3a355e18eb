import { nodeFact, type Change, type ChangeDraft } from './changes.js';
import type { Severity } from './entry.js';

/** An engine event as the timeline needs it (the docker layer's SwarmEvent has this shape). */
export interface EngineEventInput {
  kind: 'service' | 'node' | 'secret' | 'config' | 'network';
  /** create | update | remove */
  action: string;
  id: string;
  name: string;
  attributes: Readonly<Record<string, string>>;
  /** Epoch ms (the engine's clock). */
  at: number;
  /** The engine's "seconds.nanoseconds": with kind, id and action it tells a replayed event from a new one. */
  since: string;
}

/** Identifies one event: a stream resumed after a reconnect replays some, and history overlaps the stream. */
export function eventKey(e: EngineEventInput): string {
  const attrs = Object.keys(e.attributes).sort().map((k) => `${k}=${e.attributes[k] ?? ''}`).join(',');
  return `${e.since}|${e.kind}|${e.id}|${e.action}|${attrs}`;
}

function pair(a: Readonly<Record<string, string>>, key: string): { from: string; to: string } | null {
  const to = a[`${key}.new`];
  if (to === undefined) return null;
  return { from: a[`${key}.old`] ?? '', to };
}

const arrow = (p: { from: string; to: string }): string => (p.from === '' ? `→ ${p.to}` : `${p.from} → ${p.to}`);

function updateStateSeverity(s: string): Severity {
  if (s === 'paused' || s === 'rollback_paused' || s === 'rollback_started') return 'error';
  return s === 'rollback_completed' ? 'warn' : 'info';
}

function serviceChanges(a: Readonly<Record<string, string>>): Change[] {
  const out: Change[] = [];
  const image = pair(a, 'image');
  if (image) out.push({ fact: null, text: `image ${arrow(image)}`, severity: 'info' });
  const replicas = pair(a, 'replicas');
  if (replicas) out.push({ fact: null, text: `replicas ${arrow(replicas)}`, severity: 'info' });
  const update = pair(a, 'updatestate');
  if (update) out.push({ fact: null, text: `update state ${arrow(update)}`, severity: updateStateSeverity(update.to) });
  return out;
}

function nodeChanges(id: string, a: Readonly<Record<string, string>>, live: boolean): Change[] {
  const out: Change[] = [];
  const state = pair(a, 'state');
  if (state) out.push({ fact: nodeFact(id, 'state', state.from, state.to), text: arrow(state), severity: state.to === 'ready' ? 'info' : 'error' });
  const avail = pair(a, 'availability');
  if (avail) out.push({ fact: nodeFact(id, 'availability', avail.from, avail.to), text: `availability ${arrow(avail)}`, severity: avail.to === 'active' ? 'info' : 'warn' });
  const role = pair(a, 'role');
  if (role) out.push({ fact: nodeFact(id, 'role', role.from, role.to), text: `role ${arrow(role)}`, severity: 'warn' });
  const reach = pair(a, 'reachability');
  if (reach) out.push({ fact: nodeFact(id, 'reachability', reach.from, reach.to), text: `manager ${arrow(reach)}`, severity: reach.to === 'reachable' ? 'info' : 'error' });
  // Live, the console's re-read reports a leader change as one line ("leader a → b"), not one per node.
  const leader = live ? null : pair(a, 'leader');
  if (leader) out.push({ fact: nodeFact(id, 'leader', leader.from, leader.to), text: leader.to === 'true' ? 'became the leader' : 'is no longer the leader', severity: 'warn' });
  return out;
}

const ACTION_WORDS: Readonly<Record<string, string>> = { create: 'created', update: 'updated', remove: 'removed' };

/**
 * An event as a draft. `name` resolves an object the event does not name (node events often carry an
 * empty name). `live`: the console also re-reads what the event is about, so a node update that names
 * no change (its description or labels, which the re-read shows precisely) says nothing on its own.
 */
export function eventDraft(e: EngineEventInput, name: string, live: boolean): ChangeDraft | null {
  const changes = e.kind === 'service' ? serviceChanges(e.attributes) : e.kind === 'node' ? nodeChanges(e.id, e.attributes, live) : [];
  if (changes.length === 0 && e.action === 'update' && e.kind === 'node' && (live || name === '')) return null;
  const word = ACTION_WORDS[e.action] ?? e.action;
  return {
    base: { at: e.at, source: 'engine', kind: e.kind, objectId: e.id, name: name || e.id.slice(0, 12), history: !live },
    changes,
    fallback: { text: word, severity: e.action === 'remove' && (e.kind === 'service' || e.kind === 'node') ? 'warn' : 'info' },
  };
}
