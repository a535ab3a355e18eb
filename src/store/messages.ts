import type {
  ConfigModel, EngineModel, Id, NetworkModel, NodeModel, SecretModel, ServiceModel, SwarmModel, TaskModel,
} from './model.js';
import type { ConnectionInfo, StatsState } from './state.js';

/** Everything a full re-read returns: the store equals exactly this after a snapshot message. */
export interface Snapshot {
  engine: EngineModel | null;
  swarm: SwarmModel | null;
  nodes: readonly NodeModel[];
  services: readonly ServiceModel[];
  tasks: readonly TaskModel[];
  secrets: readonly SecretModel[];
  configs: readonly ConfigModel[];
  networks: readonly NetworkModel[];
}

export interface KindModels {
  node: NodeModel;
  service: ServiceModel;
  secret: SecretModel;
  config: ConfigModel;
  network: NetworkModel;
}

export type ObjectKind = keyof KindModels;

export type UpsertMessage = { [K in ObjectKind]: { type: 'upsert'; kind: K; item: KindModels[K] } }[ObjectKind];

export type ClusterMessage =
  | { type: 'snapshot'; snapshot: Snapshot; at: number }
  | UpsertMessage
  | { type: 'remove'; kind: ObjectKind; id: Id }
  | { type: 'swarm'; swarm: SwarmModel | null }
  | { type: 'engine'; engine: EngineModel | null }
  /** The complete current task list of one service (from GET /tasks?filters={"service":[id]}). */
  | { type: 'serviceTasks'; serviceId: Id; tasks: readonly TaskModel[] }
  /** The complete current task list of one node (from GET /tasks?filters={"node":[id]}). */
  | { type: 'nodeTasks'; nodeId: Id; tasks: readonly TaskModel[] }
  | { type: 'connection'; patch: Partial<ConnectionInfo> }
  /** The latest stats of the streamed tasks, all at once (one change per interval, not one per sample). */
  | { type: 'stats'; stats: StatsState }
  | { type: 'batch'; messages: readonly ClusterMessage[] };
