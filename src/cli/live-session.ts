import { createConnector, interactiveConnectOptions } from '../docker/connect/index.js';
import type { DockerConnection } from '../docker/connection.js';
import { endpointInfo, type Connector, type ResolvedTarget } from '../docker/endpoint.js';
import type { SwarmEvent } from '../docker/api/events.js';
import { LiveCluster } from '../docker/live/index.js';
import { emptyConnection, emptyState } from '../store/state.js';
import { createStore, type Store } from '../store/store.js';

const EMPTY_SNAPSHOT = { engine: null, swarm: null, nodes: [], services: [], tasks: [], secrets: [], configs: [], networks: [] };

/** Longest a script-facing command waits for a manager before giving up with the connection's error. */
const CONNECT_MS = 30_000;

/** What else follows the live layer (the console's timeline): its events, and the history once connected. */
export interface LiveFollower {
  onEvent(event: SwarmEvent): void;
  loadHistory(live: LiveCluster): Promise<void>;
}

/** The live layer on a target, feeding a store (the console, and CLI verbs that follow a rollout). */
/** `light`: watched from the fleet (see LiveClusterOptions.light). */
export function startLive(target: ResolvedTarget, connect: Connector, store: Store, follower?: LiveFollower, light = false): LiveCluster {
  store.dispatch([
    { type: 'snapshot', snapshot: EMPTY_SNAPSHOT, at: 0 },
    { type: 'connection', patch: { ...emptyConnection(target.context), ...endpointInfo(target.endpoints[0]!), readOnly: target.readOnly } },
  ]);
  const live = new LiveCluster({
    context: target.context, endpoints: target.endpoints, connect, dispatch: (m) => store.dispatch(m), readOnly: target.readOnly, light,
    ...(follower ? { onEvent: (e: SwarmEvent) => follower.onEvent(e) } : {}),
  });
  live.start();
  if (follower) void follower.loadHistory(live);
  return live;
}

export interface LiveSession {
  store: Store;
  connection: DockerConnection;
  close(): Promise<void>;
}

/**
 * The live cluster state for a script-facing command: the same machinery as the console (snapshot, events,
 * task polls while something converges), so commands that wait for a rollout see what the console would.
 */
export async function openLiveSession(target: ResolvedTarget): Promise<LiveSession | string> {
  const store = createStore(emptyState());
  const live = startLive(target, createConnector(interactiveConnectOptions()), store);
  const ok = await live.whenLive(CONNECT_MS);
  const connection = live.connection();
  if (!ok || connection === null) {
    const why = store.getState().connection.error ?? `no manager answered within ${CONNECT_MS / 1000} s`;
    await live.stop();
    return why;
  }
  return { store, connection, close: () => live.stop() };
}
