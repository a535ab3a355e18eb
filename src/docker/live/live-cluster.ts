import type { DockerConnection } from '../connection.js';
import { describeEndpoint, endpointInfo, type Connector, type EndpointSpec } from '../endpoint.js';
import { printable } from '../../text/printable.js';
import { atEndpoint, toDockerApiError } from '../errors.js';
import type { SwarmEvent } from '../api/events.js';
import type { ClusterMessage } from '../../store/messages.js';
import type { Id } from '../../store/model.js';
import type { ConnectionInfo } from '../../store/state.js';
import { Session } from './session.js';
import type { SyncResult } from './sync.js';
import { Tracked } from './tracked.js';
import { backoffDelay, DEFAULT_TIMING, LIGHT_TIMING, sleep, type LiveTiming } from './timing.js';

/** The engine's words for a manager whose swarm is locked (autolock, after a restart). */
const LOCKED = /needs to be unlocked|swarm is locked|swarm is encrypted/i;

export interface LiveClusterOptions {
  context: string;
  /** Managers of one cluster, tried in order; on loss the next one takes over. */
  endpoints: readonly EndpointSpec[];
  connect: Connector;
  /** The store's dispatch: called once per coalesced batch. */
  dispatch(messages: readonly ClusterMessage[]): void;
  readOnly?: boolean;
  timing?: Partial<LiveTiming>;
  /**
   * Watched from the fleet: light snapshots (engine, swarm, nodes, services), service and node events
   * only, tasks polled only for unconverged services, a smaller CPU budget (LIGHT_TIMING). setLight()
   * switches while running.
   */
  light?: boolean;
  now?: () => number;
  /** Every swarm event as it arrives (diagnostics and tests); the store is fed regardless. */
  onEvent?(event: SwarmEvent): void;
}

/**
 * Keeps a store equal to the swarm: snapshot, then /events-driven re-reads, task polls only where
 * something converges, a heartbeat and a slow resync; on loss it marks the data stale, backs off and
 * fails over to the next manager, resuming events from the last one seen and re-reading everything.
 */
export class LiveCluster {
  private readonly fullTiming: LiveTiming;
  private readonly lightTiming: LiveTiming;
  private light: boolean;
  private readonly locked = new Set<string>();
  private readonly now: () => number;
  private readonly stopCtl = new AbortController();
  private readonly tracked: Tracked;
  private session: Session | null = null;
  private loop: Promise<void> | null = null;
  private index = 0;
  private lastSince: string | undefined;
  private staleSince: number | null = null;
  private liveListeners = new Set<() => void>();
  private liveOnce = false;
  private contactAt = 0;

  constructor(private readonly opts: LiveClusterOptions) {
    if (opts.endpoints.length === 0) throw new Error('no endpoint to connect to');
    this.fullTiming = { ...DEFAULT_TIMING, ...opts.timing };
    this.lightTiming = { ...this.fullTiming, ...LIGHT_TIMING, ...opts.timing };
    this.light = opts.light ?? false;
    this.now = opts.now ?? Date.now;
    const t = this.fullTiming;
    this.tracked = new Tracked(t.settleMs, t.taskPollMs, t.taskPollMaxMs, t.parkAfterMs);
  }

  private get timing(): LiveTiming {
    return this.light ? this.lightTiming : this.fullTiming;
  }

  /** Whether the cluster is watched light (from the fleet) rather than in full (its console is open). */
  isLight(): boolean {
    return this.light;
  }

  /**
   * Light (watched from the fleet) or full (its console is open). The change takes effect with a full
   * re-read in the new mode, done now; it resolves when that is in the store (or at once while not connected).
   */
  async setLight(light: boolean): Promise<void> {
    if (this.light === light) return;
    this.light = light;
    await this.session?.refresh();
  }

  /** Starts connecting (idempotent); watch the store's connection status for progress. */
  start(): void {
    this.loop ??= this.run();
  }

  /** The connection in use right now (actions must go to this manager), or null while reconnecting. */
  connection(): DockerConnection | null {
    return this.session?.conn ?? null;
  }

  /** Whether a service is parked: its tasks only wait for a node, so it is polled only when woken. */
  isParked(serviceId: Id): boolean {
    return this.tracked.isParked(serviceId);
  }

  /** Resolves true once live (now or later), false if `timeoutMs` passes first or the cluster stops. */
  whenLive(timeoutMs: number): Promise<boolean> {
    if (this.session !== null && this.staleSince === null && this.liveOnce) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        clearTimeout(timer);
        this.liveListeners.delete(onLive);
        resolve(v);
      };
      const onLive = (): void => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.liveListeners.add(onLive);
    });
  }

  /** Re-reads everything now (after an action, or when an update was refused as out of sequence). */
  async refresh(): Promise<void> {
    await this.session?.refresh();
  }

  async stop(): Promise<void> {
    this.stopCtl.abort();
    this.session?.stop();
    await this.loop;
  }

  private connectionPatch(patch: Partial<ConnectionInfo>): ClusterMessage {
    return { type: 'connection', patch: { context: this.opts.context, readOnly: this.opts.readOnly ?? false, ...patch } };
  }

  private async run(): Promise<void> {
    let attempt = 0;
    const stop = this.stopCtl.signal;
    this.opts.dispatch([this.connectionPatch({ status: 'connecting', ...endpointInfo(this.current()) })]);
    while (!stop.aborted) {
      await sleep(backoffDelay(attempt, this.timing), stop);
      if (stop.aborted) break;
      const endpoint = this.current();
      const { error, wasLive } = await this.attempt(endpoint);
      if (stop.aborted) break;
      if (wasLive) attempt = 0; // it was live, then lost: the first retry goes at once
      this.lost(error, endpoint);
      attempt++;
      this.index = (this.index + 1) % this.opts.endpoints.length;
    }
  }

  private current(): EndpointSpec {
    return this.opts.endpoints[this.index % this.opts.endpoints.length] ?? (this.opts.endpoints[0] as EndpointSpec);
  }

  /** One connection, from connect to loss: the error that ended it, and whether it had been live. */
  private async attempt(endpoint: EndpointSpec): Promise<{ error: Error; wasLive: boolean }> {
    let conn: DockerConnection;
    try {
      // Stopping abandons a connection still being made (an SSH host that does not answer).
      conn = await this.opts.connect(endpoint, this.stopCtl.signal);
    } catch (e) {
      return { error: toDockerApiError(e), wasLive: false };
    }
    // A getter: a switch between light and full changes the budgets of the session already running.
    const timing = (): LiveTiming => this.timing;
    const session = new Session(conn, {
      get timing() {
        return timing();
      },
      light: () => this.light,
      now: this.now,
      known: () => this.tracked.serviceIds(),
      knownNodes: () => this.tracked.nodeIds(),
      converging: (budgetOk) => this.tracked.converging(this.now(), budgetOk),
      onEvent: (e) => {
        if (e.since !== '') this.lastSince = e.since;
        if (e.kind === 'node') this.tracked.nodeChanged();
        this.opts.onEvent?.(e);
      },
      onResult: (r) => this.apply(r, endpoint),
    });
    this.session = session;
    let wasLive = false;
    try {
      await session.start(this.lastSince);
      wasLive = true;
      for (const l of [...this.liveListeners]) l();
      const err = await session.done;
      return { error: err ?? new Error('session ended'), wasLive };
    } catch (e) {
      session.stop();
      const error = toDockerApiError(e);
      if (LOCKED.test(error.message)) this.locked.add(describeEndpoint(endpoint));
      return { error, wasLive };
    } finally {
      this.session = null;
      await conn.close().catch(() => undefined);
    }
  }

  private apply(r: SyncResult, endpoint: EndpointSpec): void {
    this.tracked.ingest(r.messages, this.now());
    // With no event seen yet, a resumed stream starts at the last successful read.
    // A few seconds earlier covers clock skew with the engine; replayed events only cause re-reads.
    if (r.snapshot && this.lastSince === undefined) this.lastSince = String(Math.floor(this.now() / 1000) - 5);
    const at = this.now();
    const info = endpointInfo(endpoint);
    const patch: Partial<ConnectionInfo> = { status: 'live', ...info, staleSince: null, error: null };
    if (this.locked.delete(info.endpoint)) patch.lockedEndpoints = [...this.locked];
    // Contact time moves in heartbeat steps: a poll that changed nothing must not cost a render.
    if (this.staleSince !== null || !this.liveOnce || at - this.contactAt >= this.timing.heartbeatMs) {
      patch.lastContactAt = at;
      this.contactAt = at;
    }
    this.staleSince = null;
    this.liveOnce = true;
    this.opts.dispatch([...r.messages, this.connectionPatch(patch)]);
  }

  /** The header shows the error on one line: a message of several (an engine's) must not draw lines of its own. */
  private lost(err: Error, endpoint: EndpointSpec): void {
    this.staleSince ??= this.now();
    this.opts.dispatch([
      this.connectionPatch({ status: 'reconnecting', staleSince: this.staleSince, error: printable(atEndpoint(describeEndpoint(endpoint), err.message), 'line'), lockedEndpoints: [...this.locked] }),
    ]);
  }
}
