import { TimelineEntry, type EntryDraft } from './entry.js';

/** Entries kept by default: the oldest is dropped when a new one comes beyond this. */
export const DEFAULT_TIMELINE_CAPACITY = 50_000;

/** What the UI reads: entries, a revision that moves with every change, one notification per change. */
export interface ReadableTimeline {
  readonly revision: number;
  readonly capacity: number;
  /** Entries dropped to stay within the capacity, since the start. */
  readonly dropped: number;
  /** Oldest first, in the order they were recorded. The same array until the next change. */
  entries(): readonly TimelineEntry[];
  subscribe(listener: () => void): () => void;
}

/**
 * The incident timeline: a ring of the last `capacity` entries. Adding is O(entries added); memory is
 * bounded by the capacity whatever happens to the cluster.
 */
export class Timeline implements ReadableTimeline {
  private readonly ring: TimelineEntry[] = [];
  /** Index in `ring` of the oldest entry once the ring is full. */
  private head = 0;
  private seq = 0;
  private ordered: readonly TimelineEntry[] | null = null;
  private readonly listeners = new Set<() => void>();
  revision = 0;
  dropped = 0;

  constructor(readonly capacity: number = DEFAULT_TIMELINE_CAPACITY) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`timeline capacity must be a whole number >= 1, got ${capacity}`);
  }

  get size(): number {
    return this.ring.length;
  }

  /** Records drafts as one change (listeners hear of it once); returns the entries made. */
  add(drafts: readonly EntryDraft[]): TimelineEntry[] {
    if (drafts.length === 0) return [];
    const made: TimelineEntry[] = [];
    for (const d of drafts) {
      const e = new TimelineEntry(++this.seq, d);
      made.push(e);
      if (this.ring.length < this.capacity) this.ring.push(e);
      else {
        this.ring[this.head] = e;
        this.head = (this.head + 1) % this.capacity;
        this.dropped++;
      }
    }
    this.ordered = null;
    this.revision++;
    for (const l of [...this.listeners]) {
      try {
        l();
      } catch {
        /* a listener's failure is its own */
      }
    }
    return made;
  }

  entries(): readonly TimelineEntry[] {
    this.ordered ??= this.head === 0 ? [...this.ring] : [...this.ring.slice(this.head), ...this.ring.slice(0, this.head)];
    return this.ordered;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
