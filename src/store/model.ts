/**
 * Normalized swarm objects as the console uses them: only the fields we show, compute with or act on,
 * parsed defensively from the Engine API (src/docker/parse). Times are epoch milliseconds (0 = unknown).
 * `version` is the object's Version.Index, needed for every update call (stale version => re-read).
 */

export type Id = string;

export type NodeRole = 'manager' | 'worker';
export type NodeAvailability = 'active' | 'pause' | 'drain';
export type NodeState = 'unknown' | 'down' | 'ready' | 'disconnected';
export type Reachability = 'unknown' | 'unreachable' | 'reachable';

export interface ManagerStatus {
  leader: boolean;
  reachability: Reachability;
  addr: string;
}

export interface NodeModel {
  id: Id;
  version: number;
  createdAt: number;
  updatedAt: number;
  hostname: string;
  role: NodeRole;
  availability: NodeAvailability;
  state: NodeState;
  stateMessage: string;
  addr: string;
  manager: ManagerStatus | null;
  engineVersion: string;
  os: string;
  arch: string;
  nanoCpus: number;
  memoryBytes: number;
  /** Spec labels (editable by operators). */
  labels: Readonly<Record<string, string>>;
  engineLabels: Readonly<Record<string, string>>;
  /** Issuer of the node's TLS certificate: changes per node while a CA rotation progresses. */
  tlsIssuerSubject: string;
  tlsIssuerPublicKey: string;
}

export type ServiceMode =
  | { kind: 'replicated'; replicas: number }
  | { kind: 'global' }
  | { kind: 'replicated-job'; maxConcurrent: number; totalCompletions: number }
  | { kind: 'global-job' };

export type UpdateState =
  | 'updating'
  | 'paused'
  | 'completed'
  | 'rollback_started'
  | 'rollback_paused'
  | 'rollback_completed';

export interface UpdateStatus {
  state: UpdateState;
  startedAt: number;
  completedAt: number;
  message: string;
}

export interface UpdatePolicy {
  parallelism: number;
  delayNs: number;
  failureAction: string;
  monitorNs: number;
  maxFailureRatio: number;
  order: string;
}

export interface PublishedPort {
  protocol: string;
  targetPort: number;
  publishedPort: number;
  publishMode: string;
}

export interface ServiceModel {
  id: Id;
  version: number;
  createdAt: number;
  updatedAt: number;
  name: string;
  /** Image reference as in the spec, digest stripped for display elsewhere. */
  image: string;
  mode: ServiceMode;
  labels: Readonly<Record<string, string>>;
  /** com.docker.stack.namespace, or null for a service outside any stack. */
  stack: string | null;
  /** From ?status=true (API >= 1.41); null when the engine did not report it. */
  runningTasks: number | null;
  desiredTasks: number | null;
  completedTasks: number | null;
  updateStatus: UpdateStatus | null;
  updateConfig: UpdatePolicy | null;
  rollbackConfig: UpdatePolicy | null;
  /** Image of PreviousSpec, null when there is nothing to roll back to. */
  previousImage: string | null;
  hasPreviousSpec: boolean;
  forceUpdate: number;
  constraints: readonly string[];
  /** Placement.MaxReplicas: tasks of this service one node may run (0 = no limit). */
  maxReplicasPerNode: number;
  /** Resources.Reservations: what each task needs free on a node to be placed there (0 = nothing). */
  reservations: { nanoCpus: number; memoryBytes: number };
  secretIds: readonly Id[];
  secretNames: readonly string[];
  configIds: readonly Id[];
  configNames: readonly string[];
  networkIds: readonly Id[];
  ports: readonly PublishedPort[];
}

/** Every task state, in the order of a task's life: the one list parse, live polling, actions and rollouts use. */
export const TASK_STATES = [
  'new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running',
  'complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned',
] as const;

export type TaskState = (typeof TASK_STATES)[number];

/** On the way to running. */
export const STARTING_STATES: ReadonlySet<TaskState> = new Set(TASK_STATES.slice(0, TASK_STATES.indexOf('running')));

/** Starting or running: alive, or meant to be. */
export const ACTIVE_STATES: ReadonlySet<TaskState> = new Set([...STARTING_STATES, 'running']);

/** The docker CLI's number of a state (new 1 … running 9 … rejected 13); 0 for remove and orphaned. */
export function taskStateRank(s: TaskState): number {
  const i = TASK_STATES.indexOf(s);
  return i <= TASK_STATES.indexOf('rejected') ? i + 1 : 0;
}

export interface TaskModel {
  id: Id;
  version: number;
  createdAt: number;
  updatedAt: number;
  serviceId: Id;
  /** Null for global-service tasks (they are per node, not per slot). */
  slot: number | null;
  nodeId: Id | null;
  desiredState: TaskState;
  state: TaskState;
  /** Status.Timestamp: when the task entered its current state. */
  stateSince: number;
  message: string;
  err: string;
  image: string;
  containerId: string | null;
  exitCode: number | null;
}

export interface SecretModel {
  id: Id;
  version: number;
  createdAt: number;
  updatedAt: number;
  name: string;
  labels: Readonly<Record<string, string>>;
  driver: string;
  stack: string | null;
}

export interface ConfigModel {
  id: Id;
  version: number;
  createdAt: number;
  updatedAt: number;
  name: string;
  labels: Readonly<Record<string, string>>;
  stack: string | null;
}

export interface NetworkModel {
  id: Id;
  name: string;
  createdAt: number;
  driver: string;
  scope: string;
  attachable: boolean;
  ingress: boolean;
  internal: boolean;
  labels: Readonly<Record<string, string>>;
  stack: string | null;
  subnets: readonly string[];
}

export interface SwarmModel {
  id: Id;
  version: number;
  createdAt: number;
  updatedAt: number;
  /** Presence only: the tokens themselves are never kept in the store (fetched on reveal). */
  hasWorkerToken: boolean;
  hasManagerToken: boolean;
  autolockManagers: boolean;
  rootRotationInProgress: boolean;
  nodeCertExpiryNs: number;
  trustRoot: string;
  /** When the root CA certificate (trustRoot) expires, epoch ms; 0 when unknown or unreadable. */
  caExpiresAt: number;
  certIssuerSubject: string;
  certIssuerPublicKey: string;
  taskHistoryLimit: number;
  heartbeatPeriodNs: number;
}

/** What the engine we talk to says about itself (GET /info, GET /version). */
export interface EngineModel {
  name: string;
  serverVersion: string;
  apiVersion: string;
  nodeId: Id;
  nodeAddr: string;
  localNodeState: string;
  /** True when this engine is a manager (can answer swarm queries). */
  controlAvailable: boolean;
  managers: number;
  nodes: number;
  swarmError: string;
}
