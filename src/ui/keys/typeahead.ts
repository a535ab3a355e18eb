import { useCallback, useLayoutEffect } from 'react';
import type { FlowStep } from '../actionFlow.js';
import { useRefState } from '../useRefState.js';

/**
 * Typeahead must never confirm a dangerous action: "dy" typed in one burst (or "d" then "y" before the
 * dialog could be read) would drain a node unseen. A confirmation accepts keys only once it has been
 * on screen for TYPEAHEAD_MS; keys before that (the rest of the chunk that opened it, keys already in
 * flight) are ignored, and the dialog says so.
 */
export const TYPEAHEAD_MS = 150;

/** Timers for the input layer: the system's in the console, a manual one in unit tests (no sleeps). */
export interface InputClock {
  /** Calls fn after ms; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
}

export const systemClock: InputClock = {
  after(ms, fn) {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};

/** What the dialog shows of the guard: whether y is accepted yet, and how many keys were ignored. */
export interface GuardView {
  armed: boolean;
  ignored: number;
}

interface Guard extends GuardView {
  /** The confirmation this guard is for (a second confirmation is a new one). */
  key: string;
}

/**
 * Which confirmation a step is: its action, target, input and whether it is the second one. A step
 * redrawn with fresh impact lines or scrolled is the same confirmation; a guard keyed on the object
 * would start again at every redraw, and a key landing between a redraw and its frame would be ignored.
 */
function confirmationKey(step: FlowStep): string {
  if (step.step !== 'confirm') return '';
  return JSON.stringify([step.action.id, step.target.kind, step.target.id, step.input, step.second]);
}

export interface ConfirmGuard {
  /** The guard of the confirmation on screen, null when none is open. */
  view: GuardView | null;
  /** Whether a key for this confirmation is accepted now; an ignored one is counted. */
  admit(step: FlowStep): boolean;
}

export function useConfirmGuard(flow: FlowStep | null, clock: InputClock): ConfirmGuard {
  const [guard, setGuard] = useRefState<Guard | null>(null);
  const confirm = flow?.step === 'confirm' ? confirmationKey(flow) : null;
  // In the commit that draws the confirmation (Ink writes the frame just before layout effects run): the
  // window starts when the operator can see it. A passive effect could run only at the next key.
  useLayoutEffect(() => {
    if (confirm === null) {
      setGuard(null);
      return undefined;
    }
    setGuard((g) => (g?.key === confirm ? g : { key: confirm, armed: false, ignored: 0 }));
    return clock.after(TYPEAHEAD_MS, () => setGuard((g) => (g?.key === confirm ? { ...g, armed: true } : g)));
  }, [confirm, clock, setGuard]);

  const admit = useCallback((step: FlowStep): boolean => {
    let admitted = false;
    const key = confirmationKey(step);
    setGuard((g) => {
      if (g?.key === key && g.armed) {
        admitted = true;
        return g;
      }
      // Not drawn yet (same chunk) or drawn too recently: ignored, and counted for the dialog to say.
      return g?.key === key ? { ...g, ignored: g.ignored + 1 } : { key, armed: false, ignored: 1 };
    });
    return admitted;
  }, [setGuard]);

  const view = guard !== null && confirm !== null && guard.key === confirm ? { armed: guard.armed, ignored: guard.ignored } : confirm !== null ? { armed: false, ignored: 0 } : null;
  return { view, admit };
}
