import { useEffect } from 'react';
import { sortRows, type SortSpec } from './panes/order.js';
import type { Column, RowBase } from './panes/types.js';

/** Tables smaller than this sort within a keystroke anyway. */
const PREFETCH_MIN_ROWS = 2000;
/** How long the rows must stay the same before the orders are computed (a rollout never waits this long). */
export const PREFETCH_QUIET_MS = 1000;

/**
 * Computes, while nothing changes, the orders the next sort key asks for (o: the next column, O: this
 * one reversed; then the other columns), one column per timer turn so keys are never kept waiting.
 * sortRows caches them per rows array, so a sort keystroke on 50,000 tasks only draws. Costs nothing
 * while the rows keep changing, and once per change when they settle.
 */
export function usePrefetchSorts(rows: readonly RowBase[], columns: readonly Column<RowBase>[], current: SortSpec): void {
  const { column, desc } = current;
  useEffect(() => {
    if (rows.length < PREFETCH_MIN_ROWS || columns.length === 0) return;
    const n = columns.length;
    const wanted: SortSpec[] = [{ column: (column + 1) % n, desc: false }, { column, desc: !desc }];
    for (let i = 2; i < n; i++) wanted.push({ column: (column + i) % n, desc: false });
    let timer = setTimeout(function next() {
      const spec = wanted.shift();
      if (!spec) return;
      sortRows(rows, columns, spec);
      timer = setTimeout(next, 0);
    }, PREFETCH_QUIET_MS);
    return () => clearTimeout(timer);
  }, [rows, columns, column, desc]);
}
