import type { TaskModel } from '../../store/model.js';

/**
 * An order-independent fingerprint of a task list: count plus two 32-bit mixes of every task's id,
 * version and state. Equal fingerprints mean "no change" for polling purposes (a rare collision only
 * delays a poll; the backstop resync still corrects the store).
 */
export interface TaskPrint {
  count: number;
  sum: number;
  xor: number;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

export function fingerprint(tasks: Iterable<TaskModel>): TaskPrint {
  let count = 0;
  let sum = 0;
  let xor = 0;
  for (const t of tasks) {
    const h = hash(`${t.id}\u0000${t.version}\u0000${t.state}\u0000${t.desiredState}`);
    count++;
    sum = (sum + h) >>> 0;
    xor = (xor ^ h) >>> 0;
  }
  return { count, sum, xor };
}

const samePrint = (a: TaskPrint, b: TaskPrint): boolean => a.count === b.count && a.sum === b.sum && a.xor === b.xor;

/** One service's polling state; it lives in the service's record (tracked.ts), never in a map of its own. */
export interface PollEntry {
  intervalMs: number;
  dueAt: number;
  /** When the last poll was asked for; while one is in flight, `inFlight` is set. */
  takenAt: number;
  inFlight: boolean;
  /** Woken (event, change seen, new service): polled as soon as due, past the cost budget. */
  urgent: boolean;
  print: TaskPrint | null;
  /** When the current fingerprint was first seen, and last seen again: the list was unchanged in between. */
  printSince: number;
  printSeenAt: number;
}

/**
 * Per-service adaptive task polling. A service is polled at `baseMs`; every poll that shows its tasks
 * unchanged doubles its interval up to `maxMs` (tasks pending forever on an unmeetable constraint
 * cost almost nothing); any change seen in a poll, or any event touching the service, brings it back
 * to `baseMs` at once and marks it urgent (the caller's cost budget holds back only the others).
 */
export class PollSchedule {
  constructor(private readonly baseMs: number, private readonly maxMs: number) {}

  /** A new service's entry: `urgent` unless first seen in a snapshot (no burst of polls after a resync). */
  entry(urgent = true): PollEntry {
    return { intervalMs: this.baseMs, dueAt: 0, takenAt: Number.NEGATIVE_INFINITY, inFlight: false, urgent, print: null, printSince: 0, printSeenAt: 0 };
  }

  /**
   * Whether the service should be polled now at its adaptive interval; if so it counts as asked for. A
   * service that is not urgent waits while `budgetOk` is false.
   */
  take(e: PollEntry, now: number, budgetOk = true): boolean {
    if (e.dueAt > now || (!e.urgent && !budgetOk)) return false;
    this.mark(e, now);
    return true;
  }

  /** Whether the service should be polled now at the base interval (a short settle period, no backoff). */
  takeFast(e: PollEntry, now: number): boolean {
    if (now - e.takenAt < this.baseMs && e.dueAt > now) return false;
    this.mark(e, now);
    return true;
  }

  private mark(e: PollEntry, now: number): void {
    e.takenAt = now;
    e.inFlight = true;
    e.urgent = false;
    // Not due again before an answer, unless that never comes (failed read): then after one interval.
    e.dueAt = now + e.intervalMs;
  }

  /** A fresh complete task list of the service (from a poll, an event's re-read, or a snapshot), read at `now`. */
  observe(e: PollEntry, tasks: Iterable<TaskModel>, now = 0): void {
    const print = fingerprint(tasks);
    const first = e.print === null;
    const changed = !first && !samePrint(e.print as TaskPrint, print);
    if (first || changed) e.printSince = now;
    e.printSeenAt = now;
    e.print = print;
    if (changed) {
      e.intervalMs = this.baseMs;
      e.urgent = true;
      e.dueAt = e.inFlight ? e.takenAt + this.baseMs : 0;
    } else if (e.inFlight && !first) {
      e.intervalMs = Math.min(this.maxMs, e.intervalMs * 2);
      e.dueAt = e.takenAt + e.intervalMs;
    }
    e.inFlight = false;
  }

  /**
   * Something happened to the service (event, counts changed, node event touching it): poll fast again.
   * Not `urgent` when it only may have moved (a node changed): then within the cost budget, so a
   * flapping node does not make every waiting service be re-read each time.
   */
  wake(e: PollEntry, urgent = true): void {
    e.intervalMs = this.baseMs;
    e.dueAt = 0;
    if (urgent) e.urgent = true;
  }

  /** How long the service's task list is known unchanged: the span of the observations that agree. */
  unchangedFor(e: PollEntry): number {
    return e.print ? e.printSeenAt - e.printSince : 0;
  }
}
