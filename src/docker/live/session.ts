import type { DockerConnection } from '../connection.js';
import { toDockerApiError, type DockerApiError } from '../errors.js';
import { watchEvents, type SwarmEvent } from '../api/events.js';
import type { Id } from '../../store/model.js';
import { Pending } from './pending.js';
import { runSync, type SyncResult } from './sync.js';
import type { LiveTiming } from './timing.js';

/** Cost-scaled periods stretch to at most this many times their base. */
const SLOWEST = 10;
/** The backstop resync stretches further (events and polls do the real work): 30 min by default. */
const SLOWEST_RESYNC = 30;
/** Generous upper bound of the CPU one object read costs (parse, compare, store). */
const MAX_MS_PER_OBJECT = 0.1;

/** How many objects a sync read (each task, service, node... counts one). */
export function objectsRead(r: SyncResult): number {
  let n = 0;
  for (const m of r.messages) {
    if (m.type === 'serviceTasks' || m.type === 'nodeTasks') n += m.tasks.length + 1;
    else if (m.type === 'snapshot') {
      const s = m.snapshot;
      n += s.tasks.length + s.services.length + s.nodes.length + s.secrets.length + s.configs.length + s.networks.length + 2;
    } else n += 1;
  }
  return n;
}

/** When the next backstop resync comes after a full re-read that cost `cpuMs` of CPU (see LiveTiming.resyncShare). */
export function resyncDelayMs(cpuMs: number, t: Pick<LiveTiming, 'resyncMs' | 'resyncShare'>): number {
  return Math.min(SLOWEST_RESYNC * t.resyncMs, Math.max(t.resyncMs, t.resyncShare > 0 ? cpuMs / t.resyncShare : 0));
}

/**
 * When backed-off services may be polled again after a read that cost `cpuMs` of CPU (see
 * LiveTiming.pollShare). Costs add up: a cheap poll of an urgent service right after an expensive read
 * (the first snapshot, a poll of hundreds of services) must not let every backed-off service through
 * at once. The wait is bounded, so a long run of urgent polls (a rollout) holds the others back a while only.
 */
export function pollBudgetAfter(budgetAt: number, now: number, cpuMs: number, t: Pick<LiveTiming, 'pollShare' | 'taskPollMaxMs'>): number {
  return Math.min(Math.max(budgetAt, now) + cpuMs / t.pollShare, now + SLOWEST * t.taskPollMaxMs);
}

export interface SessionHooks {
  timing: LiveTiming;
  now(): number;
  /** Service and node ids the store holds now. */
  known(): ReadonlySet<Id>;
  knownNodes(): ReadonlySet<Id>;
  /** Services whose tasks are due for a poll; `budgetOk` false holds back the backed-off ones. */
  converging(budgetOk: boolean): readonly Id[];
  /** Watched from the fleet: light snapshots, only service and node events (see Pending.addEvent). */
  light(): boolean;
  onEvent(e: SwarmEvent): void;
  onResult(r: SyncResult): void;
}

/**
 * One connection's life: the event stream, a full snapshot, then event-driven re-reads, the task poll,
 * the heartbeat and the backstop resync. It ends at the first failure (`done` resolves with it); the
 * live cluster then reconnects with a new session.
 */
export class Session {
  private readonly pending = new Pending();
  private readonly ctl = new AbortController();
  private readonly timers: ReturnType<typeof setInterval>[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private resyncTimer: ReturnType<typeof setTimeout> | null = null;
  private heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  /** A heartbeat was asked for: the flush that takes it schedules the next one. */
  private heartbeatDue = false;
  private heartbeatCpuMs = 0;
  /** CPU of the last full re-read. */
  private fullReadCpuMs = 0;
  /** Backed-off services are not polled before this time (see LiveTiming.pollShare). */
  private pollBudgetAt = 0;
  private chain: Promise<void> = Promise.resolve();
  private ended = false;
  private resolveDone: (e: DockerApiError | null) => void = () => undefined;
  /** The error that ended the session, or null when it was stopped. */
  readonly done = new Promise<DockerApiError | null>((resolve) => {
    this.resolveDone = resolve;
  });

  constructor(readonly conn: DockerConnection, private readonly hooks: SessionHooks) {}

  /** Opens events (from `since` when resuming), then reads the full state. Rejects on failure. */
  async start(since: string | undefined): Promise<void> {
    const opened = new Promise<void>((resolve, reject) => {
      watchEvents(this.conn, {
        since,
        signal: this.ctl.signal,
        onOpen: resolve,
        onEvent: (e) => {
          this.hooks.onEvent(e);
          this.pending.addEvent(e, this.hooks.light());
          this.schedule();
        },
      }).then(
        () => this.fail(null),
        (e: unknown) => {
          reject(toDockerApiError(e));
          this.fail(e);
        },
      );
    });
    // Events first, then the snapshot: a change between the two is seen twice, never missed.
    const failed = this.done.then((e) => {
      throw e ?? new Error('stopped');
    });
    failed.catch(() => undefined); // handled by the race below, or moot once the session is up
    // A manager that accepts the connection but never answers must not hold the failover up.
    const timeout = setTimeout(() => this.fail(new Error(`no answer to /events within ${this.hooks.timing.readTimeoutMs} ms`)), this.hooks.timing.readTimeoutMs);
    try {
      await Promise.race([opened, failed]);
    } finally {
      clearTimeout(timeout);
    }
    this.pending.full = true;
    await this.flushNow();
    if (this.ended) throw (await this.done) ?? new Error('stopped');
    const t = this.hooks.timing;
    this.every(t.taskPollMs, () => {
      const budgetOk = this.hooks.now() >= this.pollBudgetAt;
      for (const id of this.hooks.converging(budgetOk)) this.pending.poll.add(id);
    });
    this.scheduleHeartbeat();
    this.scheduleResync();
  }

  /** The next heartbeat: after heartbeatMs, or later when the last one was costly (see heartbeatShare). */
  private scheduleHeartbeat(): void {
    if (this.ended) return;
    const t = this.hooks.timing;
    const delay = Math.min(SLOWEST * t.heartbeatMs, Math.max(t.heartbeatMs, t.heartbeatShare > 0 ? this.heartbeatCpuMs / t.heartbeatShare : 0));
    this.heartbeatTimer = setTimeout(() => {
      this.heartbeatTimer = null;
      this.pending.allServices = true;
      this.pending.managers = true;
      this.pending.swarm = true;
      this.heartbeatDue = true;
      this.schedule();
    }, delay);
  }

  /** The next backstop re-read: after resyncMs, or later when the last one was costly (see resyncShare). */
  private scheduleResync(): void {
    if (this.ended) return;
    if (this.resyncTimer !== null) clearTimeout(this.resyncTimer);
    const t = this.hooks.timing;
    const delay = resyncDelayMs(this.fullReadCpuMs, t);
    this.resyncTimer = setTimeout(() => {
      this.resyncTimer = null;
      this.pending.full = true;
      this.schedule();
    }, delay);
  }

  /** Re-reads everything now; resolves when done (a failure ends the session instead). */
  refresh(): Promise<void> {
    this.pending.full = true;
    return this.flushNow();
  }

  stop(): void {
    this.fail(null);
  }

  private every(ms: number, add: () => void): void {
    this.timers.push(setInterval(() => {
      add();
      this.schedule();
    }, ms));
  }

  private schedule(): void {
    if (this.flushTimer !== null || this.ended) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flushNow();
    }, this.hooks.timing.coalesceMs);
  }

  /** Flushes are serialized: one batch at a time, each one dispatch. */
  private flushNow(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (this.ended || this.pending.empty) return;
      const work = this.pending.take();
      const heartbeat = this.heartbeatDue;
      this.heartbeatDue = false;
      const cpu = process.cpuUsage();
      try {
        const result = await runSync(this.conn, work, this.hooks.known(), this.hooks.knownNodes(), { signal: this.ctl.signal, timeoutMs: this.hooks.timing.readTimeoutMs }, this.hooks.now(), this.hooks.light());
        if (!this.ended) this.hooks.onResult(result);
        // CPU of this process while reading and applying what was read (the store's reducer and its
        // listeners count: they are the poll's cost too); other work at the same time (renders, a slow
        // answer during a failover) counts too, so it is capped by what this many objects can cost.
        const used = process.cpuUsage(cpu);
        const bound = objectsRead(result) * MAX_MS_PER_OBJECT;
        const cpuMs = Math.min((used.user + used.system) / 1000, bound);
        const t = this.hooks.timing;
        if ((work.poll.size > 0 || work.full) && t.pollShare > 0) this.pollBudgetAt = pollBudgetAfter(this.pollBudgetAt, this.hooks.now(), cpuMs, t);
        if (heartbeat) {
          this.heartbeatCpuMs = cpuMs;
          this.scheduleHeartbeat();
        }
        if (work.full) {
          this.fullReadCpuMs = cpuMs;
          if (this.timers.length > 0) this.scheduleResync(); // a refresh also counts as the backstop
        }
      } catch (e) {
        this.fail(e);
      }
      // A failed flush ends the session; one that did nothing (empty) keeps the heartbeat going.
      if (heartbeat && this.heartbeatTimer === null && !this.ended) this.scheduleHeartbeat();
    });
    return this.chain;
  }

  private fail(e: unknown): void {
    if (this.ended) return;
    this.ended = true;
    for (const t of this.timers) clearInterval(t);
    if (this.resyncTimer !== null) clearTimeout(this.resyncTimer);
    if (this.heartbeatTimer !== null) clearTimeout(this.heartbeatTimer);
    if (this.flushTimer !== null) clearTimeout(this.flushTimer);
    this.ctl.abort();
    this.resolveDone(e === null ? null : toDockerApiError(e));
  }
}
