import type { EntryDraft, Severity } from './entry.js';

/**
 * One fact of a change ("node X state ready → down"): the same fact may reach the timeline twice, from the
 * engine's event and from the console's own re-read; its key lets the second one be dropped.
 */
export interface Change {
  /** e.g. "node:ID:state:ready>down"; null when the fact has only one source. */
  fact: string | null;
  text: string;
  severity: Severity;
}

/** A draft whose text is made of changes (so already-recorded facts can be taken out). */
export interface ChangeDraft {
  base: Omit<EntryDraft, 'text' | 'severity'>;
  changes: Change[];
  /** Text and severity when there are no changes to list (created, removed, updated). */
  fallback: { text: string; severity: Severity } | null;
}

export function nodeFact(nodeId: string, field: string, from: string, to: string): string {
  return `node:${nodeId}:${field}:${from}>${to}`;
}

export function worst(severities: readonly Severity[]): Severity {
  if (severities.includes('error')) return 'error';
  return severities.includes('warn') ? 'warn' : 'info';
}

/**
 * The draft with only the changes whose facts are not in `seen` (null: nothing new to say). A draft
 * that had changes and lost them all is dropped; one that never had any uses its fallback.
 */
export function freshDraft(d: ChangeDraft, seen: (fact: string) => boolean): EntryDraft | null {
  const fresh = d.changes.filter((c) => c.fact === null || !seen(c.fact));
  if (fresh.length > 0) return { ...d.base, text: fresh.map((c) => c.text).join(', '), severity: worst(fresh.map((c) => c.severity)) };
  if (d.changes.length > 0 || d.fallback === null) return null;
  return { ...d.base, ...d.fallback };
}
