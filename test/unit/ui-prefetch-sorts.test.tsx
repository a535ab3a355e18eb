import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sortRows } from '../../src/ui/panes/order.js';
import type { Column, RowBase } from '../../src/ui/panes/types.js';
import { PREFETCH_QUIET_MS, usePrefetchSorts } from '../../src/ui/usePrefetchSorts.js';

interface R extends RowBase { size: number; kind: string }

function table(count: number) {
  const calls = new Map<string, number>();
  const counted = (title: string, key: (r: R) => string | number): Column<R> => ({
    title, width: 8, cell: (r) => String(key(r)),
    sortKey: (r) => {
      calls.set(title, (calls.get(title) ?? 0) + 1);
      return key(r);
    },
  });
  const columns = [counted('NAME', (r) => r.name), counted('SIZE', (r) => r.size), counted('KIND', (r) => r.kind)] as unknown as Column<RowBase>[];
  const rows: R[] = Array.from({ length: count }, (_, i) => ({ id: `r${i}`, name: `row-${(i * 7919) % count}`, version: 1, search: '', size: i % 97, kind: ['a', 'b', 'c'][i % 3] as string }));
  return { rows, columns, calls };
}

function Probe({ rows, columns }: { rows: readonly RowBase[]; columns: readonly Column<RowBase>[] }) {
  usePrefetchSorts(rows, columns, { column: 0, desc: false });
  return <Text>{rows.length}</Text>;
}

/** React runs the hook's effect (which sets its timer) on a later turn of the event loop: wait for it. */
async function effectsRun(): Promise<void> {
  for (let i = 0; i < 100 && vi.getTimerCount() === 0; i++) await new Promise((r) => setImmediate(r));
}

describe('sorts computed ahead while the rows stay the same', () => {
  // Only the hook's timers are fake: the rows' quiet time is moved by hand, never waited for.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a large table: once quiet, the next column, this one reversed and the others are ready (no key read at the keystroke)', async () => {
    const { rows, columns, calls } = table(3000);
    const view = render(<Probe rows={rows} columns={columns} />);
    await effectsRun();
    vi.advanceTimersByTime(PREFETCH_QUIET_MS - 1);
    expect(calls.size).toBe(0);
    vi.runAllTimers();
    view.unmount();
    calls.clear();
    sortRows(rows, columns, { column: 1, desc: false });
    sortRows(rows, columns, { column: 0, desc: true });
    sortRows(rows, columns, { column: 2, desc: false });
    expect(calls.size).toBe(0);
  });

  it('a small table, or rows that keep changing: nothing is computed ahead', async () => {
    const small = table(500);
    const view = render(<Probe rows={small.rows} columns={small.columns} />);
    const big = table(3000);
    const changing = render(<Probe rows={big.rows} columns={big.columns} />);
    await effectsRun();
    for (let i = 0; i < 4; i++) {
      vi.advanceTimersByTime(PREFETCH_QUIET_MS * 0.3);
      changing.rerender(<Probe rows={[...big.rows]} columns={big.columns} />);
      await effectsRun();
    }
    vi.advanceTimersByTime(PREFETCH_QUIET_MS * 0.9);
    expect(big.calls.size).toBe(0);
    // Once the rows stay the same for the whole quiet time, the big table's orders are computed; never the small one's.
    vi.runAllTimers();
    expect(big.calls.size).toBeGreaterThan(0);
    view.unmount();
    changing.unmount();
    expect(small.calls.size).toBe(0);
  });
});
