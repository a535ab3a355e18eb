import { open } from 'node:fs/promises';
import { auditLogFile } from '../config/paths.js';
import type { OperatorAction } from '../store/timeline/operator.js';

/** The end of a long audit log is read, never all of it (a window of an incident is recent). */
const TAIL_BYTES = 8 * 2 ** 20;

export interface AuditLine {
  action: OperatorAction;
  /** The line as written in the file. */
  raw: string;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * One audit line, read tolerantly: result lines (`result: done|stale|refused|failed`) and attempt lines
 * (written before a change is sent: `result`, `phase` or `stage` "attempt"); null for anything that is
 * not an audit line (a torn last line, a foreign line).
 */
export function parseAuditLine(line: string): OperatorAction | null {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return null;
  const o = v as Record<string, unknown>;
  const at = Date.parse(text(o.time));
  const action = text(o.action);
  if (!Number.isFinite(at) || action === '') return null;
  const t = o.target !== null && typeof o.target === 'object' ? (o.target as Record<string, unknown>) : {};
  const attempt = [o.phase, o.stage, o.kind, o.result].some((x) => x === 'attempt');
  return {
    at,
    context: text(o.context),
    user: text(o.user),
    action,
    target: { kind: text(t.kind), id: text(t.id), name: text(t.name) },
    input: typeof o.input === 'string' ? o.input : null,
    result: attempt ? 'attempt' : text(o.result) || 'unknown',
    message: text(o.message),
  };
}

export interface AuditQuery {
  /** Epoch ms: lines at or after. */
  since: number;
  /** Epoch ms: lines before (Infinity: up to now). */
  until?: number;
  /** Only this context's lines (the cluster being looked at); null: all. */
  context: string | null;
}

/** The audit lines of a window, oldest first; none when there is no audit log yet. */
export async function readAuditLines(q: AuditQuery, file: string = auditLogFile()): Promise<AuditLine[]> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n');
    if (start > 0) lines.shift(); // the first line was cut in the middle
    const until = q.until ?? Number.POSITIVE_INFINITY;
    const out: AuditLine[] = [];
    for (const raw of lines) {
      const action = parseAuditLine(raw);
      if (!action || action.at < q.since || action.at >= until) continue;
      if (q.context !== null && action.context !== q.context) continue;
      out.push({ action, raw });
    }
    return out;
  } finally {
    await fh.close();
  }
}
