import { Box, Text } from 'ink';
import type { Hint } from '../keymap.js';
import type { Theme } from '../theme.js';
import type { Tone } from '../actionFlow.js';
import { cellWidth, fit, printable, wrapCells } from '../format.js';

export interface FooterProps {
  hints: readonly Hint[];
  /** An open prompt (filter "/" or command ":"), shown instead of the message. */
  prompt: { label: string; value: string } | null;
  message: { text: string; tone: Tone } | null;
  status: string;
  theme: Theme;
  width: number;
}

export const FOOTER_HEIGHT = 2;

const hintWidth = (h: Hint): number => h.key.length + h.label.length + 3;

/**
 * Hints that fit in the width, in keymap order. When some must be left out, the help key stays (last):
 * it is where the operator finds the ones not shown.
 */
export function fitHints(hints: readonly Hint[], width: number): Hint[] {
  const total = hints.reduce((n, h) => n + hintWidth(h), 0);
  const help = hints.find((h) => h.key === '?');
  const room = total > width && help ? width - hintWidth(help) : width;
  const out: Hint[] = [];
  let used = 0;
  for (const h of hints) {
    if (total > width && h === help) continue;
    const len = hintWidth(h);
    if (used + len > room) break;
    out.push(h);
    used += len;
  }
  if (total > width && help && room >= 0) out.push(help);
  return out;
}

export function Footer({ hints, prompt, message: raw, status, theme, width }: FooterProps) {
  const shown = fitHints(hints, width);
  // Messages quote engine errors and names: cleaned (again) before they are measured or drawn.
  const message = raw ? { ...raw, text: printable(raw.text) } : null;
  // A message too long for one line (an engine error, a reason an action is refused) takes the hints'
  // line too, until the next key: the operator needs the whole reason more than the key list.
  if (!prompt && message && cellWidth(message.text) > width) {
    const lines = wrapCells(message.text, width);
    const two = lines.length > 2 ? [lines[0] ?? '', fit(lines.slice(1).join(' '), width).trimEnd()] : lines;
    return (
      <Box flexDirection="column" width={width} height={FOOTER_HEIGHT}>
        {two.map((l, i) => <Text key={i} color={theme.color(message.tone === 'info' ? 'info' : message.tone)} wrap="truncate-end">{l}</Text>)}
      </Box>
    );
  }
  return (
    <Box flexDirection="column" width={width} height={FOOTER_HEIGHT}>
      <Text wrap="truncate-end">
        {shown.length === 0 ? ' ' : null}
        {shown.map((h) => (
          <Text key={`${h.key}-${h.label}`}>
            <Text color={theme.color('key')} bold>{`<${h.key}>`}</Text>
            <Text color={theme.color('muted')}>{`${h.label} `}</Text>
          </Text>
        ))}
      </Text>
      {prompt ? (
        <Text wrap="truncate-start">
          <Text color={theme.color('accent')} bold>{prompt.label}</Text>
          <Text>{printable(prompt.value, 'line')}</Text>
          <Text inverse> </Text>
        </Text>
      ) : message ? (
        <Text color={theme.color(message.tone === 'info' ? 'info' : message.tone)} wrap="truncate-end">{message.text}</Text>
      ) : (
        <Text color={theme.color('muted')} wrap="truncate-end">{printable(status, 'line')}</Text>
      )}
    </Box>
  );
}
