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

/** Live resource use of one task's container, from its node's engine (docker stats). */
export interface TaskStats {
  /** Percent of one CPU, as docker stats shows it (200 = two CPUs busy). */
  cpuPercent: number;
  memUsage: number;
  /** The container's memory limit (the node's memory when it has none). */
  memLimit: number;
}

/** Why a node's numbers are missing: a short word for a cell, and the whole reason. */
export interface NodeReachFailure {
  short: string;
  reason: string;
}

/** Stats of the tasks on screen (only those are streamed), and nodes that could not be reached for them. */
export interface StatsState {
  tasks: ReadonlyMap<Id, TaskStats>;
  unreachable: ReadonlyMap<Id, NodeReachFailure>;
}

export const EMPTY_STATS: StatsState = { tasks: new Map(), unreachable: new Map() };

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
  /** Live CPU and memory of what is on screen (not part of a snapshot: fed by the nodes' stats streams). */
  stats: StatsState;
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
    stats: EMPTY_STATS,
  };
}

/** The observable store the UI subscribes to (implemented in src/store/store.ts). */
export interface ReadableStore {
  getState(): ClusterState;
  /** Listeners are called at most once per batch of changes, never once per event. */
  subscribe(listener: () => void): () => void;
}
