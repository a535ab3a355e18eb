import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { Table, layoutColumns } from '../../src/ui/components/Table.js';
import { cursorIndex, filterRows, scrollOffset, sortRows } from '../../src/ui/panes/order.js';
import type { Column, RowBase } from '../../src/ui/panes/types.js';
import { loadTheme } from '../../src/ui/theme.js';

interface R extends RowBase { n: number }
const rows: R[] = Array.from({ length: 1000 }, (_, i) => ({ id: `id${i}`, name: `row-${String(i).padStart(4, '0')}`, version: 1, n: (i * 7) % 13, search: `row-${String(i).padStart(4, '0')} ${i % 2 ? 'odd' : 'even'}` }));
const columns = [
  { title: 'NAME', width: 0, minWidth: 8, cell: (r: R) => r.name, sortKey: (r: R) => r.name },
  { title: 'N', width: 4, align: 'right', cell: (r: R) => String(r.n), sortKey: (r: R) => r.n },
  { title: 'LONG', width: 10, cell: () => 'abcdefghijklmnop', sortKey: () => 0 },
] as unknown as Column<RowBase>[];

describe('table', () => {
  it('renders only the visible rows, truncating cells', () => {
    const { lastFrame } = render(<Table columns={columns} rows={rows} cursor={502} offset={500} width={40} height={6} sort={{ column: 0, desc: false }} theme={loadTheme('no-color')} emptyText="none" />);
    const lines = (lastFrame() ?? '').split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatch(/^NAME↑\s+N LONG/);
    expect(lines[1]).toContain('row-0500');
    expect(lines[5]).toContain('row-0504');
    expect(lines[1]).toContain('abcdefghi~');
    expect(lastFrame()).not.toContain('row-0505');
  });

  it('drops columns that do not fit and shares the rest among flexible ones', () => {
    expect(layoutColumns(columns, 40)).toEqual([24, 4, 10]);
    expect(layoutColumns(columns, 14)).toEqual([9, 4]);
  });

  it('sorts by column both ways, stable, cached per rows array', () => {
    const byN = sortRows(rows, columns, { column: 1, desc: false }) as R[];
    expect(byN[0]?.n).toBe(0);
    expect(byN.at(-1)?.n).toBe(12);
    expect(sortRows(rows, columns, { column: 1, desc: false })).toBe(byN);
    const desc = sortRows(rows, columns, { column: 0, desc: true });
    expect(desc[0]?.name).toBe('row-0999');
  });

  it('breaks ties by name (ascending, both ways), whatever order the rows came in', () => {
    const shuffled = [...rows].reverse();
    const asc = sortRows(shuffled, columns, { column: 1, desc: false }) as R[];
    const zeros = asc.filter((r) => r.n === 0).map((r) => r.name);
    expect(zeros).toEqual([...zeros].sort());
    const desc = sortRows(shuffled, columns, { column: 1, desc: true }) as R[];
    expect(desc[0]?.n).toBe(12);
    const twelves = desc.filter((r) => r.n === 12).map((r) => r.name);
    expect(twelves).toEqual([...twelves].sort());
  });

  it('filters incrementally on precomputed search keys', () => {
    expect(filterRows(rows, 'row-00').length).toBe(100);
    expect(filterRows(rows, 'row-001').length).toBe(10);
    expect(filterRows(rows, 'row-001 odd').length).toBe(5);
    expect(filterRows(rows, 'ROW-0010')[0]?.id).toBe('id10');
    expect(filterRows(rows, '')).toBe(rows);
  });

  it('keeps the cursor on the same row id and the cursor visible', () => {
    expect(cursorIndex(rows, 'id42', 0)).toBe(42);
    expect(cursorIndex(rows, 'gone', 5000)).toBe(999);
    expect(scrollOffset(0, 30, 10, 1000)).toBe(21);
    expect(scrollOffset(50, 40, 10, 1000)).toBe(40);
    expect(scrollOffset(995, 999, 10, 1000)).toBe(990);
  });
});
