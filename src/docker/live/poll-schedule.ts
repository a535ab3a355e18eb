import type { Id, TaskModel } from '../../store/model.js';

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

interface Entry {
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
  private readonly entries = new Map<Id, Entry>();

  constructor(private readonly baseMs: number, private readonly maxMs: number) {}

  private entry(id: Id, urgent = true): Entry {
    let e = this.entries.get(id);
    if (!e) {
      e = { intervalMs: this.baseMs, dueAt: 0, takenAt: Number.NEGATIVE_INFINITY, inFlight: false, urgent, print: null, printSince: 0, printSeenAt: 0 };
      this.entries.set(id, e);
    }
    return e;
  }

  /**
   * Whether `id` should be polled now at its adaptive interval; if so it counts as asked for. A
   * service that is not urgent waits while `budgetOk` is false.
   */
  take(id: Id, now: number, budgetOk = true): boolean {
    const e = this.entry(id);
    if (e.dueAt > now || (!e.urgent && !budgetOk)) return false;
    this.mark(e, now);
    return true;
  }

  /** Whether `id` should be polled now at the base interval (a short settle period, no backoff). */
  takeFast(id: Id, now: number): boolean {
    const e = this.entry(id);
    if (now - e.takenAt < this.baseMs && e.dueAt > now) return false;
    this.mark(e, now);
    return true;
  }

  private mark(e: Entry, now: number): void {
    e.takenAt = now;
    e.inFlight = true;
    e.urgent = false;
    // Not due again before an answer, unless that never comes (failed read): then after one interval.
    e.dueAt = now + e.intervalMs;
  }

  /**
   * A fresh complete task list of `id` (from a poll, an event's re-read, or a snapshot when `snapshot`),
   * read at `now`.
   */
  observe(id: Id, tasks: Iterable<TaskModel>, snapshot = false, now = 0): void {
    const e = this.entry(id, !snapshot);
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
  wake(id: Id, urgent = true): void {
    const e = this.entries.get(id);
    if (!e) return;
    e.intervalMs = this.baseMs;
    e.dueAt = 0;
    if (urgent) e.urgent = true;
  }

  /**
   * Whether `id` has been woken (event, changed counts) or is new, and not polled since. Such a
   * service is polled even when parked.
   */
  isUrgent(id: Id): boolean {
    return this.entries.get(id)?.urgent ?? true;
  }

  /** How long the task list of `id` is known unchanged: the span of the observations that agree. */
  unchangedFor(id: Id): number {
    const e = this.entries.get(id);
    return e?.print ? e.printSeenAt - e.printSince : 0;
  }

  /** The current interval of `id` (for tests and diagnostics). */
  intervalOf(id: Id): number {
    return this.entries.get(id)?.intervalMs ?? this.baseMs;
  }

  forget(id: Id): void {
    this.entries.delete(id);
  }

  /** Keeps only the given services (after a snapshot). */
  retain(ids: ReadonlySet<Id>): void {
    for (const id of this.entries.keys()) if (!ids.has(id)) this.entries.delete(id);
  }
}
