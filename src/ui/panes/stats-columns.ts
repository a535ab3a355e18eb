import type { Id } from '../../store/model.js';
import type { ClusterState, StatsState } from '../../store/state.js';
import { bytes } from '../format.js';
import type { ThemeToken } from '../theme.js';
import { memoLast } from './memo.js';
import type { NodeRow, TaskRow } from './rows.js';
import type { Column } from './types.js';

function percent(p: number): string {
  return p >= 99.95 ? `${Math.round(p)}%` : `${p.toFixed(1)}%`;
}

/** Busy beyond 80% of what it may use: the colour an operator looks for first. */
const hot = (share: number): ThemeToken | undefined => (share >= 0.8 ? 'warn' : undefined);

/**
 * CPU % (of one CPU, as docker stats) and memory use / limit of a running task, while it is on screen.
 * Its node unreachable: the reason's short word where the numbers would be; not yet sampled: "…".
 */
export function taskStatsColumns(stats: StatsState): Column<TaskRow>[] {
  const of = (r: TaskRow) => (r.task.state === 'running' ? stats.tasks.get(r.id) : undefined);
  const missing = (r: TaskRow): string => {
    if (r.task.state !== 'running') return '';
    const failure = r.task.nodeId === null ? undefined : stats.unreachable.get(r.task.nodeId);
    return failure ? failure.short : '…';
  };
  return [
    {
      title: 'CPU', width: 6, align: 'right',
      cell: (r) => { const s = of(r); return s ? percent(s.cpuPercent) : missing(r) === '' ? '' : '-'; },
      sortKey: (r) => of(r)?.cpuPercent ?? -1,
    },
    {
      title: 'MEM', width: 17, align: 'right',
      cell: (r) => { const s = of(r); return s ? `${bytes(s.memUsage)}/${bytes(s.memLimit)}` : missing(r); },
      sortKey: (r) => of(r)?.memUsage ?? -1,
      color: (r) => { const s = of(r); return s && s.memLimit > 0 ? hot(s.memUsage / s.memLimit) : r.task.nodeId !== null && stats.unreachable.has(r.task.nodeId) ? 'error' : undefined; },
    },
  ];
}

interface NodeUse {
  cpuPercent: number;
  memUsage: number;
}

/** The sum over a node's streamed tasks (the tasks on screen, or all of a visible node's running ones). */
export const nodeUsage = memoLast((stats: StatsState, tasksByService: ClusterState['tasksByService']): ReadonlyMap<Id, NodeUse> => {
  const out = new Map<Id, NodeUse>();
  if (stats.tasks.size === 0) return out;
  for (const tasks of tasksByService.values()) {
    for (const t of tasks.values()) {
      const s = t.nodeId === null ? undefined : stats.tasks.get(t.id);
      if (s === undefined || t.nodeId === null) continue;
      const u = out.get(t.nodeId) ?? { cpuPercent: 0, memUsage: 0 };
      out.set(t.nodeId, { cpuPercent: u.cpuPercent + s.cpuPercent, memUsage: u.memUsage + s.memUsage });
    }
  }
  return out;
});

/** A node's use by its tasks, as a share of its capacity (the CPU and MEM columns beside it). */
export function nodeStatsColumns(stats: StatsState, use: ReadonlyMap<Id, NodeUse>): Column<NodeRow>[] {
  const cpuShare = (r: NodeRow): number | null => {
    const u = use.get(r.id);
    return u && r.node.nanoCpus > 0 ? u.cpuPercent / 100 / (r.node.nanoCpus / 1e9) : null;
  };
  return [
    {
      title: 'CPU USE', width: 7, align: 'right',
      cell: (r) => { const s = cpuShare(r); return s !== null ? percent(s * 100) : stats.unreachable.get(r.id)?.short.slice(0, 7) ?? ''; },
      sortKey: (r) => cpuShare(r) ?? -1,
      color: (r) => { const s = cpuShare(r); return s !== null ? hot(s) : stats.unreachable.has(r.id) ? 'error' : undefined; },
    },
    {
      title: 'MEM USE', width: 9, align: 'right',
      cell: (r) => { const u = use.get(r.id); return u ? bytes(u.memUsage) : ''; },
      sortKey: (r) => use.get(r.id)?.memUsage ?? -1,
      color: (r) => { const u = use.get(r.id); return u && r.node.memoryBytes > 0 ? hot(u.memUsage / r.node.memoryBytes) : undefined; },
    },
  ];
}
