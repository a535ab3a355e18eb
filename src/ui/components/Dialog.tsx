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

/**
 * Rows the dialog takes on screen (borders included), so the table gives them up: an input refused
 * with an error line, impact lines or a shown secret that wrap must not push the frame past the
 * terminal (Ink then draws over itself and the header scrolls away). Word wrapping can break a line
 * early, so a long line is counted against a slightly narrower width: one spare row beats a broken frame.
 */
export function dialogRows(step: FlowStep, width: number): number {
  const inner = innerWidth(width);
  const rows = (text: string): number => (text.length <= inner ? 1 : Math.ceil(text.length / Math.max(10, inner - 12)));
  const sum = (lines: readonly string[]): number => lines.reduce((n, l) => n + rows(l), 0);
  switch (step.step) {
    case 'input': {
      const prompt = `${step.action.input?.prompt ?? 'value'}: ${step.action.input?.secret ? mask(step.value) : step.value} `;
      return 2 + sum([`${step.action.label} — ${targetLabel(step)}`, prompt, ...(step.error ? [step.error] : []), 'enter: continue · esc: cancel']);
    }
    case 'confirm':
      return 2 + sum([
        step.second ? `SECOND CONFIRMATION — ${step.action.label}` : `${step.action.label}?`,
        `target: ${targetLabel(step)}${step.input !== null ? `  input: ${step.action.input?.secret ? mask(step.input) : step.input}` : ''}`,
        ...step.impact.map((line) => `• ${line}`),
        ...(step.second ? ['This is the second confirmation: are you really sure?'] : []),
        'y: confirm · any other key: cancel (default)',
      ]);
    case 'running':
      return 2 + sum([`  ${step.action.label} — ${targetLabel(step)}…`]);
    case 'reveal':
      return 2 + sum([
        step.label,
        ...(step.message ? [step.message] : []),
        ...step.secrets.map((s) => `${s.label}: ${step.shown ? s.value : mask(s.value)}`),
        'v: show · c: copy (OSC 52) · esc: close and forget',
      ]);
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
