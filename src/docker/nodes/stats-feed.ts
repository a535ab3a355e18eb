import type { NodeReachFailure, StatsState, TaskStats } from '../../store/state.js';
import { followStats } from '../api/stats.js';
import type { NodeReach } from './connections.js';

/** A running task whose container's stats are wanted (it is on screen). */
export interface StatsTarget {
  taskId: string;
  nodeId: string;
  containerId: string;
}

export interface StatsFeedOptions {
  nodes: NodeReach;
  /** Receives the stats of every followed task at most once per interval (one store change, one frame). */
  publish(stats: StatsState): void;
  /** At most this many streams at once: what is beyond is not followed (CPU budget of the console). */
  maxStreams?: number;
  intervalMs?: number;
}

/** The short word a cell has room for, from a node's reason. */
function shortReason(reason: string): string {
  if (/no endpoint configured/.test(reason)) return 'no endpoint';
  const m = /: (auth failed|timeout|host key not trusted|unreachable) —/.exec(reason);
  return m ? m[1]! : 'unreachable';
}

interface Follow {
  target: StatsTarget;
  abort: AbortController;
}

/**
 * Follows the stats streams of exactly the tasks the console shows (want() is called with the visible
 * rows), each over its node's own connection; a task that leaves the screen has its stream closed at
 * once. Samples are published together on an interval, so a screen of tasks costs one redraw a tick.
 */
export class StatsFeed {
  private readonly follows = new Map<string, Follow>();
  private latest = new Map<string, TaskStats>();
  private readonly unreachable = new Map<string, NodeReachFailure>();
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly o: StatsFeedOptions) {}

  /** Streams open right now (for tests and the benchmark). */
  openStreams(): number {
    return this.follows.size;
  }

  /** The tasks on screen now: new ones are followed, those no longer listed are stopped. */
  want(targets: readonly StatsTarget[]): void {
    if (this.stopped) return;
    const wanted = new Map(targets.slice(0, this.o.maxStreams ?? 64).map((t) => [t.taskId, t]));
    for (const [id, f] of this.follows) {
      const t = wanted.get(id);
      if (t === undefined || t.containerId !== f.target.containerId) this.unfollow(id);
    }
    for (const [id, t] of wanted) if (!this.follows.has(id)) this.follow(t);
    // Numbers of tasks no longer followed are dropped, so nothing stale is shown when they come back.
    for (const id of [...this.latest.keys()]) {
      if (!this.follows.has(id)) {
        this.latest.delete(id);
        this.dirty = true;
      }
    }
    if (this.follows.size > 0 && this.timer === null) {
      this.timer = setInterval(() => this.flush(), this.o.intervalMs ?? 1000);
      this.timer.unref();
    } else if (this.follows.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.flush();
  }

  stop(): void {
    this.stopped = true;
    for (const id of [...this.follows.keys()]) this.unfollow(id);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private flush(): void {
    if (!this.dirty) return;
    this.dirty = false;
    this.latest = new Map(this.latest);
    this.o.publish({ tasks: this.latest, unreachable: new Map(this.unreachable) });
  }

  private unfollow(id: string): void {
    this.follows.get(id)?.abort.abort();
    this.follows.delete(id);
  }

  private follow(target: StatsTarget): void {
    const abort = new AbortController();
    this.follows.set(target.taskId, { target, abort });
    const stillFollowed = (): boolean => this.follows.get(target.taskId)?.abort === abort;
    this.o.nodes.connect(target.nodeId).then(
      (conn) => {
        if (this.unreachable.delete(target.nodeId)) this.dirty = true;
        if (!stillFollowed()) return undefined;
        return followStats(conn, target.containerId, abort.signal, (s) => {
          if (!stillFollowed()) return;
          this.latest.set(target.taskId, s);
          this.dirty = true;
        });
      },
      (err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        this.unreachable.set(target.nodeId, { short: shortReason(reason), reason });
        this.dirty = true;
        this.flush();
      },
    ).catch(() => undefined).finally(() => {
      // The stream ended by itself (the container went): it may be followed again when asked.
      if (stillFollowed()) this.follows.delete(target.taskId);
    });
  }
}
