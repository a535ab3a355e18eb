import { chmod, mkdir, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import { userInfo } from 'node:os';
import { auditLogFile } from '../config/paths.js';
import type { ActionOutcome, TargetKind } from './types.js';

/**
 * One line of the audit log. Never holds a token, key or passphrase. A run writes two lines: `attempt`
 * before anything is sent (if it cannot be written, nothing is sent), then its outcome; both carry the
 * endpoint the request goes to and the same `run` id. A refusal before running is one line.
 */
export interface AuditEntry {
  time: string;
  context: string;
  user: string;
  action: string;
  target: { kind: TargetKind; id: string; name?: string };
  /** The operator's input (replicas, labels); null when none or when the input is secret. */
  input: string | null;
  result: ActionOutcome['kind'] | 'attempt';
  message: string;
  /** The field diff of a spec change that was attempted (masked values), whatever the result. */
  changes?: readonly string[];
  /** The engine the requests go to (lines of a run). */
  endpoint?: string;
  /** Ties a run's attempt line to its outcome line. */
  run?: string;
}

/** The masked diff a confirmed plan carries for the audit log (plans of spec changes do), if any. */
export function auditChangesOf(plan: unknown): readonly string[] | null {
  if (plan === null || typeof plan !== 'object' || !('audit' in plan)) return null;
  const audit: unknown = plan.audit;
  return Array.isArray(audit) && audit.every((x) => typeof x === 'string') ? audit : null;
}

export type AuditSink = (entry: AuditEntry) => Promise<void>;

/** Appends JSON lines to the audit log (dir 0700, file 0600: it says who did what to which cluster). */
export function fileAuditLog(file: string = auditLogFile()): AuditSink {
  return async (entry) => {
    const dir = dirname(file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    const fh = await open(file, 'a', 0o600);
    try {
      await fh.chmod(0o600);
      await fh.appendFile(`${JSON.stringify(entry)}\n`, 'utf8');
    } finally {
      await fh.close();
    }
  };
}

export function currentUser(env: Readonly<Record<string, string | undefined>> = process.env): string {
  try {
    return userInfo().username;
  } catch {
    return env.USER ?? env.LOGNAME ?? 'unknown';
  }
}
