import { parseAuditLine, readAuditLines } from '../actions/audit-read.js';
import type { AuditSink } from '../actions/audit.js';
import type { DockerConnection } from '../docker/connection.js';
import { readEventHistory } from '../docker/api/events-history.js';
import type { SwarmEvent } from '../docker/api/events.js';
import { toDockerApiError } from '../docker/errors.js';
import type { ReadableStore } from '../store/state.js';
import { TimelineRecorder } from '../store/timeline/recorder.js';
import { DEFAULT_TIMELINE_CAPACITY, Timeline } from '../store/timeline/timeline.js';
import { assembleBundle, DEFAULT_LOG_LINES, parseSince } from './bundle/assemble.js';

/** How far back the audit log and task records are read at start. */
const LOOKBACK_MS = 24 * 3600_000;
const DEFAULT_BUNDLE_SINCE = '30m';

/** What the console's live layer offers the timeline: its current connection. */
export interface LiveSource {
  connection(): DockerConnection | null;
}

export interface ConsoleTimelineOptions {
  store: ReadableStore;
  capacity?: number;
  /** The audit log to read back (default: the user's). */
  auditFile?: string;
  now?: () => number;
}

/**
 * The console's incident timeline, wired to what the console already has: the store's changes, the live
 * layer's events (`onEvent`), the actions it audits (`auditSink`), and, once connected, the history the
 * engine and the audit log still hold (`loadHistory`). `:bundle` writes from it (`bundler`).
 */
export class ConsoleTimeline {
  readonly timeline: Timeline;
  private readonly recorder: TimelineRecorder;
  private readonly unfollow: () => void;
  private readonly now: () => number;
  /** Cancels the history load waiting for a connection (a new one replaces it; stop ends it). */
  private cancelWait: (() => void) | null = null;

  constructor(private readonly opts: ConsoleTimelineOptions) {
    this.now = opts.now ?? Date.now;
    this.timeline = new Timeline(opts.capacity ?? DEFAULT_TIMELINE_CAPACITY);
    this.recorder = new TimelineRecorder(this.timeline, { now: this.now, taskLookbackMs: LOOKBACK_MS });
    this.unfollow = this.recorder.follow(opts.store);
  }

  /** For LiveClusterOptions.onEvent. */
  readonly onEvent = (e: SwarmEvent): void => this.recorder.engineEvent(e);

  /** The audit sink, with every line also recorded as the operator's action. */
  auditSink(sink: AuditSink): AuditSink {
    return async (entry) => {
      const action = parseAuditLine(JSON.stringify(entry));
      if (action) this.recorder.operator([action]);
      await sink(entry);
    };
  }

  /**
   * Once `live` is connected (the store says so: no timer waits): the engine's events from before now (all
   * it still holds) and this context's audit lines of the last day. A failure is a line in the timeline.
   */
  loadHistory(live: LiveSource): Promise<void> {
    this.cancelWait?.();
    const startedAt = this.now();
    const store = this.opts.store;
    return new Promise<void>((resolve) => {
      const check = (): void => {
        const st = store.getState();
        const conn = live.connection();
        if (st.connection.status !== 'live' || st.syncedAt === 0 || conn === null) return;
        done();
        this.readHistory(conn, startedAt).then(resolve, resolve);
      };
      const off = store.subscribe(check);
      const done = (): void => {
        off();
        if (this.cancelWait === done) this.cancelWait = null;
      };
      this.cancelWait = () => {
        done();
        resolve();
      };
      check();
    });
  }

  private async readHistory(conn: DockerConnection, startedAt: number): Promise<void> {
    const state = this.opts.store.getState();
    const endpoint = state.connection.endpoint;
    const [events, audit] = await Promise.all([
      readEventHistory(conn, { since: '1', until: String(Math.ceil(this.now() / 1000) + 1) }).catch((e: unknown) => toDockerApiError(e)),
      readAuditLines({ since: startedAt - LOOKBACK_MS, until: startedAt, context: state.connection.context }, this.opts.auditFile).catch(() => []),
    ]);
    if (Array.isArray(events)) this.recorder.history(events, endpoint, this.opts.store.getState(), startedAt);
    else {
      this.recorder.add([{ at: startedAt, source: 'console', severity: 'warn', kind: 'console', objectId: '', name: 'history', text: `the engine's event history could not be read: ${events.message}`, history: true }]);
    }
    this.recorder.operator(audit.map((a) => a.action));
  }

  /** `:bundle [30m] [FILE]` over this timeline and the current connection. */
  bundler(connection: () => DockerConnection | null): (since: string | null, file: string | null) => Promise<string> {
    return async (sinceText, file) => {
      const until = this.now();
      const since = parseSince(sinceText ?? DEFAULT_BUNDLE_SINCE, until);
      if (since === null) throw new Error(`${sinceText ?? ''}: give the window as 30m, 2h or 1d`);
      const r = await assembleBundle({
        conn: connection(), state: this.opts.store.getState(), entries: this.timeline.entries(), since, until,
        logLines: DEFAULT_LOG_LINES, out: file, auditFile: this.opts.auditFile,
      });
      return `bundle written: ${r.file} (${r.entries} timeline entries, logs of ${r.services} service(s), ${r.auditLines} audit line(s))`;
    };
  }

  stop(): void {
    this.cancelWait?.();
    this.unfollow();
  }
}
