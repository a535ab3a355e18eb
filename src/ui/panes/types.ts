import type { TargetKind } from '../../actions/types.js';
import type { ThemeToken } from '../theme.js';

export const PANES = ['nodes', 'services', 'tasks', 'stacks', 'secrets', 'configs', 'networks', 'swarm', 'timeline'] as const;
export type PaneId = (typeof PANES)[number];

/** The kind of object each pane lists (and so the target kind of its action keys); the timeline lists all kinds. */
export const PANE_TARGET: Readonly<Record<PaneId, TargetKind | null>> = {
  nodes: 'node', services: 'service', tasks: 'task', stacks: 'stack', secrets: 'secret',
  configs: 'config', networks: 'network', swarm: 'swarm', timeline: null,
};

export const PANE_TITLE: Readonly<Record<PaneId, string>> = {
  nodes: 'Nodes', services: 'Services', tasks: 'Tasks', stacks: 'Stacks', secrets: 'Secrets',
  configs: 'Configs', networks: 'Networks', swarm: 'Swarm', timeline: 'Timeline',
};

/** A drill-down restricts a pane to what belongs to one object (tasks of a service, services using a secret). */
export interface PaneScope {
  kind: 'service' | 'node' | 'stack' | 'secret' | 'config' | 'network';
  id: string;
  name: string;
}

/** Every table row: a stable id and a lowercase search key computed once per row object. */
export interface RowBase {
  id: string;
  /** Display name used in dialogs and as the action target's name. */
  name: string;
  version: number;
  search: string;
}

export interface Column<R> {
  title: string;
  /** Fixed width in cells, or 0 for a flexible column sharing what is left. */
  width: number;
  minWidth?: number;
  /** A flexible column's share of the width left (default 1). */
  grow?: number;
  align?: 'left' | 'right';
  cell(row: R): string;
  /** Sort key: numbers compare numerically, strings lexicographically (already lowercased where it matters). */
  sortKey(row: R): string | number;
  color?(row: R): ThemeToken | undefined;
}
