import type { ActionContext } from '../../actions/types.js';
import type { ReadableStore } from '../../store/state.js';
import type { ReadableTimeline } from '../../store/timeline/timeline.js';
import type { ConsoleReaders } from '../options.js';
import type { StatsWatch } from '../useStatsWatch.js';

/** What the fleet screen shows: one row per context, or every context's services or nodes in one table. */
export type FleetTable = 'fleet' | 'services' | 'nodes';

/** One context with its own store and live layer, as the UI sees it. */
export interface FleetMember {
  readonly name: string;
  readonly store: ReadableStore;
  /** --read-only or the context's readOnly. */
  readonly readOnly: boolean;
  readonly readers: ConsoleReaders;
  /** Its incident timeline (pane 9) and `:bundle`. */
  readonly timeline?: ReadableTimeline;
  readonly bundle?: (since: string | null, file: string | null) => Promise<string>;
  /** Told which tasks its console shows (their live CPU and memory are streamed meanwhile). */
  readonly watchStats?: StatsWatch;
  /** The connection actions go to (null while it reconnects). */
  actionContext(): ActionContext | null;
  refresh(): void;
}

/**
 * Several contexts live at once (src/cli/fleet-session.ts): each watched light from the fleet, the one
 * whose console is open in full.
 */
export interface FleetControl {
  /** The members now, in the contexts' order; a new array when one is added or removed. */
  members(): readonly FleetMember[];
  subscribe(listener: () => void): () => void;
  /** Watches every context (light): the fleet screen is open. */
  open(): void;
  /** The console of this context opens: its live layer goes full, the one open before goes light. */
  focus(name: string): Promise<void>;
  /** Back to the fleet screen: no context is watched in full. */
  unfocus(): void;
}
