import { useCallback, useEffect, useRef, type MutableRefObject } from 'react';
import type { ActionContext, ActionSpec, ActionTarget, RevealedSecret } from '../../actions/types.js';
import type { FlowStep, Tone } from '../actionFlow.js';
import type { Keymap } from '../keymap.js';
import type { KeyEvent } from '../keys/split.js';
import { useActionRunner, type DialogScroll } from '../useActionRunner.js';
import type { FleetMember } from './types.js';

/** An action asked for on a row of a table of every context: it runs on the row's own context. */
export interface ActionRequest {
  /** Each request starts once, even for the same action on the same row. */
  seq: number;
  member: FleetMember;
  action: ActionSpec;
  target: ActionTarget;
  preset: string | null;
}

export interface RunnerHandle {
  onKey(step: FlowStep, key: KeyEvent, scroll: DialogScroll): void;
}

export interface ContextRunnerProps {
  request: ActionRequest;
  keymap: Keymap;
  /** --read-only (the member's own readOnly is added here). */
  readOnly: boolean;
  setFlow: (step: FlowStep | null) => void;
  say: (text: string, tone?: Tone) => void;
  copy: (text: string) => void;
  handle: MutableRefObject<RunnerHandle | null>;
  /** Lends an action the terminal (an editor, a shell): the console is suspended meanwhile. */
  lend?: (ctx: ActionContext | null) => ActionContext | null;
}

/**
 * The action runner of one context, mounted (keyed by context) for an action started from a table of
 * every context: its store, connection, refresh and read-only are that context's, so the plan, the
 * version sent and the audit line are all of the swarm the row belongs to. Renders nothing: the
 * fleet screen draws the dialog, in the context's theme.
 */
export function ContextRunner({ request, keymap, readOnly, setFlow, say, copy, handle, lend }: ContextRunnerProps) {
  const member = request.member;
  const held = useRef<readonly RevealedSecret[] | null>(null);
  const actionContext = useCallback(() => (lend ? lend(member.actionContext()) : member.actionContext()), [member, lend]);
  const refresh = useCallback(() => member.refresh(), [member]);
  // A change made from a combined table is followed on that context's own console (not opened from here).
  const followRollouts = useCallback((services: readonly { name: string }[]) => {
    if (services.length > 0) say(`${member.name}: ${services.map((s) => s.name).join(', ')} updating — enter on the context follows the rollout`, 'info');
  }, [member, say]);
  const runner = useActionRunner({ store: member.store, keymap, actionContext, refresh, readOnly: readOnly || member.readOnly, setFlow, say, copy, held, followRollouts });
  useEffect(() => {
    handle.current = { onKey: (step, key, scroll) => runner.onKey(step, key, member.store.getState(), scroll) };
  }, [handle, member, runner]);
  const started = useRef(-1);
  useEffect(() => {
    if (started.current === request.seq) return;
    started.current = request.seq;
    runner.start(request.action, request.target, request.preset);
  }, [request, runner]);
  return null;
}
