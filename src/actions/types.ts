import type { DockerConnection } from '../docker/connection.js';
import type { Id } from '../store/model.js';
import type { ClusterState } from '../store/state.js';

/** What an action applies to; the pane that has focus decides the target of a key. */
export type TargetKind = 'node' | 'service' | 'task' | 'secret' | 'config' | 'network' | 'stack' | 'swarm';

export interface ActionTarget {
  kind: TargetKind;
  /** Display name (hostname, service name) for dialogs and the audit log. */
  name?: string;
  /** Object id ('' for the swarm itself). */
  id: Id;
  /** The object's Version.Index as the operator saw it: a write with a stale version is refused, never forced. */
  version: number;
}

/** Operator input some actions need (a replica count, a label). */
export interface InputSpec {
  kind: 'number' | 'text';
  prompt: string;
  /** Typed characters are masked (a passphrase). */
  secret?: boolean;
  initial(state: ClusterState, target: ActionTarget): string;
  /** Null when valid, otherwise the message to show next to the prompt. */
  validate(raw: string, state: ClusterState, target: ActionTarget): string | null;
}

/** A secret an action fetched for the operator (a join token, the unlock key): masked until revealed. */
export interface RevealedSecret {
  label: string;
  value: string;
}

export type ActionOutcome =
  | { kind: 'done'; message: string; reveal?: readonly RevealedSecret[] }
  /** The object changed since the operator looked: the UI re-reads and asks again. */
  | { kind: 'stale'; message: string }
  | { kind: 'refused'; message: string }
  | { kind: 'failed'; message: string };

/**
 * What an action's prepare() found: the plan to confirm (its impact lines, computed with I/O: a file read,
 * a fresh spec, a diff), nothing to do, or why it cannot be planned. Nothing has been changed by then.
 */
export type Prepared =
  | { kind: 'plan'; impact: readonly string[]; plan: unknown }
  | { kind: 'nothing'; message: string }
  | { kind: 'failed'; message: string };

export interface ActionContext {
  connection: DockerConnection;
  /** Context name, for the audit log. */
  context: string;
  readOnly: boolean;
}

/**
 * One operation, declared once. Keys, `:` commands, the footer hints, the `?` help and the audit log
 * are all derived from this declaration.
 */
export interface ActionSpec {
  id: string;
  label: string;
  /** Key in the focused pane (from the one keymap table). */
  key: string;
  /** `:` command name, e.g. "scale". */
  command: string;
  targets: TargetKind;
  /**
   * Changes the cluster, or hands out the power to (the manager join token): refused in read-only mode.
   * Every action is audited either way.
   */
  mutating: boolean;
  /** Asks for confirmation (default answer: cancel). */
  dangerous: boolean;
  /** True when the action applies; otherwise the reason it does not (shown to the operator). */
  available(state: ClusterState, target: ActionTarget): true | string;
  input?: InputSpec;
  /** Lines describing what will happen, computed from the current state (shown in the confirm dialog). */
  impact(state: ClusterState, target: ActionTarget, input: string | null): readonly string[];
  /** Needs a second, explicit confirmation (e.g. a demotion that would lose quorum). */
  confirmTwice?(state: ClusterState, target: ActionTarget, input: string | null): boolean;
  /**
   * For operations whose plan needs I/O (read a compose file, fetch the spec, diff it): runs after the
   * input and before the confirmation, which then always shows the plan's impact lines (default: cancel).
   * run() receives the confirmed plan as it was shown.
   */
  prepare?(ctx: ActionContext, state: ClusterState, target: ActionTarget, input: string | null): Promise<Prepared>;
  run(ctx: ActionContext, target: ActionTarget, input: string | null, plan?: unknown): Promise<ActionOutcome>;
  /**
   * Set by the guard: records an attempt the console refused before running it (a mutating key in
   * read-only mode), so the audit log shows refused attempts too. Never runs anything.
   */
  auditRefusal?(ctx: ActionContext, target: ActionTarget, message: string): Promise<void>;
}
