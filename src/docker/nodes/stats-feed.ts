import type { NodeReachFailure, StatsState, TaskStats } from '../../store/state.js';
import { followStats } from '../api/stats.js';
import { DockerApiError } from '../errors.js';
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

/** A stream that ended (container restarted, transport dropped) is tried again after this; a node that failed, after the node pool's own wait. */
const RETRY_MS = 5000;

/**
 * Follows the stats streams of exactly the tasks the console shows (want() is called with the visible
 * rows), each over its node's own connection; a task that leaves the screen has its stream closed at
 * once. Samples are published together on an interval, so a screen of tasks costs one redraw a tick;
 * the same tick re-opens, after a pause, a wanted stream that ended or whose node failed.
 */
export class StatsFeed {
  private wanted = new Map<string, StatsTarget>();
  private readonly follows = new Map<string, Follow>();
  /** When a wanted task whose stream ended may be tried again. */
  private readonly retryAt = new Map<string, number>();
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
    this.wanted = new Map(targets.slice(0, this.o.maxStreams ?? 64).map((t) => [t.taskId, t]));
    for (const [id, f] of this.follows) {
      const t = this.wanted.get(id);
      if (t === undefined || t.containerId !== f.target.containerId) this.unfollow(id);
    }
    for (const id of [...this.retryAt.keys()]) if (!this.wanted.has(id)) this.retryAt.delete(id);
    for (const [id, t] of this.wanted) if (!this.follows.has(id) && !this.retryAt.has(id)) this.follow(t);
    // Numbers of tasks no longer followed are dropped, so nothing stale is shown when they come back.
    this.dropUnfollowed();
    if (this.wanted.size > 0 && this.timer === null) {
      this.timer = setInterval(() => this.tick(), this.o.intervalMs ?? 1000);
      this.timer.unref();
    } else if (this.wanted.size === 0 && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
    this.flush();
  }

  stop(): void {
    this.stopped = true;
    this.wanted = new Map();
    for (const id of [...this.follows.keys()]) this.unfollow(id);
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = Date.now();
    for (const [id, at] of this.retryAt) {
      const t = this.wanted.get(id);
      if (at > now || t === undefined) continue;
      this.retryAt.delete(id);
      if (!this.follows.has(id)) this.follow(t);
    }
    this.flush();
  }

  private dropUnfollowed(): void {
    for (const id of [...this.latest.keys()]) {
      if (!this.follows.has(id)) {
        this.latest.delete(id);
        this.dirty = true;
      }
    }
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
    let retryMs = RETRY_MS;
    this.o.nodes.connect(target.nodeId).then(
      (conn) => {
        if (this.unreachable.delete(target.nodeId)) this.dirty = true;
        if (!stillFollowed()) return undefined;
        return followStats(conn, target.containerId, abort.signal, (s) => {
          if (!stillFollowed()) return;
          this.latest.set(target.taskId, s);
          this.dirty = true;
        }).catch((err: unknown) => {
          // No answer at all: the node's transport is gone; the next try connects again.
          if (err instanceof DockerApiError && err.status === null) this.o.nodes.drop?.(target.nodeId);
        });
      },
      (err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err);
        this.unreachable.set(target.nodeId, { short: shortReason(reason), reason });
        this.dirty = true;
        retryMs = 30_000;
      },
    ).finally(() => {
      if (!stillFollowed()) return;
      this.follows.delete(target.taskId);
      if (this.wanted.has(target.taskId)) this.retryAt.set(target.taskId, Date.now() + retryMs);
      this.dropUnfollowed();
      this.flush();
    });
  }
}
