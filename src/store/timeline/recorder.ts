import type { ClusterState, ReadableStore } from '../state.js';
import { freshDraft, type ChangeDraft } from './changes.js';
import { diffStates } from './diff.js';
import type { EntryDraft } from './entry.js';
import { eventDraft, eventKey, type EngineEventInput } from './engine-events.js';
import { historyMarker, taskHistoryDrafts } from './history.js';
import { operatorDraft, type OperatorAction } from './operator.js';
import type { Timeline } from './timeline.js';

/** A fact seen from one source is not repeated by the other within this long (an event and its re-read). */
const FACT_WINDOW_MS = 60_000;
/** Event keys remembered to drop replays (a resumed stream, history overlapping the stream). */
const EVENT_KEYS_KEPT = 4096;

export interface RecorderOptions {
  now?: () => number;
  /** Task records older than this before the first snapshot are not read back (ms). */
  taskLookbackMs?: number;
}

/**
 * Feeds a timeline from what the console already has: the store's changes (diffed, never re-read), the
 * engine events the live layer receives, the operator's audited actions, and the history read back at
 * start. Costs nothing while nothing happens: it runs only when the store changes or an event comes.
 */
export class TimelineRecorder {
  private readonly now: () => number;
  private readonly lookback: number;
  /** Fact → when recorded (see Change.fact). */
  private readonly facts = new Map<string, number>();
  private readonly eventKeys = new Set<string>();
  private prev: ClusterState | null = null;

  constructor(readonly timeline: Timeline, private readonly opts: RecorderOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.lookback = opts.taskLookbackMs ?? 24 * 3600_000;
  }

  /** Follows a store; returns the unsubscribe. */
  follow(store: ReadableStore): () => void {
    this.prev = store.getState();
    return store.subscribe(() => this.observe(store.getState()));
  }

  /** A new store state (follow() calls this on every change). */
  observe(next: ClusterState): void {
    const prev = this.prev;
    this.prev = next;
    if (prev === null || prev === next) return;
    const now = this.now();
    const { drafts, changes } = diffStates(prev, next, now);
    const out = [...drafts, ...this.fresh(changes)];
    // The first picture of a cluster: what its task records still tell about the time before.
    if (next.syncedAt > 0 && (prev.syncedAt === 0 || prev.connection.context !== next.connection.context)) {
      out.push(...taskHistoryDrafts(next, now - this.lookback, now));
    }
    this.timeline.add(out);
  }

  /** An engine event as the live layer received it. */
  engineEvent(e: EngineEventInput): void {
    if (!this.firstTime(e)) return;
    const d = eventDraft(e, this.nameOf(e), true);
    if (d) this.timeline.add(this.fresh([d]));
  }

  /**
   * Events read back from before the console started, and where that history begins. `state`: the
   * cluster as read now (names for events that carry none, and the swarm's task history limit).
   */
  history(events: readonly EngineEventInput[], endpoint: string, state: ClusterState | null, startedAt: number): void {
    const drafts: EntryDraft[] = [];
    let oldest = startedAt;
    let count = 0;
    for (const e of events) {
      if (!this.firstTime(e)) continue;
      count++;
      oldest = Math.min(oldest, e.at);
      const d = eventDraft(e, this.nameOf(e, state), false);
      const draft = d ? freshDraft(d, () => false) : null;
      if (draft) drafts.push(draft);
    }
    drafts.push(historyMarker(oldest, endpoint, count, state?.swarm?.taskHistoryLimit ?? 0));
    this.timeline.add(drafts);
  }

  /** The operator's own actions (audit lines), read back or as they happen. */
  operator(actions: readonly OperatorAction[]): void {
    this.timeline.add(actions.map(operatorDraft));
  }

  /** Any drafts as they are (a bundle's task history, a console note). */
  add(drafts: readonly EntryDraft[]): void {
    this.timeline.add(drafts);
  }

  private nameOf(e: EngineEventInput, state: ClusterState | null = this.prev): string {
    if (e.name !== '') return e.name;
    if (e.kind === 'node') return state?.nodes.get(e.id)?.hostname ?? '';
    if (e.kind === 'service') return state?.services.get(e.id)?.name ?? '';
    return '';
  }

  private firstTime(e: EngineEventInput): boolean {
    const key = eventKey(e);
    if (this.eventKeys.has(key)) return false;
    this.eventKeys.add(key);
    if (this.eventKeys.size > EVENT_KEYS_KEPT) {
      const oldest = this.eventKeys.values().next().value;
      if (oldest !== undefined) this.eventKeys.delete(oldest);
    }
    return true;
  }

  /** Drafts without the facts already recorded; records the facts they carry. */
  private fresh(drafts: readonly ChangeDraft[]): EntryDraft[] {
    if (drafts.length === 0) return [];
    const now = this.now();
    const seen = (fact: string): boolean => {
      const at = this.facts.get(fact);
      return at !== undefined && now - at <= FACT_WINDOW_MS;
    };
    const out: EntryDraft[] = [];
    for (const d of drafts) {
      const draft = freshDraft(d, seen);
      for (const c of d.changes) if (c.fact !== null) this.facts.set(c.fact, now);
      if (draft) out.push(draft);
    }
    if (this.facts.size > 512) for (const [f, at] of this.facts) if (now - at > FACT_WINDOW_MS) this.facts.delete(f);
    return out;
  }
}
