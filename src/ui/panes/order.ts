import { argsortStrings } from './argsort-strings.js';
import { blockChanges } from './blocks.js';
import type { Column, RowBase } from './types.js';

/**
 * Sorting and filtering for tables of up to ~100k rows within a keystroke budget:
 * - every order is computed once per rows array and cached; the name order (the first column) under
 *   the others is the one redone on each store change, and it is merged: a new rows array that mostly
 *   holds the same row objects (a poll replaced a few tasks) keeps the old order of the rows still
 *   there, with the new rows placed by binary search;
 * - another column is then one pass over the name order: its keys ranked (a radix argsort for strings
 *   that nearly all differ, sorted numbers for numbers, a map for a few distinct strings) and a native
 *   Float64Array sort of rank·n + position, stable, with no comparator calls;
 * - filtering compares precomputed lowercase search keys, and typing one more character narrows the
 *   previous result instead of rescanning every row.
 * Order: by the column (ascending or descending), ties by the first column (the name) ascending, then
 * as the rows came (a merged name order keeps the previous order of equal names: steadier on screen).
 */

export interface SortSpec {
  column: number;
  desc: boolean;
}

/** Per rows array and sort: the column it was computed for (live columns, CPU, are new objects as their values change). */
const sortCache = new WeakMap<readonly RowBase[], Map<string, { column: Column<RowBase>; sorted: readonly RowBase[] }>>();

interface LastNameOrder {
  column: Column<RowBase>;
  desc: boolean;
  rows: readonly RowBase[];
  /** The rows as a set, made when first merged into. */
  members: Set<RowBase> | null;
  sorted: readonly RowBase[];
}
/** The latest large name orders (ascending and descending), to merge the next rows array into. */
const lastNameOrders: LastNameOrder[] = [];
const LAST_KEPT = 2;

/** Below this many rows any sort is cheap; at most this share of new rows is merged. */
const MERGE_MIN_ROWS = 2000;
const MERGE_MAX_NEW = 0.25;

export function sortRows(rows: readonly RowBase[], columns: readonly Column<RowBase>[], sort: SortSpec): readonly RowBase[] {
  const column = columns[sort.column];
  if (!column) return rows;
  let perRows = sortCache.get(rows);
  if (!perRows) {
    perRows = new Map();
    sortCache.set(rows, perRows);
  }
  const cacheKey = `${sort.column}:${sort.desc ? 'd' : 'a'}`;
  const cached = perRows.get(cacheKey);
  if (cached && cached.column === column) return cached.sorted;
  let result: readonly RowBase[];
  if (sort.column === 0) {
    result = mergeIntoLast(rows, column, sort.desc) ?? sortedOrder(rows, column, sort.desc);
    if (rows.length >= MERGE_MIN_ROWS) remember({ column, desc: sort.desc, rows, members: null, sorted: result });
  } else {
    // Ties keep the first column's (the name's) ascending order, not whatever order the store holds.
    result = sortedOrder(sortRows(rows, columns, { column: 0, desc: false }), column, sort.desc);
  }
  perRows.set(cacheKey, { column, sorted: result });
  return result;
}

function remember(entry: LastNameOrder): void {
  const at = lastNameOrders.findIndex((l) => l.column === entry.column && l.desc === entry.desc);
  if (at >= 0) lastNameOrders.splice(at, 1);
  lastNameOrders.unshift(entry);
  lastNameOrders.length = Math.min(lastNameOrders.length, LAST_KEPT);
}

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/** The old order of the rows still there, with the new rows placed by binary search; null: sort in full. */
function mergeIntoLast(rows: readonly RowBase[], column: Column<RowBase>, desc: boolean): readonly RowBase[] | null {
  const last = lastNameOrders.find((l) => l.column === column && l.desc === desc);
  if (!last || last.rows === rows || rows.length < MERGE_MIN_ROWS) return null;
  const change = keptAndAdded(last, rows);
  if (!change) return null;
  return placeByBinarySearch(change.kept, sortedOrder(change.added, column, desc), column, desc, rows.length);
}

/** The last order minus the rows gone, and the rows new; null when too many are new to merge. */
function keptAndAdded(last: LastNameOrder, rows: readonly RowBase[]): { kept: readonly RowBase[]; added: RowBase[] } | null {
  // Built from blocks (tasks per service): compare blocks, not rows.
  const changes = blockChanges(last.rows, rows);
  if (changes) {
    if (changes.added.length > rows.length * MERGE_MAX_NEW) return null;
    const { gone, added } = changes;
    if (gone.size === 0) return { kept: last.sorted, added };
    // A row of a changed block that is still there comes back among the added.
    return { kept: last.sorted.filter((r) => !gone.has(r)), added };
  }
  const members = (last.members ??= new Set(last.rows));
  const added = rows.filter((r) => !members.has(r));
  if (added.length > rows.length * MERGE_MAX_NEW) return null;
  const present = new Set(rows);
  return { kept: last.sorted.filter((r) => present.has(r)), added };
}

function placeByBinarySearch(kept: readonly RowBase[], fresh: readonly RowBase[], column: Column<RowBase>, desc: boolean, total: number): RowBase[] {
  const sign = desc ? -1 : 1;
  const keys = fresh.map((r) => column.sortKey(r));
  // Each new row goes after the kept rows that sort before it or tie with it (the rows already on
  // screen stay first): a few comparisons per new row, none per kept row.
  const out = new Array<RowBase>(total);
  let w = 0;
  let i = 0;
  let floor = 0;
  fresh.forEach((row, f) => {
    const key = keys[f] as string | number;
    let lo = floor;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sign * compare(key, column.sortKey(kept[mid] as RowBase)) < 0) hi = mid;
      else lo = mid + 1;
    }
    while (i < lo) out[w++] = kept[i++] as RowBase;
    out[w++] = row;
    floor = lo;
  });
  while (i < kept.length) out[w++] = kept[i++] as RowBase;
  return out;
}

/**
 * Sorted distinct keys. All-string keys use the default sort (native code-unit order, the same order as
 * `<`, without a JS comparator call per pair); all-number keys a Float64Array's native numeric sort.
 */
export function sortDistinct(values: (string | number)[]): (string | number)[] {
  if (values.every((v) => typeof v === 'string')) return values.sort();
  if (values.every((v) => typeof v === 'number')) return Array.from(Float64Array.from(values).sort());
  return values.sort(compare);
}

/** Below this many rows the map ranking is as quick as any. */
const SMALL_SORT = 256;

/** Whether string keys are mostly distinct (ids, names), judged on a sample. */
function mostlyDistinctStrings(keys: readonly (string | number)[]): keys is readonly string[] {
  const sample = new Set(keys.slice(0, 1024));
  return keys.every((k) => typeof k === 'string') && sample.size > Math.min(keys.length, 1024) / 2;
}

/** Rank of every number key (equal keys equal ranks), descending by negation: sorted copy + binary search. */
function numberRanks(keys: readonly number[], desc: boolean): Float64Array {
  const n = keys.length;
  // NaN sorts first, as the smallest.
  const values = Float64Array.from(keys, (k) => (Number.isNaN(k) ? Number.NEGATIVE_INFINITY : desc ? -k : k));
  const sorted = values.slice().sort();
  const ranks = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((sorted[mid] as number) < v) lo = mid + 1;
      else hi = mid;
    }
    ranks[i] = lo;
  }
  return ranks;
}

/** Rank of every key through a map of the distinct values (few for most columns: states, nodes, images). */
function distinctRanks(keys: readonly (string | number)[], desc: boolean): Float64Array {
  const distinct = new Map<string | number, number>();
  for (const k of keys) distinct.set(k, 0);
  const values = sortDistinct([...distinct.keys()]);
  const last = values.length - 1;
  values.forEach((v, rank) => distinct.set(v, desc ? last - rank : rank));
  return Float64Array.from(keys, (k) => distinct.get(k) as number);
}

/** Stable sort by one column (ties keep the order of `rows`). */
function sortedOrder(rows: readonly RowBase[], column: Column<RowBase>, desc: boolean): readonly RowBase[] {
  const n = rows.length;
  const keys = new Array<string | number>(n);
  for (let i = 0; i < n; i++) keys[i] = column.sortKey(rows[i] as RowBase);
  const result = new Array<RowBase>(n);
  if (n > SMALL_SORT && mostlyDistinctStrings(keys)) {
    const order = argsortStrings(keys, desc);
    for (let j = 0; j < n; j++) result[j] = rows[order[j] as number] as RowBase;
    return result;
  }
  const ranks = n > SMALL_SORT && keys.every((k) => typeof k === 'number') ? numberRanks(keys, desc) : distinctRanks(keys, desc);
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (ranks[i] as number) * n + i;
  packed.sort();
  for (let j = 0; j < n; j++) result[j] = rows[(packed[j] as number) % n] as RowBase;
  return result;
}

interface FilterMemo {
  query: string;
  result: readonly RowBase[];
}

const filterCache = new WeakMap<readonly RowBase[], FilterMemo>();

export function filterRows(rows: readonly RowBase[], rawQuery: string): readonly RowBase[] {
  const query = rawQuery.trim().toLowerCase();
  if (query === '') return rows;
  const last = filterCache.get(rows);
  if (last && last.query === query) return last.result;
  // A longer query can only match a subset of what the shorter one matched.
  const source = last && query.startsWith(last.query) ? last.result : rows;
  const terms = query.split(/\s+/);
  const result = terms.length === 1
    ? source.filter((r) => r.search.includes(query))
    : source.filter((r) => terms.every((t) => r.search.includes(t)));
  filterCache.set(rows, { query, result });
  return result;
}

/** Index of the row with this id, else the nearest valid index. */
export function cursorIndex(rows: readonly RowBase[], id: string | null, fallback: number): number {
  if (rows.length === 0) return 0;
  if (id !== null) {
    const at = rows[fallback]?.id === id ? fallback : rows.findIndex((r) => r.id === id);
    if (at >= 0) return at;
  }
  return Math.max(0, Math.min(fallback, rows.length - 1));
}

/** Scroll offset that keeps the cursor visible, moving the window as little as possible. */
export function scrollOffset(offset: number, cursor: number, height: number, total: number): number {
  if (height <= 0) return 0;
  let top = offset;
  if (cursor < top) top = cursor;
  if (cursor >= top + height) top = cursor - height + 1;
  return Math.max(0, Math.min(top, Math.max(0, total - height)));
}
