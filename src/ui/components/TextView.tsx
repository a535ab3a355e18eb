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
export function TextView({ title, status, lines, offset, width, height, search, wrap, theme }: TextViewProps) {
  const body = Math.max(1, height - 1);
  const top = clampOffset(offset, lines.length, body);
  const atEnd = top >= Math.max(0, lines.length - body);
  let visible: string[] = [];
  if (wrap && atEnd) {
    // At the end (following logs) the newest line must show whole: fill the screen from the bottom up.
    for (let i = lines.length - 1; i >= 0 && visible.length < body; i--) visible = [...chunkCells(printable(lines[i] as string), width), ...visible];
    visible = visible.slice(-body);
  } else {
    for (let i = top; i < lines.length && visible.length < body; i++) {
      const line = printable(lines[i] as string);
      if (wrap) visible.push(...chunkCells(line, width));
      else visible.push(line);
    }
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate-end">
        <Text bold color={theme.color('title')}>{printable(title, 'line')}</Text>
        <Text color={theme.color('muted')}>{`  ${printable(status, 'line')}  ${lines.length === 0 ? 0 : top + 1}-${Math.min(lines.length, top + body)}/${lines.length}`}</Text>
      </Text>
      {visible.slice(0, body).map((l, i) => (
        <Text key={i} wrap="truncate-end"><Highlighted text={l} search={search} theme={theme} /></Text>
      ))}
    </Box>
  );
}
