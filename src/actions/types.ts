import type { DockerConnection } from '../docker/connection.js';
import type { NodeReach } from '../docker/nodes/connections.js';
import type { Id } from '../store/model.js';
import type { ClusterState, ReadableStore } from '../store/state.js';

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
  /** The input as the audit log and the confirmation show it (e.g. env values of secret-looking names masked). */
  redact?(raw: string): string;
  initial(state: ClusterState, target: ActionTarget): string;
  /** Null when valid, otherwise the message to show next to the prompt. */
  validate(raw: string, state: ClusterState, target: ActionTarget): string | null;
}

/** A secret an action fetched for the operator (a join token, the unlock key): masked until revealed. */
export interface RevealedSecret {
  label: string;
  value: string;
}

/** One object an action changed (or failed to change): the audit log gets one line for each. */
export interface ObjectOutcome {
  kind: TargetKind;
  id: string;
  name: string;
  result: 'done' | 'failed' | 'stale';
  message: string;
}

/** Services whose rollout the operator should see next (a deploy's created and updated services). */
export interface FollowRollouts {
  services: readonly { id: string; name: string }[];
}

/**
 * A question put to the operator after prepare() or a stale run, instead of a plan to confirm: y prepares
 * again with `resume` (e.g. re-opens the editor with the operator's text kept, or merged onto the fresh
 * spec); any other key cancels. `lines` say why (the parse error, what changed meanwhile).
 */
export interface Reprepare {
  title: string;
  lines: readonly string[];
  /** What y does, e.g. "re-open the editor with your text". */
  question: string;
  resume: unknown;
}

/** An action the operator is offered next, with its own confirmation (e.g. removing the old secret after a rotation). */
export interface NextAction {
  actionId: string;
  target: ActionTarget;
}

export type ActionOutcome =
  /**
   * follow: services whose rollout the operator should see next (a change that replaces tasks, a deploy);
   * next: an action offered next, with its own confirmation (removing the old secret after a rotation).
   */
  | { kind: 'done'; message: string; reveal?: readonly RevealedSecret[]; objects?: readonly ObjectOutcome[]; follow?: FollowRollouts; next?: NextAction }
  /**
   * The object changed since the operator looked: the UI re-reads and asks again, or, with `ask`, puts
   * that question (an edit offers to re-open with the operator's text merged onto the fresh spec).
   */
  | { kind: 'stale'; message: string; ask?: Reprepare }
  | { kind: 'refused'; message: string }
  | { kind: 'failed'; message: string; objects?: readonly ObjectOutcome[] };

/**
 * What an action's prepare() found: the plan to confirm (its impact lines, computed with I/O: a file read,
 * a fresh spec, a diff), nothing to do, or why it cannot be planned. Nothing has been changed by then.
 */
export type Prepared =
  | { kind: 'plan'; impact: readonly string[]; plan: unknown }
  | { kind: 'nothing'; message: string }
  | { kind: 'failed'; message: string }
  | ({ kind: 'ask' } & Reprepare);

/** The real terminal, lent to a foreground program (an editor, an exec shell) while the console is suspended. */
export interface ForegroundTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

/** One step of a long operation (a rotation creates, then updates service after service): one audit line each. */
export interface AuditStep {
  /** Appended to the action's id in the audit log, e.g. "create", "update-service". */
  step: string;
  target: ActionTarget;
  outcome: ActionOutcome;
}

/** What prepare() may get beside the input: a question's answer to resume from, a masked value's bytes. */
export interface PrepareMore {
  resume?: unknown;
  value?: Buffer | null;
}

export interface ActionContext {
  connection: DockerConnection;
  /** Context name, for the audit log. */
  context: string;
  readOnly: boolean;
  /**
   * Runs a foreground program (an editor, an interactive shell) with the console suspended: alternate
   * screen left, raw mode off, the console reading no key; everything restored when fn settles, whatever
   * way. The console provides it; where it is absent (a CLI verb) the terminal is already the caller's
   * and fn runs as it is (`foreground()` in actions/foreground.ts picks).
   */
  suspend?<T>(fn: (terminal: ForegroundTerminal) => Promise<T>): Promise<T>;
  /** Each node's own engine (exec into a task's container); absent: only the manager is reachable. */
  nodes?: NodeReach;
  /** The live cluster state, for operations that wait for the cluster to converge; absent: they do not wait. */
  live?: ReadableStore;
  /** Progress of a long operation, for a view or a printer (its shape is the action's own). */
  progress?(progress: unknown): void;
  /** The operator asked a long operation to stop after its current step. */
  signal?: AbortSignal;
  /** Set by the guard: records one step of a long operation in the audit log. */
  recordStep?(step: AuditStep): Promise<void>;
}

/**
 * A value asked after the input, masked when secret (the content of a secret): it reaches prepare() as
 * bytes the action zeroes once sent, never run()'s input, an error message or the audit log.
 */
export interface ValueSpec {
  prompt: string;
  masked: boolean;
  /** Whether the value is needed for this input (e.g. not when the input names a file). */
  needed(state: ClusterState, target: ActionTarget, input: string | null): boolean;
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
  /** False: the key is listed in the `?` help only, not in the footer (which has room for the main ones). */
  footer?: boolean;
  /** Makes a new object of that kind: needs no selected row (its target has an empty id, or names the new object). */
  creates?: boolean;
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
  /** Without an input prompt, the `:` command's words after its name reach run() as its input (`:exec ls -l`); the key passes null. */
  takesArgument?: boolean;
  value?: ValueSpec;
  /** Lines describing what will happen, computed from the current state (shown in the confirm dialog). */
  impact(state: ClusterState, target: ActionTarget, input: string | null): readonly string[];
  /** Needs a second, explicit confirmation (e.g. a demotion that would lose quorum). */
  confirmTwice?(state: ClusterState, target: ActionTarget, input: string | null): boolean;
  /**
   * For operations whose plan needs I/O (read a compose file, fetch the spec, diff it): runs after the
   * input and before the confirmation, which then always shows the plan's impact lines (default: cancel).
   * run() receives the confirmed plan as it was shown. `more.resume` is what an 'ask' (or a stale
   * outcome's ask) carried, when the operator answered y; `more.value` the bytes asked by `value`, if any.
   */
  prepare?(ctx: ActionContext, state: ClusterState, target: ActionTarget, input: string | null, more?: PrepareMore): Promise<Prepared>;
  /**
   * The operator cancelled a confirmation or question that holds work of theirs (a plan or a resume:
   * an edited spec): keep it somewhere and say where (null: nothing kept). Never changes the cluster.
   */
  abandon?(target: ActionTarget, held: unknown): Promise<string | null>;
  /** A plan that will not run (cancelled): lets the action zero what it holds (a secret's bytes). */
  release?(plan: unknown): void;
  run(ctx: ActionContext, target: ActionTarget, input: string | null, plan?: unknown): Promise<ActionOutcome>;
  /**
   * Set by the guard: records an attempt the console refused before running it (a mutating key in
   * read-only mode), so the audit log shows refused attempts too. Never runs anything.
   */
  auditRefusal?(ctx: ActionContext, target: ActionTarget, message: string): Promise<void>;
}
