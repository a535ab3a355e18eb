import type {
  ConfigModel,
  EngineModel,
  Id,
  NetworkModel,
  NodeModel,
  SecretModel,
  ServiceModel,
  SwarmModel,
  TaskModel,
} from './model.js';

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'failed';

/** How requests travel to the engine in use (the snapshot's `transport`). */
export type Transport = 'unix' | 'tls' | 'tls-insecure' | 'plain' | 'ssh';

export interface ConnectionInfo {
  status: ConnectionStatus;
  /** Context name as the operator chose it (or "default"). */
  context: string;
  /** The endpoint in use right now, e.g. "ssh://ops@mgr1" (never with credentials). */
  endpoint: string;
  /** Epoch ms of the last event or successful poll; the header shows its age when stale. */
  lastContactAt: number;
  /** Epoch ms since when the data may be out of date; null while live. */
  staleSince: number | null;
  /** The latest connection error, in words an operator can act on. */
  error: string | null;
  /** TLS verification disabled by --insecure: the header shows a red banner. */
  insecure: boolean;
  /** How the endpoint in use is reached; null before the first endpoint is known. */
  transport: Transport | null;
  /** Plain tcp:// to another machine: the API crosses the network unencrypted (a red banner says so). */
  unencrypted: boolean;
  readOnly: boolean;
  /** Managers of this context found locked (autolock after a restart: `docker swarm unlock`), as last tried. */
  lockedEndpoints: readonly string[];
}

/**
 * Tasks are grouped by service so that replacing one service's tasks (the common poll) copies only
 * the outer map of services, not every task in the swarm.
 */
export type TasksByService = ReadonlyMap<Id, ReadonlyMap<Id, TaskModel>>;

export interface ClusterState {
  /** Incremented by every change: cheap memoization key for selectors and renders. */
  revision: number;
  connection: ConnectionInfo;
  engine: EngineModel | null;
  swarm: SwarmModel | null;
  nodes: ReadonlyMap<Id, NodeModel>;
  services: ReadonlyMap<Id, ServiceModel>;
  tasksByService: TasksByService;
  secrets: ReadonlyMap<Id, SecretModel>;
  configs: ReadonlyMap<Id, ConfigModel>;
  networks: ReadonlyMap<Id, NetworkModel>;
  /** Epoch ms of the last complete snapshot (0 = never). */
  syncedAt: number;
}

export function emptyConnection(context = 'default', endpoint = ''): ConnectionInfo {
  return { status: 'connecting', context, endpoint, lastContactAt: 0, staleSince: null, error: null, insecure: false, transport: null, unencrypted: false, readOnly: false, lockedEndpoints: [] };
}

export function emptyState(connection: ConnectionInfo = emptyConnection()): ClusterState {
  return {
    revision: 0,
    connection,
    engine: null,
    swarm: null,
    nodes: new Map(),
    services: new Map(),
    tasksByService: new Map(),
    secrets: new Map(),
    configs: new Map(),
    networks: new Map(),
    syncedAt: 0,
  };
}

/** The observable store the UI subscribes to (implemented in src/store/store.ts). */
export interface ReadableStore {
  getState(): ClusterState;
  /** Listeners are called at most once per batch of changes, never once per event. */
  subscribe(listener: () => void): () => void;
}
