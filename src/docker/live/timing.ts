/** How often the live layer looks at what; all overridable (tests use shorter values). */
export interface LiveTiming {
  /** Task poll for services that are converging or updating (the fastest interval). */
  taskPollMs: number;
  /**
   * A service whose polled tasks do not change is polled at twice its last interval, up to this; any
   * change or event touching it brings it back to `taskPollMs`.
   */
  taskPollMaxMs: number;
  /**
   * Task polls of backed-off services take at most this share of a core: after a poll costing C ms of
   * CPU, they wait C / share (urgent services — changed, woken by an event, settling — do not).
   */
  pollShare: number;
  /**
   * A service whose tasks only wait for a node (pending on constraints or resources), unchanged for
   * this long, is parked: no timed polls, only when woken by an event or a change of its counts, or
   * (within the poll budget) by a node event; the resync is its backstop.
   */
  parkAfterMs: number;
  /** How long a service's tasks are still polled after it looked converged (task history pruning). */
  settleMs: number;
  /**
   * Service list, manager list and swarm object. Docker emits no event when a task dies (running
   * counts), when a manager becomes unreachable or the leader moves (computed from raft on each read)
   * or when tokens/CA rotate, so these are re-read on this cheap timer: three calls, never the tasks,
   * and only the managers of the node list (worker state changes come as node events).
   */
  heartbeatMs: number;
  /** The heartbeat's share of a core at most: one that cost C ms of CPU comes again after max(heartbeatMs, C / share). */
  heartbeatShare: number;
  /** Full re-read: the backstop against any missed event. */
  resyncMs: number;
  /**
   * The backstop's share of a core at most: a full re-read that cost C ms of CPU is repeated after
   * max(resyncMs, C / share), at most 30 resyncMs apart, so a huge cluster is not re-read every minute.
   */
  resyncShare: number;
  /** Events arriving within this window are handled in one batch. */
  coalesceMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  readTimeoutMs: number;
}

/**
 * The shares add up to the idle budget of a large cluster (1 % of a core in all): measured at 200
 * services / 50,000 pending tasks, 0.3 % + 0.4 % left too little for renders and the collector.
 */
export const DEFAULT_TIMING: LiveTiming = {
  taskPollMs: 1000,
  taskPollMaxMs: 30_000,
  parkAfterMs: 30_000,
  pollShare: 0.002,
  settleMs: 10_000,
  heartbeatMs: 5000,
  heartbeatShare: 0.002,
  resyncMs: 60_000,
  resyncShare: 0.001,
  coalesceMs: 40,
  backoffInitialMs: 250,
  backoffMaxMs: 2000,
  readTimeoutMs: 10_000,
};

/**
 * A context watched from the fleet (light: no tasks but of unconverged services) has its own, smaller
 * budget: ten contexts side by side cost about what one full console does. Its heartbeat is slower
 * too; events and a lost stream still mark it stale at once.
 */
export const LIGHT_TIMING: Partial<LiveTiming> = {
  heartbeatMs: 10_000,
  heartbeatShare: 0.0005,
  pollShare: 0.0005,
  resyncShare: 0.0002,
};

/** Delay before the n-th consecutive attempt (0-based): 0, then doubling up to the maximum. */
export function backoffDelay(attempt: number, t: Pick<LiveTiming, 'backoffInitialMs' | 'backoffMaxMs'>): number {
  if (attempt <= 0) return 0;
  return Math.min(t.backoffMaxMs, t.backoffInitialMs * 2 ** (attempt - 1));
}

/** A sleep that ends early (resolving) when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}
