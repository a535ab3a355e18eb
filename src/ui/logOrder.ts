import type { LogLine } from './options.js';

/**
 * A service's logs come task by task (the engine sends each task's backlog in turn), so the console
 * merges them by time: the operator reads one timeline across replicas, as with `--timestamps | sort`.
 */

/** RFC3339Nano with the fraction padded to 9 digits, so plain string order is time order ('' stays ''). */
export function timeKey(ts: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) return ts;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}

/** The batch's lines in time order (stable); a line without a timestamp keeps the time of the one before it. */
function sortedBatch(batch: readonly LogLine[], after: string): { line: LogLine; key: string }[] {
  let last = after;
  const keyed = batch.map((line, i) => {
    const k = timeKey(line.timestamp);
    if (k !== '') last = k;
    return { line, key: k === '' ? last : k, i };
  });
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.i - b.i));
  return keyed;
}

/**
 * Appends a batch to lines already in time order, keeping the whole in time order. Lines usually arrive in
 * order (a plain append); only a backlog reaches back, and only as far as its oldest line.
 */
export function mergeByTime(existing: readonly LogLine[], batch: readonly LogLine[]): LogLine[] {
  if (batch.length === 0) return existing.slice();
  const lastKey = (lines: readonly LogLine[], from: number): string => {
    for (let i = from; i >= 0; i--) {
      const k = timeKey(lines[i]?.timestamp ?? '');
      if (k !== '') return k;
    }
    return '';
  };
  const sorted = sortedBatch(batch, lastKey(existing, existing.length - 1));
  const first = sorted[0]?.key ?? '';
  // Where the batch starts: after every existing line not later than its first line.
  let at = existing.length;
  while (at > 0) {
    const k = timeKey(existing[at - 1]?.timestamp ?? '');
    if (k === '' || k <= first) break;
    at--;
  }
  const out = existing.slice(0, at);
  let i = at;
  let j = 0;
  while (i < existing.length || j < sorted.length) {
    const e = existing[i];
    const b = sorted[j];
    // Ties go to the existing line: what is on screen does not move.
    if (e !== undefined && (b === undefined || timeKey(e.timestamp) <= b.key)) {
      out.push(e);
      i++;
    } else if (b !== undefined) {
      out.push(b.line);
      j++;
    }
  }
  return out;
}
