import { Box, Text } from 'ink';
import Spinner from 'ink-spinner';
import { mask, type FlowStep } from '../actionFlow.js';
import { cellWidth, fit, printable, wrapCells } from '../format.js';
import type { GuardView } from '../keys/typeahead.js';
import type { Theme, ThemeToken } from '../theme.js';

/** A piece of one dialog row. */
interface Span {
  text: string;
  token?: ThemeToken;
  bold?: boolean;
  inverse?: boolean;
  spinner?: boolean;
}
type Row = Span[];

/** Border (2) and horizontal padding (2) around the rows. */
const CHROME = 4;
const MAX_INNER = 100;

/** Cells inside the box for a screen this wide. */
export function dialogInner(width: number): number {
  return Math.max(1, Math.min(width - CHROME, MAX_INNER));
}

function targetLabel(step: Extract<FlowStep, { target: unknown }>): string {
  return `${step.target.kind} ${step.target.name ?? step.target.id}`;
}

const clip = (text: string, w: number): string => fit(text, w).trimEnd();

/** Wrapped text, one row per line, with a hanging prefix ("• ") on the first. */
function wrapped(text: string, w: number, span: Omit<Span, 'text'> = {}, bullet = ''): Row[] {
  const indent = ' '.repeat(cellWidth(bullet));
  // Impact lines of a plan quote raw specs, errors quote the engine: drawn only once cleaned.
  return wrapCells(printable(text), Math.max(1, w - indent.length)).map((line, i) => [{ ...span, text: `${i === 0 ? bullet : indent}${line}` }]);
}

/** The prompt line keeps its end (the caret) in view when the value is longer than the box. */
function inputRow(label: string, typed: string, fresh: boolean, w: number): Row {
  const value = printable(typed, 'line');
  const room = Math.max(1, w - cellWidth(label) - 1);
  const shown = cellWidth(value) > room ? `…${Array.from(value).slice(-(room - 1)).join('')}` : value;
  // A suggested value shows selected: typing replaces it, backspace edits it.
  return [{ text: label, token: 'accent' }, { text: shown, inverse: fresh && shown !== '' }, { text: ' ', inverse: true }];
}

/**
 * Every row of the dialog, already wrapped to the box, so its height is known before Ink lays it out: the
 * frame must never grow past the terminal (Ink then shrinks boxes and rows are drawn over each other).
 * When rows exceed maxRows the body (impact, secrets) is cut with "… N more".
 */
export function dialogRows(step: FlowStep, inner: number, maxRows = Number.MAX_SAFE_INTEGER, guard: GuardView | null = null, context?: string): Row[] {
  const head: Row[] = [];
  // Several contexts are live (the fleet): the dialog says which swarm it acts on, in that context's theme.
  if (context !== undefined) head.push([{ text: 'context ', token: 'muted' }, { text: clip(context, inner - 8), token: 'header', bold: true }]);
  const body: Row[] = [];
  const tail: Row[] = [];
  switch (step.step) {
    case 'input': {
      head.push([{ text: clip(`${step.action.label} — ${targetLabel(step)}`, inner), bold: true }]);
      const value = step.action.input?.secret ? mask(step.value) : step.value;
      head.push(inputRow(`${step.action.input?.prompt ?? 'value'}: `, value, step.fresh === true, inner));
      if (step.error) body.push(...wrapped(step.error, inner, { token: 'error' }));
      tail.push([{ text: clip(`enter: continue · esc: cancel${step.fresh && step.value !== '' ? ' · typing replaces the suggestion' : ''}`, inner), token: 'muted' }]);
      break;
    }
    case 'value': {
      head.push([{ text: clip(`${step.action.label} — ${targetLabel(step)}${step.input ? `: ${step.input}` : ''}`, inner), bold: true }]);
      const masked = step.action.value?.masked !== false;
      // A masked value shows its length only; the bytes never become one string here.
      const shown = masked ? '•'.repeat(Math.min(step.value.length, 64)) : step.value.toString('utf8');
      head.push(inputRow(`${step.action.value?.prompt ?? 'value'}: `, shown, false, inner));
      if (step.error) body.push(...wrapped(step.error, inner, { token: 'error' }));
      tail.push([{ text: clip(`enter: continue · esc: cancel${masked ? ' · nothing typed is shown, kept or logged' : ''}`, inner), token: 'muted' }]);
      break;
    }
    case 'confirm': {
      const title = step.second ? `SECOND CONFIRMATION — ${step.action.label}` : step.reprepare ? `${step.action.label}: ${step.reprepare.title}` : `${step.action.label}?`;
      head.push([{ text: clip(title, inner), bold: true, token: 'danger' }]);
      const shown = step.input === null ? '' : step.action.input?.secret ? mask(step.input) : step.action.input?.redact ? step.action.input.redact(step.input) : step.input;
      const input = shown !== '' && !step.reprepare ? `  input: ${shown}` : '';
      head.push([{ text: clip(`target: ${targetLabel(step)}${input}`, inner) }]);
      for (const line of step.impact) body.push(...wrapped(line, inner, {}, '• '));
      if (step.second) tail.push(...wrapped('This is the second confirmation: are you really sure?', inner, { bold: true, token: 'danger' }));
      const yes = step.reprepare ? `: ${step.reprepare.question} · ` : ': confirm · ';
      if (guard !== null && guard.ignored > 0) {
        tail.push(...wrapped(`ignored ${guard.ignored} key${guard.ignored === 1 ? '' : 's'} typed before the dialog was shown: nothing was done`, inner, { token: 'warn' }));
      }
      // Until the dialog has been on screen long enough, keys are ignored and y is not offered yet.
      if (guard !== null && !guard.armed) tail.push([{ text: clip('keys typed before this dialog are ignored…', inner), token: 'muted' }]);
      else tail.push(inner >= 44
        ? [{ text: 'y', token: 'key', bold: true }, { text: `${clip(yes, inner - 34)} ` }, { text: 'any other key: cancel (default)', bold: true }]
        : [{ text: 'y', token: 'key', bold: true }, { text: clip(': yes · other: cancel', inner - 1) }]);
      break;
    }
    case 'preparing':
      head.push([{ text: '', token: 'accent', spinner: true }, { text: clip(` ${step.action.label} — ${targetLabel(step)}: reading the plan (nothing is changed yet)…`, inner - 2) }]);
      break;
    case 'running':
      head.push([{ text: '', token: 'accent', spinner: true }, { text: clip(` ${step.action.label} — ${targetLabel(step)}…`, inner - 2) }]);
      break;
    case 'reveal':
      head.push([{ text: clip(step.label, inner), bold: true }]);
      if (step.message) head.push(...wrapped(step.message, inner, { token: 'ok' }));
      // A revealed value is wrapped, never cut: the operator has to be able to read all of it.
      for (const s of step.secrets) body.push(...wrapped(`${s.label}: ${step.shown ? s.value : mask(s.value)}`, inner));
      tail.push(...wrapped(`v: ${step.shown ? 'mask' : 'show'} · c: copy (OSC 52) · esc: close (c copies until you leave the pane)`, inner, { token: 'muted' }));
      break;
  }
  const room = maxRows - head.length - tail.length;
  if (body.length > room && step.step === 'confirm') {
    // A plan is never cut: it scrolls (j/k, pgup/pgdn), one row says where the window is.
    const window = Math.max(0, room - 1);
    const first = Math.max(0, Math.min(step.scroll ?? 0, body.length - window));
    const last = Math.min(body.length, first + window);
    const where = window > 0 ? `lines ${first + 1}–${last} of ${body.length} · j/k pgup/pgdn: scroll` : `${body.length} lines: a taller terminal shows them`;
    body.splice(0, body.length, ...(room > 0 ? [...body.slice(first, last), [{ text: clip(where, inner), token: 'accent' as const }]] : []));
  } else if (body.length > room) {
    const keep = Math.max(0, room - 1);
    const more = body.length - keep;
    body.splice(keep, body.length, ...(room > 0 ? [[{ text: clip(`… ${more} more line${more === 1 ? '' : 's'} (a taller terminal shows them)`, inner), token: 'muted' as const }]] : []));
  }
  // On a tiny terminal even the essentials are cut: the title first, the way out last.
  const essentials = [...head, ...tail];
  if (essentials.length > maxRows) return [...head.slice(0, Math.max(1, maxRows - 1)), ...tail.slice(-1)].slice(0, Math.max(1, maxRows));
  return [...head, ...body, ...tail];
}

/** How far a confirmation scrolls at this size: rows per page and the last first row (0: it fits). */
export function dialogScroll(step: FlowStep, width: number, maxHeight = Number.MAX_SAFE_INTEGER, context?: string): { page: number; max: number } {
  if (step.step !== 'confirm') return { page: 1, max: 0 };
  const inner = dialogInner(width);
  const all = dialogRows({ ...step, scroll: 0 }, inner, Number.MAX_SAFE_INTEGER, null, context).length;
  const shown = dialogRows({ ...step, scroll: 0 }, inner, Math.max(1, maxHeight - 2), null, context).length;
  if (all <= shown) return { page: 1, max: 0 };
  // Rows other than the plan's (title, target, answer line) are in both layouts; the cut one adds "lines a–b of N".
  const fixed = all - bodyRows(step, inner);
  const window = Math.max(1, shown - fixed - 1);
  return { page: window, max: Math.max(0, bodyRows(step, inner) - window) };
}

function bodyRows(step: Extract<FlowStep, { step: 'confirm' }>, inner: number): number {
  return step.impact.reduce((n, line) => n + wrapped(line, inner, {}, '• ').length, 0);
}

/** Lines the dialog takes on screen (rows plus the border), for a frame at most maxHeight lines tall. */
export function dialogHeight(step: FlowStep, width: number, maxHeight = Number.MAX_SAFE_INTEGER, guard: GuardView | null = null, context?: string): number {
  return dialogRows(step, dialogInner(width), Math.max(1, maxHeight - 2), guard, context).length + 2;
}

/** The action dialog for the current step; the default answer of a confirmation is always "cancel". */
export function Dialog({ step, guard = null, theme, width, maxHeight, context }: { step: FlowStep; guard?: GuardView | null; theme: Theme; width: number; maxHeight?: number; context?: string }) {
  const inner = dialogInner(width);
  const rows = dialogRows(step, inner, Math.max(1, (maxHeight ?? Number.MAX_SAFE_INTEGER) - 2), guard, context);
  const border = theme.color(step.step === 'confirm' ? 'danger' : 'dialogBorder');
  return (
    <Box flexDirection="column" flexShrink={0} borderStyle={step.step === 'confirm' && step.second ? 'double' : 'round'} borderColor={border} width={inner + CHROME} paddingX={1}>
      {rows.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {row.map((s, j) => s.spinner
            ? <Text key={j} color={s.token ? theme.color(s.token) : undefined}><Spinner type="dots" /></Text>
            : <Text key={j} color={s.token ? theme.color(s.token) : undefined} bold={s.bold} inverse={s.inverse}>{s.text}</Text>)}
        </Text>
      ))}
    </Box>
  );
}
