import { SEVERITY, fleetSummary, type FleetSummary } from '../../store/selectors/fleet.js';
import type { ClusterState } from '../../store/state.js';
import { age, printable } from '../format.js';
import { paneTable } from '../panes/columns.js';
import type { Column, RowBase } from '../panes/types.js';
import type { ThemeToken } from '../theme.js';
import type { FleetTable } from './types.js';

/** One context of the fleet. */
export interface FleetRow extends RowBase {
  context: string;
  summary: FleetSummary;
}

/** A row of a pane of one context, in a table of every context (:svc --all, :nodes --all). */
export interface CombinedRow extends RowBase {
  context: string;
  inner: RowBase;
}

/** A member's state under its context name. */
export interface NamedState {
  name: string;
  state: ClusterState;
}

const SEVERITY_TOKEN: Readonly<Record<number, ThemeToken | undefined>> = {
  [SEVERITY.ok]: 'ok', [SEVERITY.warn]: 'warn', [SEVERITY.bad]: 'error', [SEVERITY.down]: 'error',
};

/** Time until `at` ("12d"), or how long ago it passed ("-3d"). */
export function until(at: number, now: number): string {
  return at >= now ? age(2 * now - at, now) : `-${age(at, now)}`;
}

function liveness(s: FleetSummary, now: number): string {
  if (s.staleSince !== null) return `STALE ${age(s.staleSince, now)}`;
  if (!s.known) return s.status === 'failed' ? 'unreachable' : 'connecting';
  return 'live';
}

function versionsText(s: FleetSummary): string {
  const [first, ...rest] = s.engineVersions;
  if (first === undefined) return '';
  return rest.length === 0 ? first : `${first} +${rest.length} MIXED`;
}

/** The columns of the fleet; column 0 orders worst first, then by name (ties of every other column too). */
export function fleetColumns(now: number): Column<RowBase>[] {
  const col = (c: Column<FleetRow>): Column<RowBase> => c;
  const known = (r: FleetRow): boolean => r.summary.known;
  const ratio = (a: number, b: number, r: FleetRow): string => (known(r) ? `${a}/${b}` : '-');
  return [
    col({
      title: 'CONTEXT', width: 0, minWidth: 12, cell: (r) => r.context,
      sortKey: (r) => `${SEVERITY.down - r.summary.severity}\u0000${r.context.toLowerCase()}`, color: (r) => SEVERITY_TOKEN[r.summary.severity],
    }),
    col({
      title: 'STATE', width: 12, cell: (r) => liveness(r.summary, now), sortKey: (r) => (r.summary.staleSince ?? Number.MAX_SAFE_INTEGER),
      color: (r) => (r.summary.staleSince !== null ? 'stale' : r.summary.known ? 'ok' : 'muted'),
    }),
    col({ title: 'LEADER', width: 12, cell: (r) => r.summary.leader ?? (known(r) ? 'none' : ''), sortKey: (r) => r.summary.leader ?? '' }),
    col({
      title: 'MANAGERS', width: 8, align: 'right', cell: (r) => ratio(r.summary.managersReachable, r.summary.managers, r),
      sortKey: (r) => r.summary.managersReachable - r.summary.managers,
      color: (r) => (!known(r) ? undefined : !r.summary.hasQuorum ? 'error' : r.summary.managersReachable < r.summary.managers ? 'warn' : 'ok'),
    }),
    col({
      title: 'TOL', width: 3, align: 'right', cell: (r) => (known(r) ? String(r.summary.toleratesNow) : '-'), sortKey: (r) => r.summary.toleratesNow,
      color: (r) => (known(r) && r.summary.managers > 1 && r.summary.toleratesNow === 0 ? 'error' : undefined),
    }),
    col({
      title: 'NODES', width: 7, align: 'right', cell: (r) => ratio(r.summary.nodesReady, r.summary.nodes, r), sortKey: (r) => r.summary.nodesReady - r.summary.nodes,
      color: (r) => (known(r) && r.summary.nodesReady < r.summary.nodes ? 'error' : undefined),
    }),
    col({
      title: 'SERVICES', width: 9, align: 'right', cell: (r) => ratio(r.summary.servicesConverged, r.summary.services, r),
      sortKey: (r) => r.summary.servicesConverged - r.summary.services, color: (r) => (r.summary.servicesConverged < r.summary.services ? 'warn' : undefined),
    }),
    col({ title: 'UPD', width: 3, align: 'right', cell: (r) => (r.summary.servicesUpdating > 0 ? String(r.summary.servicesUpdating) : ''), sortKey: (r) => -r.summary.servicesUpdating, color: () => 'warn' }),
    col({ title: 'LOCKED', width: 6, align: 'right', cell: (r) => (r.summary.lockedManagers > 0 ? String(r.summary.lockedManagers) : ''), sortKey: (r) => -r.summary.lockedManagers, color: () => 'error' }),
    col({
      title: 'CA', width: 9, cell: (r) => (r.summary.caRotation ? `rot ${r.summary.nodesOnCurrentCa}/${r.summary.nodes}` : ''), sortKey: (r) => (r.summary.caRotation ? 0 : 1), color: () => 'warn',
    }),
    col({
      title: 'CERTS', width: 6, align: 'right', cell: (r) => (r.summary.certExpiry ? until(r.summary.certExpiry.at, now) : ''),
      sortKey: (r) => r.summary.certExpiry?.at ?? Number.MAX_SAFE_INTEGER,
      color: (r) => (r.summary.certExpiry && r.summary.problems.some((p) => p.includes('certificate')) ? 'warn' : undefined),
    }),
    col({
      title: 'ENGINE', width: 18, cell: (r) => versionsText(r.summary), sortKey: (r) => r.summary.engineVersions.length * -1,
      color: (r) => (r.summary.engineVersions.length > 1 ? 'warn' : undefined),
    }),
    col({
      title: 'PROBLEMS', width: 0, minWidth: 14, cell: (r) => printable(r.summary.problems.length > 0 ? r.summary.problems.join(', ') : 'ok'),
      sortKey: (r) => r.summary.problems.join(','), color: (r) => SEVERITY_TOKEN[r.summary.severity],
    }),
  ];
}

/** One row per context; a new row object only when the context's state (or the clock) moved. */
export function fleetRows(states: readonly NamedState[], now: number): FleetRow[] {
  return states.map(({ name, state }) => {
    const summary = fleetSummary(state, now);
    const search = [name, ...summary.problems, summary.leader ?? '', ...summary.engineVersions, summary.error ?? ''].join(' ').toLowerCase();
    return { id: name, name, version: state.revision, context: name, summary, search };
  });
}

const wrapped = new WeakMap<RowBase, Map<string, CombinedRow>>();

function combinedRow(context: string, inner: RowBase): CombinedRow {
  let byContext = wrapped.get(inner);
  if (!byContext) {
    byContext = new Map();
    wrapped.set(inner, byContext);
  }
  let row = byContext.get(context);
  if (!row) {
    row = { id: `${context}\u0000${inner.id}`, name: inner.name, version: inner.version, search: `${context.toLowerCase()} ${inner.search}`, context, inner };
    byContext.set(context, row);
  }
  return row;
}

/** Rows of one pane of one context, remembered per the slice they come from (each context has its own). */
const paneRows = new WeakMap<object, readonly RowBase[]>();

function rowsOf(state: ClusterState, pane: 'services' | 'nodes'): readonly RowBase[] {
  const key = pane === 'services' ? state.services : state.nodes;
  let rows = paneRows.get(key);
  if (!rows) {
    rows = paneTable(state, pane, null).rows;
    paneRows.set(key, rows);
  }
  return rows;
}

/** Columns that count tasks are left out: a context watched from the fleet holds only some of its tasks. */
const TASK_COLUMNS = new Set(['TASKS']);

const combinedColumnsCache = new Map<'services' | 'nodes', Column<RowBase>[]>();

function combinedColumns(pane: 'services' | 'nodes', inner: readonly Column<RowBase>[]): Column<RowBase>[] {
  let cols = combinedColumnsCache.get(pane);
  if (cols) return cols;
  const firstKey = inner[0];
  const of = (r: RowBase): RowBase => (r as CombinedRow).inner;
  cols = [
    {
      title: 'CONTEXT', width: 12, cell: (r) => (r as CombinedRow).context,
      sortKey: (r) => `${(r as CombinedRow).context.toLowerCase()}\u0000${String(firstKey?.sortKey(of(r)) ?? '')}`, color: () => 'header',
    },
    ...inner.filter((c) => !TASK_COLUMNS.has(c.title)).map((c): Column<RowBase> => ({
      ...c,
      cell: (r) => c.cell(of(r)),
      sortKey: (r) => c.sortKey(of(r)),
      ...(c.color ? { color: (r: RowBase) => c.color?.(of(r)) } : {}),
    })),
  ];
  combinedColumnsCache.set(pane, cols);
  return cols;
}

let lastCombined: { pane: string; parts: readonly (readonly RowBase[])[]; rows: CombinedRow[] } | null = null;

/** The services or nodes of every context in one table, with a CONTEXT column. */
export function combinedTable(states: readonly NamedState[], pane: 'services' | 'nodes'): { rows: readonly RowBase[]; columns: readonly Column<RowBase>[] } {
  const empty = states[0]?.state;
  const columns = combinedColumns(pane, empty ? paneTable(empty, pane, null).columns : []);
  const parts = states.map((s) => rowsOf(s.state, pane));
  // The same rows array while no context's rows changed: sorts and filters stay cached.
  if (lastCombined && lastCombined.pane === pane && lastCombined.parts.length === parts.length && lastCombined.parts.every((p, i) => p === parts[i])) {
    return { rows: lastCombined.rows, columns };
  }
  const rows: CombinedRow[] = [];
  states.forEach((s, i) => {
    for (const r of parts[i] ?? []) rows.push(combinedRow(s.name, r));
  });
  lastCombined = { pane, parts, rows };
  return { rows, columns };
}

/** The table the fleet screen shows. */
export function fleetTable(table: FleetTable, states: readonly NamedState[], now: number): { rows: readonly RowBase[]; columns: readonly Column<RowBase>[] } {
  if (table === 'fleet') return { rows: fleetRows(states, now), columns: fleetColumns(now) };
  return combinedTable(states, table);
}
