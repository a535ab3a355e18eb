import { Box, Text } from 'ink';
import { memo, useMemo } from 'react';
import { TABLE_CUT, fit } from '../format.js';
import type { Column, RowBase } from '../panes/types.js';
import type { SortSpec } from '../panes/order.js';
import type { Theme } from '../theme.js';

export interface TableProps {
  columns: readonly Column<RowBase>[];
  /** Already sorted and filtered; only rows[offset .. offset+height-1] are rendered. */
  rows: readonly RowBase[];
  cursor: number;
  offset: number;
  width: number;
  /** Height in lines including the header line. */
  height: number;
  sort: SortSpec;
  theme: Theme;
  emptyText: string;
}

/** Widths per column for the available width: flexible columns share the rest; columns that don't fit are dropped from the right. */
export function layoutColumns(columns: readonly Column<RowBase>[], width: number): number[] {
  let count = columns.length;
  const need = (n: number): number =>
    columns.slice(0, n).reduce((sum, c) => sum + (c.width > 0 ? c.width : c.minWidth ?? 8), 0) + Math.max(0, n - 1);
  while (count > 1 && need(count) > width) count--;
  const used = columns.slice(0, count);
  const fixed = used.reduce((s, c) => s + (c.width > 0 ? c.width : 0), 0) + Math.max(0, count - 1);
  const flex = used.filter((c) => c.width === 0);
  const spare = Math.max(0, width - fixed);
  const widths = used.map((c) => (c.width > 0 ? c.width : 0));
  if (flex.length > 0) {
    const shares = flex.reduce((s, c) => s + (c.grow ?? 1), 0);
    let left = spare;
    used.forEach((c, i) => {
      if (c.width === 0) {
        const w = Math.floor((spare * (c.grow ?? 1)) / shares);
        widths[i] = w;
        left -= w;
      }
    });
    // What rounding left goes to the first flexible columns, a cell each.
    used.forEach((c, i) => {
      if (c.width === 0 && left > 0) {
        widths[i] = (widths[i] ?? 0) + 1;
        left--;
      }
    });
  } else if (widths.length > 0) {
    // Single column too wide for the screen: clamp it.
    widths[0] = Math.min(widths[0] ?? 0, width);
  }
  return widths;
}

interface RowProps {
  row: RowBase;
  columns: readonly Column<RowBase>[];
  widths: readonly number[];
  selected: boolean;
  theme: Theme;
}

/** One Text per row (cells as nested virtual text): few layout nodes, so a frame costs little. */
const Row = memo(function Row({ row, columns, widths, selected, theme }: RowProps) {
  return (
    <Text inverse={selected} wrap="truncate-end">
      {widths.map((w, i) => {
        const col = columns[i] as Column<RowBase>;
        const token = col.color?.(row);
        // The last cell is not padded (but for the cursor's bar): Ink tokenizes every character of every line on every frame.
        const cell = fit(col.cell(row), w, col.align, TABLE_CUT);
        const text = i < widths.length - 1 ? `${cell} ` : selected ? cell : cell.trimEnd();
        return token ? <Text key={i} color={theme.color(token)} bold={theme.monochrome && token === 'error'}>{text}</Text> : text;
      })}
    </Text>
  );
});

export function Table({ columns, rows, cursor, offset, width, height, sort, theme, emptyText }: TableProps) {
  const widths = useMemo(() => layoutColumns(columns, width), [columns, width]);
  const bodyHeight = Math.max(0, height - 1);
  const visible = rows.slice(offset, offset + bodyHeight);
  const header = widths.map((w, i) => {
    const col = columns[i] as Column<RowBase>;
    const mark = i === sort.column ? (sort.desc ? '↓' : '↑') : '';
    return fit(col.title + mark, w, col.align);
  }).join(' ');
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={theme.color('title')} wrap="truncate-end">{header}</Text>
      {visible.length === 0 ? <Text color={theme.color('muted')}>{emptyText}</Text> : null}
      {visible.map((row, i) => (
        <Row key={row.id} row={row} columns={columns} widths={widths} selected={offset + i === cursor} theme={theme} />
      ))}
    </Box>
  );
}
