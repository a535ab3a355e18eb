import type { ActionContext, ActionSpec, TargetKind } from '../actions/types.js';
import type { ReadableStore } from '../store/state.js';
import type { ReadableTimeline } from '../store/timeline/timeline.js';
import type { FleetControl } from './fleet/types.js';
import type { KeyOverrides } from './keymap.js';
import type { StatsWatch } from './useStatsWatch.js';

/** One log line, already demultiplexed and split (src/docker/api/logs.ts). */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** RFC3339Nano from the engine ('' when absent). */
  timestamp: string;
  /** The task as `docker service logs` names it, service.slot ("web.1"; "agent.0" for a global task), '' when unknown. */
  task: string;
  /** The task's id ('' when unknown): its first 12 characters are part of the prefix, and it keys the prefix colour. */
  taskId?: string;
  /** Hostname of the node the task runs on ('' when unknown). */
  node?: string;
  text: string;
  /** Said by swarmtop, not by the task: why some logs cannot be read (node down, log driver "none"). */
  notice?: boolean;
}

export interface LogRequest {
  kind: 'service' | 'task';
  id: string;
  follow: boolean;
  /** Lines from the end to start with. */
  tail: number;
  signal: AbortSignal;
}

/** The read helpers the inspect and logs views use (implemented over src/docker/api). */
export interface ConsoleReaders {
  inspect: (kind: TargetKind, id: string) => Promise<unknown>;
  logs: (req: LogRequest) => AsyncIterable<LogLine>;
}

export interface ConsoleOptions {
  store: ReadableStore;
  actions: readonly ActionSpec[];
  /** Null while no connection is open (actions then say so). */
  actionContext: () => ActionContext | null;
  /** Asks the live layer to re-read now (after a stale write). */
  refresh: () => void;
  readers: ConsoleReaders;
  /** --theme; NO_COLOR overrides it. */
  theme: string | null;
  /** Per-context theme names (e.g. { prod: 'production' }). */
  contextThemes?: Readonly<Record<string, string>>;
  readOnly: boolean;
  /** The user's keys and `:` aliases (keys.yaml). */
  keys?: KeyOverrides;
  /** --no-audit: actions are not audited (the header shows it). */
  auditOff?: boolean;
  contexts: readonly string[];
  switchContext: (name: string) => Promise<void> | void;
  /** The incident timeline (pane 9). */
  timeline?: ReadableTimeline | null;
  /** `:bundle`: writes an incident bundle of the window, resolves with what was written. */
  bundle?: (since: string | null, file: string | null) => Promise<string>;
  /** Several contexts live at once: the fleet screen (0, :fleet) and :ctx keep the others watched. */
  fleet?: FleetControl;
  /** Open on the fleet screen rather than on the first context's console (swarmtop --fleet). */
  startInFleet?: boolean;
  /** Where the console says which tasks are on screen, for their live CPU and memory (absent: no stats). */
  watchStats?: StatsWatch;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
}
