import { Box, Text } from 'ink';
import type { HelpSection } from '../keymap.js';
import type { Theme } from '../theme.js';

export interface HelpProps {
  sections: readonly HelpSection[];
  commands: readonly string[];
  conflicts: readonly string[];
  offset: number;
  width: number;
  height: number;
  theme: Theme;
}

type HelpLine = { kind: 'title'; text: string; disabled?: boolean } | { kind: 'row'; keys: string; help: string; disabled?: boolean } | { kind: 'plain'; text: string };

/** Every line of the help, generated from the keymap (and so from the action declarations). */
export function helpLines(sections: readonly HelpSection[], commands: readonly string[], conflicts: readonly string[], width = Number.MAX_SAFE_INTEGER): HelpLine[] {
  const lines: HelpLine[] = [];
  for (const s of sections) {
    lines.push({ kind: 'title', text: s.title, disabled: s.disabled });
    for (const r of s.rows) lines.push({ kind: 'row', keys: r.keys, help: r.where ? `${r.help}  [${r.where}]` : r.help, disabled: s.disabled });
  }
  lines.push({ kind: 'title', text: 'Commands' });
  // Wrapped at words to the screen: the last commands (the user's aliases) must not be cut off.
  let line = '';
  for (const c of commands) {
    if (line !== '' && line.length + 2 + c.length > width - 2) {
      lines.push({ kind: 'plain', text: line });
      line = '';
    }
    line = line === '' ? c : `${line}  ${c}`;
  }
  if (line !== '') lines.push({ kind: 'plain', text: line });
  if (conflicts.length > 0) {
    lines.push({ kind: 'title', text: 'Key conflicts (action keys not bound)' });
    for (const c of conflicts) lines.push({ kind: 'plain', text: c });
  }
  return lines;
}

export function Help({ sections, commands, conflicts, offset, width, height, theme }: HelpProps) {
  const lines = helpLines(sections, commands, conflicts, width);
  const body = Math.max(1, height - 1);
  const top = Math.max(0, Math.min(offset, Math.max(0, lines.length - body)));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold color={theme.color('title')}>{`Help — keys (esc closes, j/k scroll) ${top + body < lines.length ? '↓ more' : ''}`}</Text>
      {lines.slice(top, top + body).map((l, i) => {
        if (l.kind === 'title') return <Text key={i} bold color={theme.color(l.disabled ? 'muted' : 'accent')} wrap="truncate-end">{l.text}</Text>;
        if (l.kind === 'plain') return <Text key={i} wrap="truncate-end">{`  ${l.text}`}</Text>;
        // Disabled keys are greyed: listed so the operator knows they exist, not offered.
        if (l.disabled) return <Text key={i} color={theme.color('muted')} dimColor wrap="truncate-end">{`  ${l.keys.padEnd(16)}${l.help}`}</Text>;
        return (
          <Text key={i} wrap="truncate-end">
            <Text color={theme.color('key')} bold>{`  ${l.keys.padEnd(16)}`}</Text>
            <Text>{l.help}</Text>
          </Text>
        );
      })}
    </Box>
  );
}
