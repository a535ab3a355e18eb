import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { mask, type FlowStep } from '../actionFlow.js';
import type { Theme } from '../theme.js';

function targetLabel(step: Extract<FlowStep, { target: unknown }>): string {
  return `${step.target.kind} ${step.target.name ?? step.target.id}`;
}

function innerWidth(width: number): number {
  return Math.max(20, Math.min(width - 4, 100));
}

/** Rows a text takes when Ink wraps it at word boundaries (hard-breaking longer words) in `width` columns. */
function wrappedRows(text: string, width: number): number {
  let rows = 1;
  let col = 0;
  for (const word of text.split(' ')) {
    let len = [...word].length;
    if (col > 0 && col + 1 + len > width) {
      rows++;
      col = 0;
    } else if (col > 0) col++;
    while (col + len > width) {
      rows++;
      len -= width - col;
      col = 0;
    }
    col += len;
  }
  return rows;
}

/**
 * The rows the dialog takes on screen, long lines wrapped: the table gives up exactly that much, so the
 * frame never outgrows the terminal (which would scroll the header off and misplace every later frame).
 */
export function dialogRows(step: FlowStep, width: number): number {
  const w = innerWidth(width);
  const rows = (t: string): number => wrappedRows(t, w);
  const border = 2;
  switch (step.step) {
    case 'input': {
      const prompt = `${step.action.input?.prompt ?? 'value'}: ${step.action.input?.secret ? mask(step.value) : step.value} `;
      return border + rows(`${step.action.label} — ${targetLabel(step)}`) + rows(prompt) + (step.error ? rows(step.error) : 0) + 1;
    }
    case 'confirm':
      return border + 1 + rows(`target: ${targetLabel(step)}${step.input !== null ? `  input: ${step.input}` : ''}`)
        + step.impact.reduce((n, line) => n + rows(`• ${line}`), 0) + (step.second ? rows('This is the second confirmation: are you really sure?') : 0) + 1;
    case 'running':
      return border + 1;
    case 'reveal':
      return border + rows(step.label) + (step.message ? rows(step.message) : 0)
        + step.secrets.reduce((n, s) => n + rows(`${s.label}: ${step.shown ? s.value : mask(s.value)}`), 0) + 1;
  }
}

/** The action dialog for the current step; the default answer of a confirmation is always "cancel". */
export function Dialog({ step, theme, width }: { step: FlowStep; theme: Theme; width: number }) {
  const inner = innerWidth(width);
  const border = theme.color(step.step === 'confirm' ? 'danger' : 'dialogBorder');
  return (
    <Box flexDirection="column" borderStyle={step.step === 'confirm' && step.second ? 'double' : 'round'} borderColor={border} width={inner + 4} paddingX={1}>
      {step.step === 'input' ? (
        <>
          <Text bold>{`${step.action.label} — ${targetLabel(step)}`}</Text>
          <Text>
            <Text color={theme.color('accent')}>{`${step.action.input?.prompt ?? 'value'}: `}</Text>
            <Text>{step.action.input?.secret ? mask(step.value) : step.value}</Text>
            <Text inverse> </Text>
          </Text>
          {step.error ? <Text color={theme.color('error')}>{step.error}</Text> : null}
          <Text color={theme.color('muted')}>enter: continue · esc: cancel</Text>
        </>
      ) : null}
      {step.step === 'confirm' ? (
        <>
          <Text bold color={theme.color('danger')}>
            {step.second ? `SECOND CONFIRMATION — ${step.action.label}` : `${step.action.label}?`}
          </Text>
          <Text>{`target: ${targetLabel(step)}${step.input !== null ? `  input: ${step.action.input?.secret ? mask(step.input) : step.input}` : ''}`}</Text>
          {step.impact.map((line, i) => <Text key={i} wrap="wrap">{`• ${line}`}</Text>)}
          {step.second ? <Text bold color={theme.color('danger')}>This is the second confirmation: are you really sure?</Text> : null}
          <Text>
            <Text color={theme.color('key')} bold>y</Text>
            <Text>: confirm · </Text>
            <Text bold>any other key: cancel (default)</Text>
          </Text>
        </>
      ) : null}
      {step.step === 'running' ? (
        <Text>
          <Text color={theme.color('accent')}><Spinner type="dots" /></Text>
          <Text>{` ${step.action.label} — ${targetLabel(step)}…`}</Text>
        </Text>
      ) : null}
      {step.step === 'reveal' ? (
        <>
          <Text bold>{step.label}</Text>
          {step.message ? <Text color={theme.color('ok')}>{step.message}</Text> : null}
          {step.secrets.map((s, i) => (
            <Text key={i} wrap="wrap">
              <Text color={theme.color('muted')}>{`${s.label}: `}</Text>
              <Text>{step.shown ? s.value : mask(s.value)}</Text>
            </Text>
          ))}
          <Text color={theme.color('muted')}>{`v: ${step.shown ? 'mask' : 'show'} · c: copy (OSC 52) · esc: close and forget`}</Text>
        </>
      ) : null}
    </Box>
  );
}
