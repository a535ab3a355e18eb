import type { ServiceModel, TaskState } from '../../store/model.js';
import type { ClusterState } from '../../store/state.js';
import { isUpdating } from '../../store/service-status.js';
import { age, bytes, cpus, shortId, shortImage } from '../format.js';
import type { ThemeToken } from '../theme.js';
import {
  type ConfigRow, type NetworkRow, type NodeRow, type SecretRow, type ServiceRow, type StackRow, type TaskRow,
  selectConfigRows, selectNetworkRows, selectNodeRows, selectScopedServiceRows, selectScopedTaskRows,
  selectSecretRows, selectStackRows,
} from './rows.js';
import { memoLast } from './memo.js';
import { nodeStatsColumns, nodeUsage, taskStatsColumns } from './stats-columns.js';
import type { Column, PaneId, PaneScope, RowBase } from './types.js';

/** Rows and columns are paired per pane, so erasing the row type here is safe. */
function cols<R extends RowBase>(c: Column<R>[]): Column<RowBase>[] {
  return c as unknown[] as Column<RowBase>[];
}

function replicas(svc: ServiceModel): string {
  const desired = svc.desiredTasks ?? (svc.mode.kind === 'replicated' ? svc.mode.replicas : null);
  return `${svc.runningTasks ?? '?'}/${desired ?? '?'}`;
}

function modeName(svc: ServiceModel): string {
  return svc.mode.kind;
}

function taskColour(state: TaskState, desired: TaskState): ThemeToken | undefined {
  if (state === 'running') return desired === 'running' ? 'ok' : 'muted';
  if (state === 'failed' || state === 'rejected' || state === 'orphaned') return 'error';
  if (state === 'complete' || state === 'shutdown' || state === 'remove') return 'muted';
  return 'warn';
}

const NODE_COLUMNS = cols<NodeRow>([
  { title: 'HOSTNAME', width: 0, minWidth: 12, cell: (r) => r.node.hostname, sortKey: (r) => r.node.hostname.toLowerCase() },
  { title: 'ID', width: 12, cell: (r) => shortId(r.id), sortKey: (r) => r.id },
  { title: 'ROLE', width: 8, cell: (r) => r.node.role, sortKey: (r) => r.node.role },
  {
    title: 'MANAGER', width: 11,
    cell: (r) => (r.node.manager ? (r.node.manager.leader ? 'leader' : r.node.manager.reachability) : ''),
    sortKey: (r) => (r.node.manager ? (r.node.manager.leader ? 0 : r.node.manager.reachability === 'reachable' ? 1 : 2) : 3),
    color: (r) => (r.node.manager?.leader ? 'leader' : r.node.manager && r.node.manager.reachability !== 'reachable' ? 'error' : undefined),
  },
  { title: 'STATE', width: 12, cell: (r) => r.node.state, sortKey: (r) => r.node.state, color: (r) => (r.node.state === 'ready' ? 'ok' : 'error') },
  {
    title: 'AVAIL', width: 7, cell: (r) => r.node.availability, sortKey: (r) => r.node.availability,
    color: (r) => (r.node.availability === 'active' ? undefined : 'warn'),
  },
  { title: 'TASKS', width: 6, align: 'right', cell: (r) => String(r.tasks), sortKey: (r) => r.tasks },
  // Capacity (from the node's description); its use by the tasks streamed is beside it (stats-columns.ts).
  { title: 'CPU', width: 5, align: 'right', cell: (r) => cpus(r.node.nanoCpus), sortKey: (r) => r.node.nanoCpus },
  { title: 'MEM', width: 8, align: 'right', cell: (r) => bytes(r.node.memoryBytes), sortKey: (r) => r.node.memoryBytes },
  { title: 'ENGINE', width: 14, cell: (r) => r.node.engineVersion, sortKey: (r) => r.node.engineVersion },
  { title: 'ADDR', width: 15, cell: (r) => r.node.addr, sortKey: (r) => r.node.addr },
]);

/** Live use goes right after the capacity columns (CPU, MEM), and moves to the right when they do. */
const NODE_STATS_AT = NODE_COLUMNS.findIndex((c) => c.title === 'MEM') + 1;
const nodeColumns = memoLast((stats: ClusterState['stats'], tasksByService: ClusterState['tasksByService']): Column<RowBase>[] => [
  ...NODE_COLUMNS.slice(0, NODE_STATS_AT), ...cols(nodeStatsColumns(stats, nodeUsage(stats, tasksByService))), ...NODE_COLUMNS.slice(NODE_STATS_AT),
]);

/**
 * WHY (why a service is not converged, in words) takes room only while some service has a reason: then
 * it gets the most of the width, NAME the next most; when every service is fine it shrinks to its title.
 * Same columns in the same order either way, so the sort column stays where it was.
 */
function serviceColumns(reasons: boolean): Column<RowBase>[] {
  return cols<ServiceRow>([
  { title: 'NAME', width: 0, minWidth: 14, grow: reasons ? 2 : 1, cell: (r) => r.svc.name, sortKey: (r) => r.svc.name.toLowerCase() },
  { title: 'MODE', width: 11, cell: (r) => modeName(r.svc), sortKey: (r) => modeName(r.svc) },
  {
    title: 'REPLICAS', width: 9, align: 'right', cell: (r) => replicas(r.svc),
    sortKey: (r) => (r.svc.desiredTasks ?? 0) - (r.svc.runningTasks ?? 0), color: (r) => (r.converged ? 'ok' : 'warn'),
  },
  {
    title: 'UPDATE', width: 18, cell: (r) => r.svc.updateStatus?.state ?? '',
    sortKey: (r) => r.svc.updateStatus?.state ?? '',
    color: (r) => (isUpdating(r.svc) ? 'warn' : r.svc.updateStatus?.state.startsWith('rollback') || r.svc.updateStatus?.state === 'paused' ? 'error' : undefined),
  },
  // Beside the counts it explains (narrow screens drop ID, PORTS… first).
  { title: 'WHY', width: reasons ? 0 : 3, minWidth: 16, grow: 3, cell: (r) => r.why, sortKey: (r) => r.why.toLowerCase(), color: (r) => (r.why ? 'warn' : undefined) },
  { title: 'IMAGE', width: 0, minWidth: 12, cell: (r) => shortImage(r.svc.image), sortKey: (r) => r.svc.image },
  { title: 'STACK', width: 12, cell: (r) => r.svc.stack ?? '', sortKey: (r) => r.svc.stack ?? '' },
  {
    title: 'PORTS', width: 14,
    cell: (r) => r.svc.ports.map((p) => `${p.publishedPort}:${p.targetPort}`).join(','), sortKey: (r) => r.svc.ports[0]?.publishedPort ?? 0,
  },
  { title: 'ID', width: 12, cell: (r) => shortId(r.id), sortKey: (r) => r.id },
  ]);
}

const SERVICE_COLUMNS = serviceColumns(false);
const SERVICE_COLUMNS_WITH_REASONS = serviceColumns(true);

const TASK_COLUMNS = cols<TaskRow>([
  // Per slot: the current task first, then its history newest first (rows.ts taskOrderKey).
  { title: 'NAME', width: 0, minWidth: 14, cell: (r) => r.name, sortKey: (r) => r.order },
  { title: 'ID', width: 12, cell: (r) => shortId(r.id), sortKey: (r) => r.id },
  { title: 'NODE', width: 14, cell: (r) => r.nodeName, sortKey: (r) => r.nodeName },
  { title: 'DESIRED', width: 8, cell: (r) => r.task.desiredState, sortKey: (r) => r.task.desiredState },
  {
    title: 'STATE', width: 10, cell: (r) => r.task.state, sortKey: (r) => r.task.state,
    color: (r) => taskColour(r.task.state, r.task.desiredState),
  },
  { title: 'SINCE', width: 6, align: 'right', cell: (r) => age(r.task.stateSince), sortKey: (r) => -r.task.stateSince },
  { title: 'IMAGE', width: 18, cell: (r) => shortImage(r.task.image), sortKey: (r) => r.task.image },
  { title: 'MESSAGE', width: 0, minWidth: 10, cell: (r) => r.task.err || r.task.message, sortKey: (r) => r.task.err || r.task.message },
]);

const TASK_STATS_AT = TASK_COLUMNS.findIndex((c) => c.title === 'SINCE') + 1;
const taskColumns = memoLast((stats: ClusterState['stats']): Column<RowBase>[] => [
  ...TASK_COLUMNS.slice(0, TASK_STATS_AT), ...cols(taskStatsColumns(stats)), ...TASK_COLUMNS.slice(TASK_STATS_AT),
]);

const STACK_COLUMNS = cols<StackRow>([
  { title: 'NAME', width: 0, minWidth: 14, cell: (r) => r.name, sortKey: (r) => r.search },
  { title: 'SERVICES', width: 9, align: 'right', cell: (r) => String(r.services), sortKey: (r) => r.services },
  {
    title: 'CONVERGED', width: 10, align: 'right', cell: (r) => `${r.converged}/${r.services}`,
    sortKey: (r) => r.services - r.converged, color: (r) => (r.converged === r.services ? 'ok' : 'warn'),
  },
  { title: 'TASKS', width: 10, align: 'right', cell: (r) => `${r.running}/${r.desired}`, sortKey: (r) => r.desired - r.running },
]);

/** unused (nothing mounts it) / missing (mounted, but gone): what an incident clean-up looks for. */
const USE_MARK_COLUMN: Column<SecretRow | ConfigRow> = {
  title: 'MARK', width: 8, cell: (r) => r.mark, sortKey: (r) => (r.mark === 'missing' ? 0 : r.mark === 'unused' ? 1 : 2),
  color: (r) => (r.mark === 'missing' ? 'error' : r.mark === 'unused' ? 'warn' : undefined),
};

const SECRET_COLUMNS = cols<SecretRow>([
  { title: 'NAME', width: 0, minWidth: 14, cell: (r) => r.secret.name, sortKey: (r) => r.secret.name.toLowerCase() },
  { title: 'ID', width: 12, cell: (r) => shortId(r.id), sortKey: (r) => r.id },
  { title: 'STACK', width: 12, cell: (r) => r.secret.stack ?? '', sortKey: (r) => r.secret.stack ?? '' },
  { title: 'DRIVER', width: 10, cell: (r) => r.secret.driver, sortKey: (r) => r.secret.driver },
  { title: 'USED BY', width: 8, align: 'right', cell: (r) => String(r.usedBy), sortKey: (r) => r.usedBy },
  USE_MARK_COLUMN,
  { title: 'AGE', width: 6, align: 'right', cell: (r) => age(r.secret.createdAt), sortKey: (r) => -r.secret.createdAt },
]);

const CONFIG_COLUMNS = cols<ConfigRow>([
  { title: 'NAME', width: 0, minWidth: 14, cell: (r) => r.config.name, sortKey: (r) => r.config.name.toLowerCase() },
  { title: 'ID', width: 12, cell: (r) => shortId(r.id), sortKey: (r) => r.id },
  { title: 'STACK', width: 12, cell: (r) => r.config.stack ?? '', sortKey: (r) => r.config.stack ?? '' },
  { title: 'USED BY', width: 8, align: 'right', cell: (r) => String(r.usedBy), sortKey: (r) => r.usedBy },
  USE_MARK_COLUMN,
  { title: 'AGE', width: 6, align: 'right', cell: (r) => age(r.config.createdAt), sortKey: (r) => -r.config.createdAt },
]);

const NETWORK_COLUMNS = cols<NetworkRow>([
  { title: 'NAME', width: 0, minWidth: 14, cell: (r) => r.network.name, sortKey: (r) => r.network.name.toLowerCase() },
  { title: 'ID', width: 12, cell: (r) => shortId(r.id), sortKey: (r) => r.id },
  { title: 'DRIVER', width: 8, cell: (r) => r.network.driver, sortKey: (r) => r.network.driver },
  { title: 'SCOPE', width: 6, cell: (r) => r.network.scope, sortKey: (r) => r.network.scope },
  {
    title: 'FLAGS', width: 12,
    cell: (r) => [r.network.ingress ? 'ingress' : '', r.network.attachable ? 'attach' : '', r.network.internal ? 'internal' : ''].filter(Boolean).join(','),
    sortKey: (r) => (r.network.ingress ? 0 : 1),
  },
  { title: 'SUBNETS', width: 0, minWidth: 10, cell: (r) => r.network.subnets.join(','), sortKey: (r) => r.network.subnets[0] ?? '' },
  { title: 'USED BY', width: 8, align: 'right', cell: (r) => String(r.usedBy), sortKey: (r) => r.usedBy },
]);

export interface PaneTable {
  rows: readonly RowBase[];
  columns: readonly Column<RowBase>[];
}

const EMPTY: PaneTable = { rows: [], columns: [] };

/** Rows (unsorted, unfiltered) and columns of a table pane; the swarm pane is not a table. */
export function paneTable(state: ClusterState, pane: PaneId, scope: PaneScope | null): PaneTable {
  switch (pane) {
    case 'nodes': return { rows: selectNodeRows(state.nodes, state.tasksByService), columns: nodeColumns(state.stats, state.tasksByService) };
    case 'services': {
      const rows = selectScopedServiceRows(state, scope);
      return { rows, columns: rows.some((r) => r.why !== '') ? SERVICE_COLUMNS_WITH_REASONS : SERVICE_COLUMNS };
    }
    case 'tasks': return { rows: selectScopedTaskRows(state, scope), columns: taskColumns(state.stats) };
    case 'stacks': return { rows: selectStackRows(state.services), columns: STACK_COLUMNS };
    case 'secrets': return { rows: selectSecretRows(state.secrets, state.services), columns: SECRET_COLUMNS };
    case 'configs': return { rows: selectConfigRows(state.configs, state.services), columns: CONFIG_COLUMNS };
    case 'networks': return { rows: selectNetworkRows(state.networks, state.services), columns: NETWORK_COLUMNS };
    // The timeline's rows come from the timeline, not the cluster state (src/ui/timeline/table.ts).
    case 'swarm': case 'timeline': return EMPTY;
  }
}

/** Where enter leads from a row of a pane (null: nowhere to drill). */
export function drillTarget(pane: PaneId, row: RowBase): { pane: PaneId; scope: PaneScope } | null {
  const scope = (kind: PaneScope['kind']): PaneScope => ({ kind, id: row.id, name: row.name });
  switch (pane) {
    case 'services': return { pane: 'tasks', scope: scope('service') };
    case 'nodes': return { pane: 'tasks', scope: scope('node') };
    case 'stacks': return { pane: 'services', scope: scope('stack') };
    case 'secrets': return { pane: 'services', scope: scope('secret') };
    case 'configs': return { pane: 'services', scope: scope('config') };
    case 'networks': return { pane: 'services', scope: scope('network') };
    case 'tasks':
    case 'swarm':
    case 'timeline':
      return null;
  }
}
