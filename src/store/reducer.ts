import type { Id, TaskModel } from './model.js';
import type { ClusterMessage, ObjectKind, Snapshot, UpsertMessage } from './messages.js';
import { keep, same, syncMap } from './same.js';
import type { ClusterState, TasksByService } from './state.js';

export type { ClusterMessage, Snapshot } from './messages.js';

type MapKey = 'nodes' | 'services' | 'secrets' | 'configs' | 'networks';

const MAP_OF: Record<ObjectKind, MapKey> = {
  node: 'nodes', service: 'services', secret: 'secrets', config: 'configs', network: 'networks',
};

function groupTasks(prev: TasksByService, tasks: readonly TaskModel[]): TasksByService {
  const grouped = new Map<Id, TaskModel[]>();
  for (const t of tasks) {
    const list = grouped.get(t.serviceId);
    if (list) list.push(t);
    else grouped.set(t.serviceId, [t]);
  }
  const next = new Map<Id, ReadonlyMap<Id, TaskModel>>();
  let changed = grouped.size !== prev.size;
  for (const [serviceId, list] of grouped) {
    const old = prev.get(serviceId) ?? new Map<Id, TaskModel>();
    const synced = syncMap(old, list);
    if (synced !== prev.get(serviceId)) changed = true;
    next.set(serviceId, synced);
  }
  return changed ? next : prev;
}

/**
 * Tasks of a removed service linger in the engine while they shut down. The store shows tasks only
 * under a service it holds: nothing would ever poll (and so remove) a task left without its service.
 */
function withService(s: Snapshot): readonly TaskModel[] {
  const ids = new Set(s.services.map((x) => x.id));
  return s.tasks.filter((t) => ids.has(t.serviceId));
}

function applySnapshot(state: ClusterState, s: Snapshot, at: number): ClusterState {
  const next: ClusterState = {
    ...state,
    engine: s.engine === null ? null : keep(state.engine, s.engine),
    swarm: s.swarm === null ? null : keep(state.swarm, s.swarm),
    nodes: syncMap(state.nodes, s.nodes),
    services: syncMap(state.services, s.services),
    tasksByService: groupTasks(state.tasksByService, withService(s)),
    secrets: syncMap(state.secrets, s.secrets),
    configs: syncMap(state.configs, s.configs),
    networks: syncMap(state.networks, s.networks),
    syncedAt: at,
  };
  const unchanged = (Object.keys(next) as (keyof ClusterState)[]).every((k) => next[k] === state[k]);
  return unchanged ? state : next;
}

function upsert(state: ClusterState, msg: UpsertMessage): ClusterState {
  const key = MAP_OF[msg.kind];
  const map = state[key] as ReadonlyMap<Id, { id: Id }>;
  const old = map.get(msg.item.id);
  if (old !== undefined && same(old, msg.item)) return state;
  const next = new Map(map);
  next.set(msg.item.id, msg.item);
  return { ...state, [key]: next };
}

function remove(state: ClusterState, kind: ObjectKind, id: Id): ClusterState {
  const key = MAP_OF[kind];
  const map = state[key] as ReadonlyMap<Id, unknown>;
  let next: ClusterState = state;
  if (map.has(id)) {
    const m = new Map(map);
    m.delete(id);
    next = { ...next, [key]: m };
  }
  // A removed service takes its tasks with it (the engine removes them too).
  if (kind === 'service' && state.tasksByService.has(id)) {
    const t = new Map(state.tasksByService);
    t.delete(id);
    next = { ...next, tasksByService: t };
  }
  return next;
}

/** A service's new task map: the old one when unchanged, null when it has none left. */
function serviceTaskMap(state: ClusterState, serviceId: Id, tasks: readonly TaskModel[]): ReadonlyMap<Id, TaskModel> | null | undefined {
  // A poll racing with the service's removal must not bring its tasks back (see withService).
  const own = state.services.has(serviceId) ? tasks.filter((t) => t.serviceId === serviceId) : [];
  const old = state.tasksByService.get(serviceId);
  if (own.length === 0) return old === undefined ? undefined : null;
  const synced = syncMap(old ?? new Map<Id, TaskModel>(), own);
  return synced === old ? undefined : synced;
}

function replaceServiceTasks(state: ClusterState, serviceId: Id, tasks: readonly TaskModel[]): ClusterState {
  const next = serviceTaskMap(state, serviceId, tasks);
  if (next === undefined) return state;
  const t = new Map(state.tasksByService);
  if (next === null) t.delete(serviceId);
  else t.set(serviceId, next);
  return { ...state, tasksByService: t };
}

function replaceNodeTasks(state: ClusterState, nodeId: Id, tasks: readonly TaskModel[]): ClusterState {
  const incoming = new Map<Id, Map<Id, TaskModel>>();
  for (const t of tasks) {
    if (t.nodeId !== nodeId || !state.services.has(t.serviceId)) continue;
    const m = incoming.get(t.serviceId) ?? new Map<Id, TaskModel>();
    m.set(t.id, t);
    incoming.set(t.serviceId, m);
  }
  let next: Map<Id, ReadonlyMap<Id, TaskModel>> | null = null;
  const onNode = (m: ReadonlyMap<Id, TaskModel>): boolean => {
    for (const t of m.values()) if (t.nodeId === nodeId) return true;
    return false;
  };
  // Only services with a task on this node, before or now, are rebuilt: a node event in a big
  // cluster must not copy every other service's tasks.
  const services = new Set<Id>(incoming.keys());
  for (const [serviceId, m] of state.tasksByService) if (!services.has(serviceId) && onNode(m)) services.add(serviceId);
  for (const serviceId of services) {
    const old = state.tasksByService.get(serviceId);
    const fresh = incoming.get(serviceId);
    const merged = new Map<Id, TaskModel>();
    let changed = false;
    for (const [id, t] of old ?? []) {
      if (t.nodeId !== nodeId) merged.set(id, t);
      else if (!fresh?.has(id)) changed = true;
    }
    for (const [id, t] of fresh ?? []) {
      const prev = old?.get(id);
      const kept = keep(prev, t);
      if (kept !== prev) changed = true;
      merged.set(id, kept);
    }
    if (!changed) continue;
    next ??= new Map(state.tasksByService);
    if (merged.size === 0) next.delete(serviceId);
    else next.set(serviceId, merged);
  }
  return next === null ? state : { ...state, tasksByService: next };
}

function connection(state: ClusterState, patch: Partial<ClusterState['connection']>): ClusterState {
  const merged = { ...state.connection, ...patch };
  return same(merged, state.connection) ? state : { ...state, connection: merged };
}

function single<K extends 'swarm' | 'engine'>(state: ClusterState, key: K, value: ClusterState[K]): ClusterState {
  return same(state[key], value) ? state : { ...state, [key]: value };
}

function apply(state: ClusterState, msg: ClusterMessage): ClusterState {
  switch (msg.type) {
    case 'snapshot':
      return applySnapshot(state, msg.snapshot, msg.at);
    case 'upsert':
      return upsert(state, msg);
    case 'remove':
      return remove(state, msg.kind, msg.id);
    case 'swarm':
      return single(state, 'swarm', msg.swarm);
    case 'engine':
      return single(state, 'engine', msg.engine);
    case 'serviceTasks':
      return replaceServiceTasks(state, msg.serviceId, msg.tasks);
    case 'nodeTasks':
      return replaceNodeTasks(state, msg.nodeId, msg.tasks);
    case 'connection':
      return connection(state, msg.patch);
    case 'stats':
      return msg.stats === state.stats ? state : { ...state, stats: msg.stats };
    case 'batch':
      return applyBatch(state, msg.messages);
  }
}

type Draftable = MapKey | 'tasksByService';

/**
 * A batch, with the object maps it writes to copied once per batch rather than once per message:
 * a heartbeat or a burst of node events touching k of N objects costs O(N + k), not O(k·N).
 */
function applyBatch(state: ClusterState, messages: readonly ClusterMessage[]): ClusterState {
  let cur = state;
  // Maps copied in this batch (owned here, so written in place); any other message clears them.
  const drafts = new Map<Draftable, Map<Id, unknown>>();
  const draft = <T>(key: Draftable): Map<Id, T> => {
    let d = drafts.get(key);
    if (!d) {
      d = new Map(cur[key] as ReadonlyMap<Id, unknown>);
      drafts.set(key, d);
      cur = { ...cur, [key]: d };
    }
    return d as Map<Id, T>;
  };
  for (const m of messages) {
    if (m.type === 'upsert') {
      const key = MAP_OF[m.kind];
      const old = (cur[key] as ReadonlyMap<Id, unknown>).get(m.item.id);
      if (old === undefined || !same(old, m.item)) draft(key).set(m.item.id, m.item);
    } else if (m.type === 'remove') {
      const key = MAP_OF[m.kind];
      if ((cur[key] as ReadonlyMap<Id, unknown>).has(m.id)) draft(key).delete(m.id);
      if (m.kind === 'service' && cur.tasksByService.has(m.id)) draft('tasksByService').delete(m.id);
    } else if (m.type === 'serviceTasks') {
      const tasks = serviceTaskMap(cur, m.serviceId, m.tasks);
      if (tasks === null) draft('tasksByService').delete(m.serviceId);
      else if (tasks !== undefined) draft<ReadonlyMap<Id, TaskModel>>('tasksByService').set(m.serviceId, tasks);
    } else {
      const next = apply(cur, m);
      if (next !== cur) {
        cur = next;
        drafts.clear();
      }
    }
  }
  return cur;
}

/**
 * The one pure state transition. Returns the same state object when the message changes nothing
 * (so subscribers are not woken); otherwise a new state with `revision` bumped once.
 */
export function reduce(state: ClusterState, msg: ClusterMessage): ClusterState {
  const next = apply(state, msg);
  if (next === state) return state;
  // Snapshot "at" changes syncedAt even when the data is equal: that is a change too (the age shown).
  return { ...next, revision: state.revision + 1 };
}
