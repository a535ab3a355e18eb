import type { Column, RowBase } from './types.js';

/**
 * Sorting and filtering for tables of up to ~100k rows within a keystroke budget:
 * - sort keys are extracted once per sort (not per comparison) and results are cached per rows array;
 * - filtering compares precomputed lowercase search keys, and typing one more character narrows the
 *   previous result instead of rescanning every row.
 */

export interface SortSpec {
  column: number;
  desc: boolean;
}

const sortCache = new WeakMap<readonly RowBase[], Map<string, readonly RowBase[]>>();

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
  if (cached) return cached;
  // Ties keep the first column's (the name's) ascending order, not whatever order the store holds.
  const base = sort.column === 0 ? rows : sortRows(rows, columns, { column: 0, desc: false });
  const result = sortedOrder(base, column, sort.desc);
  perRows.set(cacheKey, result);
  return result;
}

const compare = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Sorted distinct keys. All-string keys use the default sort (native code-unit order, the same order as
 * `<`, without a JS comparator call per pair); all-number keys a Float64Array's native numeric sort.
 */
export function sortDistinct(values: (string | number)[]): (string | number)[] {
  if (values.every((v) => typeof v === 'string')) return values.sort();
  if (values.every((v) => typeof v === 'number')) return Array.from(Float64Array.from(values).sort());
  return values.sort(compare);
}

/**
 * Sorts by ranking the distinct key values (few for most columns: states, nodes, images) and then sorting
 * packed numbers rank*n+index in a Float64Array with the engine's native numeric sort: no comparator calls
 * per pair, stable (ties keep their original order), and the same code both ways.
 */
function sortedOrder(rows: readonly RowBase[], column: Column<RowBase>, desc: boolean): readonly RowBase[] {
  const n = rows.length;
  const keys = new Array<string | number>(n);
  const distinct = new Map<string | number, number>();
  for (let i = 0; i < n; i++) {
    const k = column.sortKey(rows[i] as RowBase);
    keys[i] = k;
    distinct.set(k, 0);
  }
  const values = sortDistinct([...distinct.keys()]);
  const last = values.length - 1;
  values.forEach((v, rank) => distinct.set(v, desc ? last - rank : rank));
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (distinct.get(keys[i] as string | number) as number) * n + i;
  packed.sort();
  const result = new Array<RowBase>(n);
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
