import type { EntryDraft, Severity, SubjectKind } from './entry.js';

/**
 * One line of the audit log as the timeline reads it. Both line kinds are accepted: an `attempt` line
 * written before a change is sent and the result line written after it (older logs have result lines only).
 */
export interface OperatorAction {
  at: number;
  context: string;
  user: string;
  action: string;
  target: { kind: string; id: string; name: string };
  input: string | null;
  /** done | stale | refused | failed | attempt (anything else is shown as written). */
  result: string;
  message: string;
}

const KINDS: ReadonlySet<string> = new Set(['service', 'node', 'task', 'secret', 'config', 'network', 'swarm', 'stack']);

function severityOf(result: string): Severity {
  if (result === 'failed') return 'error';
  return result === 'refused' || result === 'stale' ? 'warn' : 'info';
}

/** The operator's action as a timeline draft, marked as theirs ("operator", and who). */
export function operatorDraft(a: OperatorAction): EntryDraft {
  const kind: SubjectKind = KINDS.has(a.target.kind) ? (a.target.kind as SubjectKind) : 'swarm';
  const input = a.input !== null && a.input !== '' ? ` ${a.input}` : '';
  const what = a.result === 'attempt' ? 'sending' : a.result;
  return {
    at: a.at,
    source: 'operator',
    severity: severityOf(a.result),
    kind,
    objectId: a.target.id,
    name: a.target.name || a.target.id.slice(0, 12),
    text: `${a.user || 'someone'}: ${a.action}${input}: ${what}${a.message ? ` — ${a.message}` : ''}`,
  };
}
