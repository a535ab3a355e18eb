import type { AuditSink } from '../actions/audit.js';
import type { ActionContext } from '../actions/types.js';
import type { Connector, ResolvedTarget } from '../docker/endpoint.js';
import { NodeConnections } from '../docker/nodes/connections.js';
import { StatsFeed } from '../docker/nodes/stats-feed.js';
import type { LiveCluster } from '../docker/live/index.js';
import { createStore, type Store } from '../store/store.js';
import { EMPTY_STATS, emptyState } from '../store/state.js';
import type { FleetControl, FleetMember } from '../ui/fleet/types.js';
import { ConsoleTimeline } from './console-timeline.js';
import { startLive } from './live-session.js';
import { consoleReaders } from './readers.js';

/** Options every member's incident timeline shares (tests point it at their own audit file). */
export interface MemberTimelineOptions {
  auditFile?: string;
}

/** Each node's own engine for this target (exec, stats): connected when first needed, closed with the member. */
function nodeConnections(target: ResolvedTarget, connector: Connector, live: LiveCluster, store: Store): NodeConnections {
  return new NodeConnections({
    rules: target.nodes,
    managers: target.endpoints,
    connector,
    manager: () => {
      const connection = live.connection();
      const nodeId = store.getState().engine?.nodeId ?? '';
      return connection === null || nodeId === '' ? null : { connection, nodeId };
    },
    node: (id) => {
      const n = store.getState().nodes.get(id);
      return n ? { id: n.id, hostname: n.hostname, addr: n.addr } : null;
    },
  });
}

/** One context: its own store, live layer, incident timeline and connections to its nodes. */
export class Member implements FleetMember {
  readonly name: string;
  readonly store: Store;
  readonly live: LiveCluster;
  readonly readers;
  readonly readOnly: boolean;
  readonly history: ConsoleTimeline;
  readonly timeline;
  readonly bundle;
  /** Each node's own engine (exec, stats): connected when first needed. */
  readonly nodes: NodeConnections;
  private readonly stats: StatsFeed;

  constructor(readonly target: ResolvedTarget, connect: Connector, light: boolean, timelineOptions: MemberTimelineOptions = {}) {
    this.name = target.context;
    this.readOnly = target.readOnly;
    this.store = createStore(emptyState());
    this.history = new ConsoleTimeline({ store: this.store, ...timelineOptions });
    this.timeline = this.history.timeline;
    this.live = startLive(target, connect, this.store, this.history, light);
    this.nodes = nodeConnections(target, connect, this.live, this.store);
    this.stats = new StatsFeed({ nodes: this.nodes, publish: (stats) => this.store.dispatch({ type: 'stats', stats }) });
    this.readers = consoleReaders(() => this.live.connection(), this.store, () => this.nodes);
    this.bundle = this.history.bundler(() => this.live.connection());
  }

  /** The tasks on screen in this context's console: their stats are streamed while they are. */
  readonly watchStats = (wanted: Parameters<StatsFeed['want']>[0]): void => this.stats.want(wanted);

  actionContext(): ActionContext | null {
    const connection = this.live.connection();
    return connection ? { connection, context: this.name, readOnly: this.readOnly, nodes: this.nodes } : null;
  }

  refresh(): void {
    void this.live.refresh();
  }

  async stop(): Promise<void> {
    this.history.stop();
    this.stats.stop();
    this.store.dispatch({ type: 'stats', stats: EMPTY_STATS });
    await Promise.all([this.live.stop(), this.nodes.close()]);
  }
}

/** How the session finds a context's target (the CLI's overrides applied); throws TargetError for an unknown one. */
export type TargetOf = (name: string) => ResolvedTarget;

/**
 * The console's live contexts: at first only the one it was started on (in full); once the fleet is
 * opened, every context, each with its own store and live layer, watched light (LiveCluster `light`)
 * except the one whose console is open. Each connects and fails on its own: a silent context never
 * holds the others up.
 */
export class FleetSession implements FleetControl {
  private readonly byName = new Map<string, Member>();
  private list: readonly Member[] = [];
  private readonly listeners = new Set<() => void>();
  private opened = false;
  private focused: string | null;

  /** `first`: the target the console starts on; `names`: every context the fleet lists, in order. */
  constructor(
    first: ResolvedTarget, private readonly names: readonly string[], private readonly targetOf: TargetOf, private readonly connect: Connector, startLight = false,
    private readonly timelineOptions: MemberTimelineOptions = {},
  ) {
    this.add(first, startLight);
    this.focused = startLight ? null : first.context;
  }

  members(): readonly Member[] {
    return this.list;
  }

  member(name: string): Member | undefined {
    return this.byName.get(name);
  }

  isOpen(): boolean {
    return this.opened;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  open(): void {
    if (this.opened) return;
    this.opened = true;
    for (const name of this.names) {
      if (this.byName.has(name)) continue;
      try {
        this.add(this.targetOf(name), true);
      } catch {
        // A context that cannot be resolved is not in the list it came from: nothing to watch.
      }
    }
    this.changed();
  }

  async focus(name: string): Promise<void> {
    const member = this.byName.get(name) ?? this.add(this.targetOf(name), false);
    const before = this.focused;
    this.focused = name;
    if (before !== null && before !== name) {
      const prev = this.byName.get(before);
      // Without the fleet open, :ctx replaces the context (as before the fleet existed).
      if (prev && this.opened) void prev.live.setLight(true);
      else if (prev) await this.remove(prev);
    }
    this.changed();
    // Not awaited: the console shows the full read as it arrives (tens of thousands of tasks take seconds).
    void member.live.setLight(false);
  }

  unfocus(): void {
    const prev = this.focused === null ? undefined : this.byName.get(this.focused);
    this.focused = null;
    if (prev) void prev.live.setLight(true);
  }

  async stop(): Promise<void> {
    await Promise.all(this.list.map((m) => m.stop()));
  }

  private add(target: ResolvedTarget, light: boolean): Member {
    const m = new Member(target, this.connect, light, this.timelineOptions);
    this.byName.set(m.name, m);
    const rank = (n: string): number => {
      const i = this.names.indexOf(n);
      return i < 0 ? -1 : i;
    };
    this.list = [...this.list, m].sort((a, b) => rank(a.name) - rank(b.name));
    this.changed();
    return m;
  }

  private async remove(m: Member): Promise<void> {
    this.byName.delete(m.name);
    this.list = this.list.filter((x) => x !== m);
    await m.stop();
  }

  private changed(): void {
    for (const l of [...this.listeners]) l();
  }
}

/**
 * The audit log as the actions see it: each line also goes to the timeline of the context it names
 * (an action from a combined pane is of its row's context), then to `sink`.
 */
export function fleetAuditSink(session: FleetSession, sink: AuditSink): AuditSink {
  return async (entry) => {
    const member = session.member(entry.context);
    await (member ? member.history.auditSink(sink)(entry) : sink(entry));
  };
}

