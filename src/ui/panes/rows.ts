import type {
  ConfigModel, Id, NetworkModel, NodeModel, SecretModel, ServiceModel, TaskModel,
} from '../../store/model.js';
import type { ClusterState } from '../../store/state.js';
import { isConverged } from '../../store/service-status.js';
import { isCurrentTask } from '../../store/selectors/tasks.js';
import { selectWhyTexts } from '../../store/selectors/why.js';
import { concatBlocks } from './blocks.js';
import { memoLast } from './memo.js';
import type { PaneScope, RowBase } from './types.js';

export interface NodeRow extends RowBase { node: NodeModel; tasks: number }
/** `why`: the reason it is not converged, in words ('' when it is). */
export interface ServiceRow extends RowBase { svc: ServiceModel; converged: boolean; why: string }
export interface TaskRow extends RowBase {
  task: TaskModel;
  serviceName: string;
  nodeName: string;
  /** The default order as one string (see taskOrderKey), computed once per row. */
  order: string;
}
export interface StackRow extends RowBase { services: number; converged: number; running: number; desired: number }
export interface SecretRow extends RowBase { secret: SecretModel; usedBy: number; mark: UseMark }
export interface ConfigRow extends RowBase { config: ConfigModel; usedBy: number; mark: UseMark }
export interface NetworkRow extends RowBase { network: NetworkModel; usedBy: number }

const lower = (...parts: readonly (string | number | null | undefined)[]): string =>
  parts.filter((p) => p !== null && p !== undefined && p !== '').join(' ').toLowerCase();

export function taskName(task: TaskModel, serviceName: string): string {
  return `${serviceName}.${task.slot ?? task.nodeId ?? '?'}`;
}

/** Far enough ahead that newest-first fits a fixed-width, non-negative number. */
const FAR_FUTURE_MS = 9e14;

/**
 * The tasks pane's default order, as one string so the table's radix sort and merge handle it like any
 * name: per service, per slot (per node for a global service's task), the current task (desired running)
 * first, then its history newest first — what an operator looks at during a crash loop.
 */
export function taskOrderKey(task: TaskModel, serviceName: string): string {
  const group = task.slot !== null ? String(task.slot).padStart(8, '0') : `~${task.nodeId ?? ''}`;
  const newest = String(Math.max(0, FAR_FUTURE_MS - (task.createdAt || task.stateSince))).padStart(15, '0');
  return `${serviceName.toLowerCase()}\u0001${group}\u0001${isCurrentTask(task) ? 0 : 1}${newest}\u0001${task.id}`;
}

const historyless = new WeakMap<readonly RowBase[], readonly RowBase[]>();

/** Task rows without history (only tasks still desired running), once per rows array. */
export function withoutHistory(rows: readonly RowBase[]): readonly RowBase[] {
  let out = historyless.get(rows);
  if (!out) {
    out = rows.filter((r) => !('task' in r) || isCurrentTask((r as TaskRow).task));
    historyless.set(rows, out);
  }
  return out;
}

/** Running tasks per node: one pass over every task, only when the tasks change. */
const runningPerNode = memoLast((tasksByService: ClusterState['tasksByService']): ReadonlyMap<Id, number> => {
  const counts = new Map<Id, number>();
  for (const tasks of tasksByService.values()) {
    for (const t of tasks.values()) {
      if (t.nodeId !== null && t.state === 'running') counts.set(t.nodeId, (counts.get(t.nodeId) ?? 0) + 1);
    }
  }
  return counts;
});

export const selectNodeRows = memoLast((nodes: ClusterState['nodes'], tasksByService: ClusterState['tasksByService']): NodeRow[] => {
  const counts = runningPerNode(tasksByService);
  return [...nodes.values()].map((node) => ({
    id: node.id, name: node.hostname, version: node.version, node, tasks: counts.get(node.id) ?? 0,
    search: lower(node.hostname, node.id, node.role, node.state, node.availability, node.addr, node.engineVersion,
      node.manager?.leader ? 'leader' : '', ...Object.entries(node.labels).map(([k, v]) => `${k}=${v}`)),
  }));
});

const serviceRowCache = new WeakMap<ServiceModel, ServiceRow>();
function serviceRow(svc: ServiceModel, why: string): ServiceRow {
  let row = serviceRowCache.get(svc);
  if (!row || row.why !== why) {
    row = {
      id: svc.id, name: svc.name, version: svc.version, svc, converged: isConverged(svc), why,
      search: lower(svc.name, svc.id, svc.image, svc.stack, svc.mode.kind, svc.updateStatus?.state, why),
    };
    serviceRowCache.set(svc, row);
  }
  return row;
}

export const selectServiceRows = memoLast((services: ClusterState['services'], why: ReadonlyMap<Id, string>): ServiceRow[] =>
  [...services.values()].map((svc) => serviceRow(svc, why.get(svc.id) ?? '')));

/**
 * Task rows are cached per task object: a poll that replaces one service's tasks rebuilds only those
 * rows (a row is reused while its task object and the names it shows are unchanged).
 */
const taskRowCache = new WeakMap<TaskModel, TaskRow>();
function taskRow(task: TaskModel, serviceName: string, nodeName: string): TaskRow {
  const cached = taskRowCache.get(task);
  if (cached && cached.serviceName === serviceName && cached.nodeName === nodeName) return cached;
  const name = taskName(task, serviceName);
  const row: TaskRow = {
    id: task.id, name, version: task.version, task, serviceName, nodeName, order: taskOrderKey(task, serviceName),
    search: lower(name, task.id, nodeName, task.state, task.desiredState, task.image, task.message, task.err),
  };
  taskRowCache.set(task, row);
  return row;
}

function tasksOf(tasks: ReadonlyMap<Id, TaskModel>, svcName: string, nodes: ClusterState['nodes'], out: TaskRow[]): void {
  for (const t of tasks.values()) {
    const nodeName = t.nodeId === null ? '' : nodes.get(t.nodeId)?.hostname ?? t.nodeId;
    out.push(taskRow(t, svcName, nodeName));
  }
}

/** One service's task rows, reused while its task map, its name and the node map are the same objects. */
interface TaskBlock {
  serviceName: string;
  nodes: ClusterState['nodes'];
  rows: TaskRow[];
}
const taskBlocks = new WeakMap<ReadonlyMap<Id, TaskModel>, TaskBlock>();

function taskBlock(tasks: ReadonlyMap<Id, TaskModel>, serviceName: string, nodes: ClusterState['nodes']): TaskRow[] {
  const cached = taskBlocks.get(tasks);
  if (cached && cached.serviceName === serviceName && cached.nodes === nodes) return cached.rows;
  const rows: TaskRow[] = [];
  tasksOf(tasks, serviceName, nodes, rows);
  taskBlocks.set(tasks, { serviceName, nodes, rows });
  return rows;
}

/** Every task's row: a poll that replaced one service's tasks rebuilds that service's block only. */
export const selectTaskRows = memoLast((tasksByService: ClusterState['tasksByService'], services: ClusterState['services'], nodes: ClusterState['nodes']): TaskRow[] =>
  concatBlocks([...tasksByService].map(([serviceId, tasks]) => taskBlock(tasks, services.get(serviceId)?.name ?? serviceId, nodes))));

const serviceTaskRows = memoLast((tasks: ReadonlyMap<Id, TaskModel> | undefined, svcName: string, nodes: ClusterState['nodes']): TaskRow[] => {
  const out: TaskRow[] = [];
  if (tasks) tasksOf(tasks, svcName, nodes, out);
  return out;
});

const nodeTaskRows = memoLast((all: TaskRow[], nodeId: string): TaskRow[] => all.filter((r) => r.task.nodeId === nodeId));

export const selectStackRows = memoLast((services: ClusterState['services']): StackRow[] => {
  const stacks = new Map<string, StackRow>();
  for (const svc of services.values()) {
    if (svc.stack === null) continue;
    let row = stacks.get(svc.stack);
    if (!row) {
      row = { id: svc.stack, name: svc.stack, version: 0, services: 0, converged: 0, running: 0, desired: 0, search: svc.stack.toLowerCase() };
      stacks.set(svc.stack, row);
    }
    row.services++;
    if (isConverged(svc)) row.converged++;
    row.running += svc.runningTasks ?? 0;
    row.desired += svc.desiredTasks ?? 0;
  }
  return [...stacks.values()];
});

const usage = memoLast((services: ClusterState['services']) => {
  const secrets = new Map<Id, number>();
  const configs = new Map<Id, number>();
  const networks = new Map<Id, number>();
  const bump = (m: Map<Id, number>, ids: readonly Id[]): void => {
    for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
  };
  for (const svc of services.values()) {
    bump(secrets, svc.secretIds);
    bump(configs, svc.configIds);
    bump(networks, svc.networkIds);
  }
  return { secrets, configs, networks };
});

/** unused: no service mounts it (left over after a clean-up?); missing: a service mounts one that no longer exists. */
export type UseMark = '' | 'unused' | 'missing';

/** Ids services mount that are not in the list, with the name the service spec gives them. */
function missingRefs(services: ClusterState['services'], present: ReadonlyMap<Id, unknown>, kind: 'secret' | 'config'): Map<Id, string> {
  const out = new Map<Id, string>();
  for (const svc of services.values()) {
    const ids = kind === 'secret' ? svc.secretIds : svc.configIds;
    const names = kind === 'secret' ? svc.secretNames : svc.configNames;
    ids.forEach((id, i) => {
      if (!present.has(id) && !out.has(id)) out.set(id, names[i] ?? id);
    });
  }
  return out;
}

function markOf(usedBy: number): UseMark {
  return usedBy === 0 ? 'unused' : '';
}

export const selectSecretRows = memoLast((secrets: ClusterState['secrets'], services: ClusterState['services']): SecretRow[] => {
  const used = usage(services).secrets;
  const rows: SecretRow[] = [...secrets.values()].map((secret) => {
    const usedBy = used.get(secret.id) ?? 0;
    return { id: secret.id, name: secret.name, version: secret.version, secret, usedBy, mark: markOf(usedBy), search: lower(secret.name, secret.id, secret.stack, secret.driver, markOf(usedBy)) };
  });
  for (const [id, name] of missingRefs(services, secrets, 'secret')) {
    const secret: SecretModel = { id, version: 0, createdAt: 0, updatedAt: 0, name, labels: {}, driver: '', stack: null };
    rows.push({ id, name, version: 0, secret, usedBy: used.get(id) ?? 0, mark: 'missing', search: lower(name, id, 'missing') });
  }
  return rows;
});

export const selectConfigRows = memoLast((configs: ClusterState['configs'], services: ClusterState['services']): ConfigRow[] => {
  const used = usage(services).configs;
  const rows: ConfigRow[] = [...configs.values()].map((config) => {
    const usedBy = used.get(config.id) ?? 0;
    return { id: config.id, name: config.name, version: config.version, config, usedBy, mark: markOf(usedBy), search: lower(config.name, config.id, config.stack, markOf(usedBy)) };
  });
  for (const [id, name] of missingRefs(services, configs, 'config')) {
    const config: ConfigModel = { id, version: 0, createdAt: 0, updatedAt: 0, name, labels: {}, stack: null };
    rows.push({ id, name, version: 0, config, usedBy: used.get(id) ?? 0, mark: 'missing', search: lower(name, id, 'missing') });
  }
  return rows;
});

export const selectNetworkRows = memoLast((networks: ClusterState['networks'], services: ClusterState['services']): NetworkRow[] => {
  const used = usage(services).networks;
  return [...networks.values()].map((network) => ({
    id: network.id, name: network.name, version: 0, network, usedBy: used.get(network.id) ?? 0,
    search: lower(network.name, network.id, network.driver, network.scope, network.stack, ...network.subnets),
  }));
});

const scopedServices = memoLast((rows: ServiceRow[], kind: PaneScope['kind'], id: string): ServiceRow[] => {
  switch (kind) {
    case 'stack': return rows.filter((r) => r.svc.stack === id);
    case 'secret': return rows.filter((r) => r.svc.secretIds.includes(id));
    case 'config': return rows.filter((r) => r.svc.configIds.includes(id));
    case 'network': return rows.filter((r) => r.svc.networkIds.includes(id));
    default: return rows;
  }
});

export function selectScopedServiceRows(state: ClusterState, scope: PaneScope | null): ServiceRow[] {
  const all = selectServiceRows(state.services, selectWhyTexts(state));
  return scope === null ? all : scopedServices(all, scope.kind, scope.id);
}

export function selectScopedTaskRows(state: ClusterState, scope: PaneScope | null): TaskRow[] {
  if (scope?.kind === 'service') {
    const svc = state.services.get(scope.id);
    return serviceTaskRows(state.tasksByService.get(scope.id), svc?.name ?? scope.name, state.nodes);
  }
  const all = selectTaskRows(state.tasksByService, state.services, state.nodes);
  return scope?.kind === 'node' ? nodeTaskRows(all, scope.id) : all;
}
