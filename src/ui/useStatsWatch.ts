import { useEffect, useMemo } from 'react';
import type { ClusterState } from '../store/state.js';
import type { NodeRow, TaskRow } from './panes/rows.js';
import type { PaneId, RowBase } from './panes/types.js';

/** A running task's container whose stats the console shows now. */
export interface StatsWanted {
  taskId: string;
  nodeId: string;
  containerId: string;
}

/** Tells the stats feed what is on screen (the feed follows exactly that, and stops the rest). */
export type StatsWatch = (wanted: readonly StatsWanted[]) => void;

function runningTarget(t: TaskRow['task']): StatsWanted | null {
  return t.state === 'running' && t.containerId !== null && t.nodeId !== null ? { taskId: t.id, nodeId: t.nodeId, containerId: t.containerId } : null;
}

/**
 * The visible rows' tasks: in the tasks pane the running ones shown; in the nodes pane every running
 * task of the nodes shown (their sums). Other panes, or none visible: nothing is streamed.
 */
export function useStatsWatch(watch: StatsWatch | undefined, pane: PaneId, visible: readonly RowBase[], tasksByService: ClusterState['tasksByService']): void {
  const nodeKey = pane === 'nodes' ? visible.map((r) => (r as NodeRow).id).join(',') : '';
  const wanted = useMemo((): StatsWanted[] => {
    if (pane === 'tasks') return visible.map((r) => runningTarget((r as TaskRow).task)).filter((t): t is StatsWanted => t !== null);
    if (pane !== 'nodes' || nodeKey === '') return [];
    const nodes = new Set(nodeKey.split(','));
    const out: StatsWanted[] = [];
    for (const tasks of tasksByService.values()) {
      for (const t of tasks.values()) {
        const w = t.nodeId !== null && nodes.has(t.nodeId) ? runningTarget(t) : null;
        if (w) out.push(w);
      }
    }
    return out;
    // The nodes pane depends on the node ids shown, not on the row objects (new ones every state change).
  }, [pane, pane === 'tasks' ? visible : nodeKey, tasksByService]);
  const key = wanted.map((w) => `${w.taskId}:${w.containerId}`).join(',');
  // Keyed by what is wanted, so a redraw with the same tasks on screen asks the feed nothing.
  useEffect(() => watch?.(wanted), [watch, key]);
  useEffect(() => () => watch?.([]), [watch]);
}
