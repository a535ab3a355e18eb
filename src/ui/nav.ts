import type { ActionTarget } from '../actions/types.js';
import type { ClusterState } from '../store/state.js';
import { cursorIndex, scrollOffset, type SortSpec } from './panes/order.js';
import { PANE_TARGET, type PaneId, type PaneScope, type RowBase } from './panes/types.js';

/** One screen of the navigation stack: a pane, optionally restricted to one object (a drill-down). */
export interface ViewState {
  pane: PaneId;
  scope: PaneScope | null;
  /** The rollout view of a service: its tasks plus the update's progress. */
  rollout: boolean;
  cursorId: string | null;
  cursorIndex: number;
  offset: number;
  sort: SortSpec;
  filter: string;
  /** Tasks pane: only the current tasks (desired running), as `docker service ps --filter desired-state=running`. */
  historyHidden: boolean;
  /** Timeline: warnings and errors only (`w`). */
  warnOnly: boolean;
}

export function newView(pane: PaneId, scope: PaneScope | null = null, rollout = false): ViewState {
  // The timeline opens newest first.
  return { pane, scope, rollout, cursorId: null, cursorIndex: 0, offset: 0, sort: { column: 0, desc: pane === 'timeline' }, filter: '', historyHidden: false, warnOnly: false };
}

/** Moves the cursor to an absolute index (clamped) and scrolls as little as needed. */
export function moveTo(view: ViewState, rows: readonly RowBase[], index: number, bodyHeight: number): ViewState {
  if (rows.length === 0) return { ...view, cursorId: null, cursorIndex: 0, offset: 0 };
  const i = Math.max(0, Math.min(index, rows.length - 1));
  return { ...view, cursorId: rows[i]?.id ?? null, cursorIndex: i, offset: scrollOffset(view.offset, i, bodyHeight, rows.length) };
}

export function currentIndex(view: ViewState, rows: readonly RowBase[]): number {
  return cursorIndex(rows, view.cursorId, view.cursorIndex);
}

/** The target of an action key: the selected row of the pane the action is about, else the drill-down's object. */
export function actionTarget(
  state: ClusterState, view: ViewState, selected: RowBase | undefined, kind: ActionTarget['kind'],
): ActionTarget | string {
  if (kind === 'swarm') {
    return state.swarm ? { kind: 'swarm', id: state.swarm.id, name: 'swarm', version: state.swarm.version } : 'not a swarm manager: no swarm to act on';
  }
  if (PANE_TARGET[view.pane] === kind) {
    return selected ? { kind, id: selected.id, name: selected.name, version: selected.version } : `no ${kind} selected`;
  }
  if (view.scope && view.scope.kind === kind) {
    const svc = kind === 'service' ? state.services.get(view.scope.id) : undefined;
    const node = kind === 'node' ? state.nodes.get(view.scope.id) : undefined;
    return { kind, id: view.scope.id, name: view.scope.name, version: svc?.version ?? node?.version ?? 0 };
  }
  return `select a ${kind} first`;
}
