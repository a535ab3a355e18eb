import type { TimelineEntry } from '../../store/timeline/entry.js';
import type { ReadableTimeline } from '../../store/timeline/timeline.js';
import type { PaneTable } from '../panes/columns.js';
import type { Column, RowBase } from '../panes/types.js';

/** "16:18:33" for today's entries, "12-06 16:18" for older ones (local time, as the operator's clock). */
export function clockText(at: number, now: number): string {
  const d = new Date(at);
  const today = new Date(now);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate()) {
    return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }
  return `${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function columns(now: number): Column<RowBase>[] {
  const c: Column<TimelineEntry>[] = [
    { title: 'TIME', width: 11, cell: (e) => clockText(e.at, now), sortKey: (e) => e.at },
    {
      title: 'SEV', width: 5, cell: (e) => (e.severity === 'info' ? '' : e.severity), sortKey: (e) => (e.severity === 'error' ? 0 : e.severity === 'warn' ? 1 : 2),
      color: (e) => (e.severity === 'error' ? 'error' : e.severity === 'warn' ? 'warn' : undefined),
    },
    // The operator's own actions stand out: what we did, beside what the cluster did.
    { title: 'SOURCE', width: 8, cell: (e) => (e.history && e.source !== 'console' ? `${e.source}*` : e.source), sortKey: (e) => e.source, color: (e) => (e.source === 'operator' ? 'accent' : e.source === 'console' ? 'muted' : undefined) },
    { title: 'OBJECT', width: 0, minWidth: 16, cell: (e) => (e.kind === 'console' ? e.name : `${e.kind} ${e.name}`), sortKey: (e) => `${e.kind} ${e.name}`.toLowerCase() },
    { title: 'WHAT', width: 0, minWidth: 24, grow: 3, cell: (e) => e.text, sortKey: (e) => e.text.toLowerCase() },
  ];
  return c as unknown[] as Column<RowBase>[];
}

let lastColumns: { day: string; columns: Column<RowBase>[] } | null = null;

/** Columns change only when the day does (the TIME format depends on it). */
function columnsFor(now: number): Column<RowBase>[] {
  const day = new Date(now).toDateString();
  if (lastColumns?.day !== day) lastColumns = { day, columns: columns(now) };
  return lastColumns.columns;
}

const warnCache = new WeakMap<readonly TimelineEntry[], readonly TimelineEntry[]>();

/** The timeline pane's rows: every entry, or only warnings and errors (`w`). */
export function timelineTable(timeline: ReadableTimeline | null, warnOnly: boolean, now: number): PaneTable {
  const all = timeline?.entries() ?? [];
  let rows = all;
  if (warnOnly) {
    let cached = warnCache.get(all);
    if (!cached) {
      cached = all.filter((e) => e.severity !== 'info');
      warnCache.set(all, cached);
    }
    rows = cached;
  }
  return { rows, columns: columnsFor(now) };
}

/** The title line's note: what is shown, and how much the ring holds. */
export function timelineNote(timeline: ReadableTimeline | null, warnOnly: boolean): string {
  if (!timeline) return '  (no timeline in this console)';
  const dropped = timeline.dropped > 0 ? `, ${timeline.dropped} oldest dropped` : '';
  return `${warnOnly ? '  warnings and errors only (w: all)' : ''}  keeps the last ${timeline.capacity.toLocaleString('en-US')}${dropped}  * read back from history`;
}
