import { useCallback, useMemo, useRef, type MutableRefObject } from 'react';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget, RevealedSecret } from '../actions/types.js';
import type { ClusterState, ReadableStore } from '../store/state.js';
import {
  afterPrepare, afterStale, beginAction, confirmStep, editValue, freshTarget, heldWork, scrollConfirm, submitInput, submitValue, type FlowResult, type FlowStep, type Tone,
} from './actionFlow.js';
import { editCommand, type Keymap } from './keymap.js';
import { typedText, type KeyEvent } from './keys/split.js';

/** How long to wait for the re-read after a "stale" outcome before asking again anyway. */
const STALE_WAIT_MS = 5000;

export interface RunnerDeps {
  store: ReadableStore;
  keymap: Keymap;
  actionContext: () => ActionContext | null;
  refresh: () => void;
  readOnly: boolean;
  setFlow: (step: FlowStep | null) => void;
  say: (text: string, tone?: Tone) => void;
  copy: (text: string) => void;
  /** The last revealed secrets, kept (in memory only) so `c` can copy them. */
  held: MutableRefObject<readonly RevealedSecret[] | null>;
  /** Opens the rollout view of services an action changed (a deploy): the first one, the rest named. */
  followRollouts: (services: readonly { id: string; name: string }[]) => void;
  /** Progress a long action reports while it runs (a rotation), and its outcome when it ends. */
  onProgress?: (action: ActionSpec, progress: unknown) => void;
  onOutcome?: (action: ActionSpec, outcome: ActionOutcome) => void;
  /** The (guarded) action an outcome offers next, by id. */
  findAction?: (id: string) => ActionSpec | undefined;
}

/** How far the open confirmation can scroll: rows per page and the last first row (from the Dialog's layout). */
export interface DialogScroll {
  page: number;
  max: number;
}

export interface Runner {
  start: (action: ActionSpec, target: ActionTarget, preset?: string | null, retried?: boolean) => void;
  onKey: (step: FlowStep, key: KeyEvent, state: ClusterState, scroll?: DialogScroll) => void;
}

/** Resolves after the store's next change (the re-read), or after a bounded wait. */
function nextChange(store: ReadableStore): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, STALE_WAIT_MS);
    const unsubscribe = store.subscribe(done);
    function done(): void {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    }
  });
}

export function useActionRunner(deps: RunnerDeps): Runner {
  const { store, keymap, actionContext, refresh, readOnly, setFlow, say, copy, held, followRollouts, onProgress, onOutcome: reportOutcome, findAction } = deps;
  /** Stops the running action after its current step (esc while a long operation, one that reports progress, runs). */
  const stopRunning = useRef<AbortController | null>(null);
  const reportsProgress = useRef(false);

  const execute = useCallback((step: Extract<FlowStep, { step: 'running' }>, retried: boolean, start: Runner['start'], apply: (r: FlowResult) => void) => {
    const { action, target, input, plan } = step;
    const base = actionContext();
    if (base === null) {
      action.release?.(plan);
      setFlow(null);
      say(`${action.label}: not connected to an engine`, 'error');
      return;
    }
    const stop = new AbortController();
    stopRunning.current = stop;
    reportsProgress.current = false;
    const progress = (p: unknown): void => {
      reportsProgress.current = true;
      onProgress?.(action, p);
    };
    const ctx = { ...base, live: base.live ?? store, signal: stop.signal, progress };
    const onOutcome = (outcome: ActionOutcome): void => {
      if (stopRunning.current === stop) stopRunning.current = null;
      reportOutcome?.(action, outcome);
      switch (outcome.kind) {
        case 'done':
          if (outcome.reveal && outcome.reveal.length > 0) {
            held.current = outcome.reveal;
            setFlow({ step: 'reveal', label: action.label, secrets: outcome.reveal, shown: false, message: outcome.message });
          } else {
            setFlow(null);
            say(`${action.label}: ${outcome.message}`, 'ok');
            if (outcome.follow && outcome.follow.services.length > 0) followRollouts(outcome.follow.services);
            const next = outcome.next ? findAction?.(outcome.next.actionId) : undefined;
            if (next && outcome.next) start(next, freshTarget(store.getState(), outcome.next.target));
          }
          return;
        case 'stale': {
          refresh();
          const ask = afterStale(step, outcome);
          if (ask) {
            apply(ask);
            return;
          }
          setFlow(null);
          if (retried) {
            say(`${action.label}: still changing; look again and retry — ${outcome.message}`, 'warn');
            return;
          }
          // What happens next goes first: the footer truncates the engine's long explanation, not this.
          say(`${action.label}: re-reading; confirm again — ${outcome.message}`, 'warn');
          void nextChange(store).then(() => start(action, freshTarget(store.getState(), target), input, true));
          return;
        }
        case 'refused':
        case 'failed':
          setFlow(null);
          say(`${action.label}: ${outcome.message}`, 'error');
          return;
      }
    };
    action.run(ctx, target, input, plan).then(onOutcome, (err: unknown) => onOutcome({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }));
  }, [actionContext, findAction, followRollouts, held, onProgress, refresh, reportOutcome, say, setFlow, store]);

  const apply = useCallback((result: FlowResult, retried: boolean, start: Runner['start']) => {
    if (result.kind === 'message') {
      setFlow(null);
      say(result.text, result.tone);
      return;
    }
    const step = result.step;
    setFlow(step);
    if (step.step === 'running') execute(step, retried, start, (r) => apply(r, retried, start));
    else if (step.step === 'preparing') {
      const ctx = actionContext();
      if (ctx === null || !step.action.prepare) {
        apply({ kind: 'message', text: `${step.action.label}: not connected to an engine`, tone: 'error' }, retried, start);
        return;
      }
      // The value's bytes belong to the plan once there is one; otherwise they are zeroed here.
      step.action.prepare(ctx, store.getState(), step.target, step.input, { resume: step.resume, value: step.value ?? null }).then(
        (prepared) => {
          if (prepared.kind !== 'plan') step.value?.fill(0);
          apply(afterPrepare(step, prepared), retried, start);
        },
        (err: unknown) => {
          step.value?.fill(0);
          apply({ kind: 'message', text: `${step.action.label}: ${err instanceof Error ? err.message : String(err)}`, tone: 'error' }, retried, start);
        },
      );
    }
  }, [actionContext, execute, say, setFlow, store]);

  return useMemo(() => {
    const runner: Runner = {
      start(action, target, preset = null, retried = false) {
        const result = beginAction(action, store.getState(), target, readOnly, preset);
        if (result.kind === 'message' && readOnly && action.mutating) {
          // Refused here, before any run: the guard still records the attempt in the audit log.
          const ctx = actionContext();
          if (ctx) action.auditRefusal?.(ctx, target, result.text).catch(() => undefined);
        }
        apply(result, retried, runner.start);
      },
      onKey(step, key, state, scroll = { page: 1, max: 0 }) {
        // A paste is text, never a key: in a confirmation it is "any other key", so it cancels.
        const name = key.kind === 'key' ? key.name : '';
        const edit = editCommand(keymap, key);
        const cancel = (): void => {
          if (step.step === 'value') step.value.fill(0);
          if (step.step === 'confirm') step.action.release?.(step.plan);
          setFlow(null);
          const label = 'action' in step ? step.action.label : 'action';
          const work = heldWork(step);
          if (work === null || step.step !== 'confirm' || !step.action.abandon) {
            say(`${label}: cancelled`, 'info');
            return;
          }
          // The operator's work (an edited spec) is kept somewhere before it is dropped from the dialog.
          say(`${label}: cancelled; nothing was changed`, 'info');
          step.action.abandon(step.target, work.held).then(
            (kept) => kept !== null && say(`${label}: cancelled; nothing was changed — ${kept}`, 'info'),
            (err: unknown) => say(`${label}: cancelled; nothing was changed — your text could not be kept: ${err instanceof Error ? err.message : String(err)}`, 'warn'),
          );
        };
        switch (step.step) {
          case 'input':
            if (edit === 'cancel') cancel();
            else if (edit === 'confirm') apply(submitInput(step, state), false, runner.start);
            else if (edit === 'erase') setFlow({ ...step, value: step.value.slice(0, -1), error: null, fresh: false });
            else {
              const text = typedText(key);
              if (text !== null) setFlow({ ...step, value: step.fresh ? text : step.value + text, error: null, fresh: false });
            }
            return;
          case 'value':
            if (edit === 'cancel') cancel();
            else if (edit === 'confirm') apply(submitValue(step), false, runner.start);
            else if (edit === 'erase') setFlow({ ...step, value: editValue(step.value, null), error: null });
            else {
              const text = typedText(key);
              if (text !== null) setFlow({ ...step, value: editValue(step.value, text), error: null });
            }
            return;
          case 'confirm': {
            const cmd = keymap.lookup('confirm', null, name);
            if (cmd?.kind === 'confirm') apply(confirmStep(step, state), false, runner.start);
            // A long plan is read before it is answered: scrolling keys move it, every other key cancels.
            else if (cmd?.kind === 'move') setFlow(scrollConfirm(step, { by: cmd.by }, scroll));
            else if (cmd?.kind === 'page') setFlow(scrollConfirm(step, { page: cmd.dir }, scroll));
            else if (cmd?.kind === 'top' || cmd?.kind === 'bottom') setFlow(scrollConfirm(step, { to: cmd.kind }, scroll));
            else cancel();
            return;
          }
          case 'running':
            if (keymap.lookup('running', null, name)?.kind === 'cancel' && reportsProgress.current && stopRunning.current && !stopRunning.current.signal.aborted) {
              stopRunning.current.abort();
              say(`${step.action.label}: stopping after the current step…`, 'warn');
            }
            return;
          case 'preparing':
            return;
          case 'reveal': {
            const cmd = keymap.lookup('reveal', null, name);
            if (cmd?.kind === 'reveal-toggle') setFlow({ ...step, shown: !step.shown });
            else if (cmd?.kind === 'copy') {
              copy(step.secrets.map((s) => s.value).join('\n'));
              setFlow({ ...step, message: 'copied to the clipboard (OSC 52)' });
            } else if (cmd?.kind === 'back') setFlow(null);
            return;
          }
        }
      },
    };
    return runner;
  }, [actionContext, apply, copy, keymap, readOnly, say, setFlow, store]);
}
