import type { ActionOutcome, ActionSpec, ActionTarget, Prepared, Reprepare, RevealedSecret } from '../actions/types.js';
import type { ClusterState } from '../store/state.js';

/**
 * The steps between an action key and its outcome, as plain data: the UI renders the current step and
 * feeds keys back. Nothing runs without passing every gate (read-only, available, input, confirmation).
 */
export type FlowStep =
  /** fresh: the value is still the suggested one, so the first key typed replaces it (like selected text). */
  | { step: 'input'; action: ActionSpec; target: ActionTarget; value: string; error: string | null; fresh?: boolean }
  /** The action's value (a secret's content): kept as bytes, masked when secret, zeroed when dropped. */
  | { step: 'value'; action: ActionSpec; target: ActionTarget; input: string | null; value: Buffer; error: string | null }
  /**
   * The action's prepare() is reading what its plan needs (nothing is changed yet); resume: what an
   * answered question carried; value: the bytes of the value step.
   */
  | { step: 'preparing'; action: ActionSpec; target: ActionTarget; input: string | null; resume?: unknown; value?: Buffer | null }
  /**
   * plan: what prepare() returned, handed to run() exactly as confirmed. reprepare: this is a question
   * (re-open the editor?), and y prepares again instead of running. scroll: first impact row shown.
   */
  | {
    step: 'confirm'; action: ActionSpec; target: ActionTarget; input: string | null; impact: readonly string[]; second: boolean;
    plan?: unknown; reprepare?: Omit<Reprepare, 'lines'>; scroll?: number;
  }
  | { step: 'running'; action: ActionSpec; target: ActionTarget; input: string | null; plan?: unknown }
  | { step: 'reveal'; label: string; secrets: readonly RevealedSecret[]; shown: boolean; message: string };

export type Tone = 'ok' | 'warn' | 'error' | 'info';

export type FlowResult =
  | { kind: 'message'; text: string; tone: Tone }
  | { kind: 'step'; step: FlowStep };

/** Re-reads the target's version from the state, so a retry after "stale" uses what the operator now sees. */
export function freshTarget(state: ClusterState, target: ActionTarget): ActionTarget {
  const version = (() => {
    switch (target.kind) {
      case 'node': return state.nodes.get(target.id)?.version;
      case 'service': return state.services.get(target.id)?.version;
      case 'secret': return state.secrets.get(target.id)?.version;
      case 'config': return state.configs.get(target.id)?.version;
      case 'swarm': return state.swarm?.version;
      case 'task': {
        for (const tasks of state.tasksByService.values()) {
          const t = tasks.get(target.id);
          if (t) return t.version;
        }
        return undefined;
      }
      case 'network':
      case 'stack':
        return target.version;
    }
  })();
  return version === undefined ? target : { ...target, version };
}

function afterInput(action: ActionSpec, state: ClusterState, target: ActionTarget, input: string | null): FlowResult {
  if (action.value?.needed(state, target, input)) return { kind: 'step', step: { step: 'value', action, target, input, value: Buffer.alloc(0), error: null } };
  if (action.prepare) return { kind: 'step', step: { step: 'preparing', action, target, input } };
  const twice = action.confirmTwice?.(state, target, input) ?? false;
  if (action.dangerous || twice) {
    return { kind: 'step', step: { step: 'confirm', action, target, input, impact: action.impact(state, target, input), second: false } };
  }
  return { kind: 'step', step: { step: 'running', action, target, input } };
}

export function beginAction(action: ActionSpec, state: ClusterState, target: ActionTarget, readOnly: boolean, presetInput: string | null = null): FlowResult {
  if (readOnly && action.mutating) {
    return { kind: 'message', text: `${action.label}: refused — the console is read-only (--read-only, or the context's readOnly)`, tone: 'error' };
  }
  const available = action.available(state, target);
  if (available !== true) return { kind: 'message', text: `${action.label}: not available — ${available}`, tone: 'warn' };
  if (action.input) {
    const value = presetInput ?? action.input.initial(state, target);
    const error = presetInput === null ? null : action.input.validate(presetInput, state, target);
    if (presetInput !== null && error === null) return afterInput(action, state, target, presetInput);
    return { kind: 'step', step: { step: 'input', action, target, value, error, fresh: presetInput === null } };
  }
  return afterInput(action, state, target, action.takesArgument ? presetInput : null);
}

/** Enter in the input prompt: validate, then go on to confirmation or running. */
export function submitInput(step: Extract<FlowStep, { step: 'input' }>, state: ClusterState): FlowResult {
  const error = step.action.input?.validate(step.value, state, step.target) ?? null;
  if (error !== null) return { kind: 'step', step: { ...step, error } };
  return afterInput(step.action, state, step.target, step.value);
}

/** Enter in the value prompt: an empty value is asked again; the bytes go to prepare() only. */
export function submitValue(step: Extract<FlowStep, { step: 'value' }>): FlowResult {
  if (step.value.length === 0) return { kind: 'step', step: { ...step, error: 'type the value (esc cancels)' } };
  if (!step.action.prepare) return { kind: 'message', text: `${step.action.label}: nothing can use the value`, tone: 'error' };
  return { kind: 'step', step: { step: 'preparing', action: step.action, target: step.target, input: step.input, value: step.value } };
}

/** The value with one more typed character, or the last one erased (whole UTF-8 sequences); the old bytes are zeroed. */
export function editValue(value: Buffer, typed: string | null): Buffer {
  let next: Buffer;
  if (typed === null) {
    let end = value.length - 1;
    while (end > 0 && (value[end]! & 0xc0) === 0x80) end--;
    next = Buffer.from(value.subarray(0, Math.max(0, end)));
  } else {
    const add = Buffer.from(typed, 'utf8');
    next = Buffer.concat([value, add]);
    add.fill(0);
  }
  value.fill(0);
  return next;
}

/** What prepare() found becomes the confirmation of its plan (always asked), or a message. */
export function afterPrepare(step: Extract<FlowStep, { step: 'preparing' }>, prepared: Prepared): FlowResult {
  switch (prepared.kind) {
    case 'nothing': return { kind: 'message', text: `${step.action.label}: ${prepared.message}`, tone: 'info' };
    case 'failed': return { kind: 'message', text: `${step.action.label}: ${prepared.message}`, tone: 'error' };
    case 'plan':
      return { kind: 'step', step: { step: 'confirm', action: step.action, target: step.target, input: step.input, impact: prepared.impact, second: false, plan: prepared.plan } };
    case 'ask': {
      const { kind: _ask, ...ask } = prepared;
      return askStep(step, ask);
    }
  }
}

function askStep(step: { action: ActionSpec; target: ActionTarget; input: string | null }, ask: Reprepare): FlowResult {
  const { lines, ...reprepare } = ask;
  return { kind: 'step', step: { step: 'confirm', action: step.action, target: step.target, input: step.input, impact: lines, second: false, reprepare } };
}

/**
 * A stale outcome that carries a question (an edit: what changed meanwhile, re-open with the text merged)
 * asks it; a plain one returns null and the runner re-reads and starts again.
 */
export function afterStale(step: Extract<FlowStep, { step: 'running' }>, outcome: Extract<ActionOutcome, { kind: 'stale' }>): FlowResult | null {
  return outcome.ask ? askStep(step, outcome.ask) : null;
}

/** What the operator's work in a dialog is, if cancelling it would lose some (a plan, an edited text). */
export function heldWork(step: FlowStep): { held: unknown } | null {
  if (step.step !== 'confirm') return null;
  if (step.reprepare) return { held: step.reprepare.resume };
  return step.plan !== undefined ? { held: step.plan } : null;
}

/** Scroll keys in a confirmation: `by` rows, or a page (dir) of `page` rows, within 0..max. */
export function scrollConfirm(step: Extract<FlowStep, { step: 'confirm' }>, move: { by?: number; page?: 1 | -1; to?: 'top' | 'bottom' }, layout: { page: number; max: number }): FlowStep {
  const current = Math.min(step.scroll ?? 0, layout.max);
  const next = move.to === 'top' ? 0 : move.to === 'bottom' ? layout.max : current + (move.by ?? 0) + (move.page ?? 0) * Math.max(1, layout.page);
  return { ...step, scroll: Math.max(0, Math.min(layout.max, next)) };
}

/** "y" in the confirm dialog: a second, explicit confirmation when the action asks for it. */
export function confirmStep(step: Extract<FlowStep, { step: 'confirm' }>, state: ClusterState): FlowResult {
  if (step.reprepare) return { kind: 'step', step: { step: 'preparing', action: step.action, target: step.target, input: step.input, resume: step.reprepare.resume } };
  const twice = step.action.confirmTwice?.(state, step.target, step.input) ?? false;
  if (twice && !step.second) return { kind: 'step', step: { ...step, second: true } };
  return { kind: 'step', step: { step: 'running', action: step.action, target: step.target, input: step.input, plan: step.plan } };
}

export function mask(value: string): string {
  return '•'.repeat(Math.min(Math.max(value.length, 8), 24));
}
