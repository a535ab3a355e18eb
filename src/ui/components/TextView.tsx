import { Box, Text } from 'ink';
import { chunkCells, printable } from '../format.js';
import type { Theme } from '../theme.js';

export interface TextViewProps {
  title: string;
  status: string;
  lines: readonly string[];
  offset: number;
  width: number;
  height: number;
  search: string;
  wrap: boolean;
  theme: Theme;
  /** Colours of a line by its index (only visible lines are asked): a log line's task prefix, a notice. */
  colourOf?: (index: number) => LineColour | null;
}

/** A line drawn whole in one colour, or a span of it (its first characters, e.g. a task prefix) in another. */
export interface LineColour {
  whole?: string;
  span?: { from: number; to: number; color: string };
}

/** One screen row: a whole line, or a piece of a wrapped one starting at `start` in it. */
interface Row {
  text: string;
  line: number;
  start: number;
}

function rowsOf(text: string, line: number, width: number, wrap: boolean): Row[] {
  if (!wrap) return [{ text, line, start: 0 }];
  let start = 0;
  return chunkCells(text, width).map((chunk) => {
    const row = { text: chunk, line, start };
    start += chunk.length;
    return row;
  });
}

function ColouredRow({ row, colour, search, theme }: { row: Row; colour: LineColour | null; search: string; theme: Theme }) {
  if (colour?.whole) return <Text color={colour.whole}><Highlighted text={row.text} search={search} theme={theme} /></Text>;
  const span = colour?.span;
  const a = span ? Math.max(0, Math.min(row.text.length, span.from - row.start)) : 0;
  const b = span ? Math.max(0, Math.min(row.text.length, span.to - row.start)) : 0;
  if (!span || a >= b) return <Highlighted text={row.text} search={search} theme={theme} />;
  return (
    <Text>
      {row.text.slice(0, a)}
      <Text color={span.color}>{row.text.slice(a, b)}</Text>
      <Highlighted text={row.text.slice(b)} search={search} theme={theme} />
    </Text>
  );
}

function Highlighted({ text, search, theme }: { text: string; search: string; theme: Theme }) {
  if (search === '') return <Text>{text}</Text>;
  const at = text.toLowerCase().indexOf(search.toLowerCase());
  if (at < 0) return <Text>{text}</Text>;
  return (
    <Text>
      {text.slice(0, at)}
      <Text inverse color={theme.color('match')}>{text.slice(at, at + search.length)}</Text>
      {text.slice(at + search.length)}
    </Text>
  );
}

/** Clamp for a scroll offset over `total` lines in a body of `body` lines. */
export function clampOffset(offset: number, total: number, body: number): number {
  return Math.max(0, Math.min(offset, Math.max(0, total - body)));
}

/** Index of the next line (from `from`, in direction `dir`) containing `search`, or -1. */
export function findLine(lines: readonly string[], search: string, from: number, dir: 1 | -1): number {
  if (search === '') return -1;
  const needle = search.toLowerCase();
  for (let n = 0, i = from; n < lines.length; n++, i += dir) {
    const idx = (i + lines.length) % lines.length;
    if ((lines[idx] as string).toLowerCase().includes(needle)) return idx;
  }
  return -1;
}

/** A scrollable read-only text (inspect YAML, logs): renders only the visible lines. */
export function TextView({ title, status, lines, offset, width, height, search, wrap, theme, colourOf }: TextViewProps) {
  const body = Math.max(1, height - 1);
  const top = clampOffset(offset, lines.length, body);
  const atEnd = top >= Math.max(0, lines.length - body);
  let visible: Row[] = [];
  if (wrap && atEnd) {
    // At the end (following logs) the newest line must show whole: fill the screen from the bottom up.
    for (let i = lines.length - 1; i >= 0 && visible.length < body; i--) visible = [...rowsOf(printable(lines[i] as string), i, width, true), ...visible];
    visible = visible.slice(-body);
  } else {
    for (let i = top; i < lines.length && visible.length < body; i++) visible.push(...rowsOf(printable(lines[i] as string), i, width, wrap));
  }
  const colours = new Map<number, LineColour | null>();
  const colour = (line: number): LineColour | null => {
    if (!colourOf) return null;
    if (!colours.has(line)) colours.set(line, colourOf(line));
    return colours.get(line) ?? null;
  };
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold color={theme.color('title')}>{printable(title, 'line')}</Text>
        <Text color={theme.color('muted')}>{`  ${printable(status, 'line')}  ${lines.length === 0 ? 0 : top + 1}-${Math.min(lines.length, top + body)}/${lines.length}`}</Text>
      </Text>
      {visible.slice(0, body).map((row, i) => (
        <Text key={i} wrap="truncate-end"><ColouredRow row={row} colour={colour(row.line)} search={search} theme={theme} /></Text>
      ))}
    </Box>
  );
}
