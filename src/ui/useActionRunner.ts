import { useCallback, useMemo, type MutableRefObject } from 'react';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget, RevealedSecret } from '../actions/types.js';
import type { ClusterState, ReadableStore } from '../store/state.js';
import {
  afterPrepare, beginAction, confirmStep, freshTarget, submitInput, type FlowResult, type FlowStep, type Tone,
} from './actionFlow.js';
import type { Keymap } from './keymap.js';
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
}

export interface Runner {
  start: (action: ActionSpec, target: ActionTarget, preset?: string | null, retried?: boolean) => void;
  onKey: (step: FlowStep, key: KeyEvent, state: ClusterState) => void;
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
  const { store, keymap, actionContext, refresh, readOnly, setFlow, say, copy, held } = deps;

  const execute = useCallback((action: ActionSpec, target: ActionTarget, input: string | null, plan: unknown, retried: boolean, start: Runner['start']) => {
    const ctx = actionContext();
    if (ctx === null) {
      setFlow(null);
      say(`${action.label}: not connected to an engine`, 'error');
      return;
    }
    const onOutcome = (outcome: ActionOutcome): void => {
      switch (outcome.kind) {
        case 'done':
          if (outcome.reveal && outcome.reveal.length > 0) {
            held.current = outcome.reveal;
            setFlow({ step: 'reveal', label: action.label, secrets: outcome.reveal, shown: false, message: outcome.message });
          } else {
            setFlow(null);
            say(`${action.label}: ${outcome.message}`, 'ok');
          }
          return;
        case 'stale':
          setFlow(null);
          refresh();
          if (retried) {
            say(`${action.label}: still changing; look again and retry — ${outcome.message}`, 'warn');
            return;
          }
          // What happens next goes first: the footer truncates the engine's long explanation, not this.
          say(`${action.label}: re-reading; confirm again — ${outcome.message}`, 'warn');
          void nextChange(store).then(() => start(action, freshTarget(store.getState(), target), input, true));
          return;
        case 'refused':
        case 'failed':
          setFlow(null);
          say(`${action.label}: ${outcome.message}`, 'error');
          return;
      }
    };
    action.run(ctx, target, input, plan).then(onOutcome, (err: unknown) => onOutcome({ kind: 'failed', message: err instanceof Error ? err.message : String(err) }));
  }, [actionContext, held, refresh, say, setFlow, store]);

  const apply = useCallback((result: FlowResult, retried: boolean, start: Runner['start']) => {
    if (result.kind === 'message') {
      setFlow(null);
      say(result.text, result.tone);
      return;
    }
    const step = result.step;
    setFlow(step);
    if (step.step === 'running') execute(step.action, step.target, step.input, step.plan, retried, start);
    else if (step.step === 'preparing') {
      const ctx = actionContext();
      if (ctx === null || !step.action.prepare) {
        apply({ kind: 'message', text: `${step.action.label}: not connected to an engine`, tone: 'error' }, retried, start);
        return;
      }
      step.action.prepare(ctx, store.getState(), step.target, step.input).then(
        (prepared) => apply(afterPrepare(step, prepared), retried, start),
        (err: unknown) => apply({ kind: 'message', text: `${step.action.label}: ${err instanceof Error ? err.message : String(err)}`, tone: 'error' }, retried, start),
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
      onKey(step, key, state) {
        // A paste is text, never a key: in a confirmation it is "any other key", so it cancels.
        const name = key.kind === 'key' ? key.name : '';
        const cancel = (): void => {
          setFlow(null);
          say(`${'action' in step ? step.action.label : 'action'}: cancelled`, 'info');
        };
        switch (step.step) {
          case 'input':
            if (name === 'esc') cancel();
            else if (name === 'enter') apply(submitInput(step, state), false, runner.start);
            else if (name === 'backspace') setFlow({ ...step, value: step.value.slice(0, -1), error: null, fresh: false });
            else {
              const text = typedText(key);
              if (text !== null) setFlow({ ...step, value: step.fresh ? text : step.value + text, error: null, fresh: false });
            }
            return;
          case 'confirm':
            if (keymap.lookup('confirm', null, name)?.kind === 'confirm') apply(confirmStep(step, state), false, runner.start);
            else cancel();
            return;
          case 'running':
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
