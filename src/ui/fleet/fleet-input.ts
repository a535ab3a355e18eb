import type { ActionSpec } from '../../actions/types.js';
import type { Tone } from '../actionFlow.js';
import { parseCommand } from '../commands.js';
import { promptKey, tableKey } from '../input.js';
import type { Keymap } from '../keymap.js';
import type { KeyEvent } from '../keys/split.js';
import type { ViewState } from '../nav.js';
import { PANE_TARGET, type PaneId, type RowBase } from '../panes/types.js';
import type { ActionRequest } from './ContextRunner.js';
import type { CombinedRow, NamedState } from './tables.js';
import type { FleetMember, FleetTable } from './types.js';

export interface FleetPrompt {
  kind: 'filter' | 'command';
  value: string;
}

export interface FleetDeps {
  table: FleetTable;
  rows: readonly RowBase[];
  cursor: number;
  selected: RowBase | undefined;
  tableBody: number;
  columns: number;
  states: readonly NamedState[];
  members: readonly FleetMember[];
  updateView: (fn: (v: ViewState) => ViewState) => void;
  say: (text: string, tone?: Tone) => void;
  setPrompt: (p: FleetPrompt | null) => void;
  setTable: (t: FleetTable) => void;
  openContext: (name: string, pane?: PaneId) => void;
  openHelp: () => void;
  quit: () => void;
  startAction: (r: Omit<ActionRequest, 'seq'>) => void;
  actions: readonly ActionSpec[];
  keymap: Keymap;
  contexts: readonly string[];
}

/** The context a row belongs to: the row itself on the fleet table, its CONTEXT otherwise. */
function contextOf(d: Pick<FleetDeps, 'table'>, row: RowBase): string {
  return d.table === 'fleet' ? row.id : (row as CombinedRow).context;
}

/** An action key on a row of :svc --all / :nodes --all: the action runs on that row's context. */
function startOnRow(d: FleetDeps, action: ActionSpec, preset: string | null): void {
  const row = d.selected as CombinedRow | undefined;
  if (d.table === 'fleet' || !row) {
    d.say(`${action.label}: ${d.table === 'fleet' ? 'open a context (enter) or :svc --all / :nodes --all first' : 'nothing selected'}`, 'warn');
    return;
  }
  if (PANE_TARGET[d.table] !== action.targets) {
    d.say(`${action.label}: acts on a ${action.targets}, not on a ${PANE_TARGET[d.table]}`, 'warn');
    return;
  }
  const member = d.members.find((m) => m.name === row.context);
  if (!member) {
    d.say(`${action.label}: context ${row.context} is no longer watched`, 'error');
    return;
  }
  d.startAction({ member, action, target: { kind: action.targets, id: row.inner.id, name: row.inner.name, version: row.inner.version }, preset });
}

/** A key on the fleet screen (no dialog, prompt or help open). */
export function handleFleetCommand(name: string, view: ViewState, d: FleetDeps): void {
  const pane: PaneId | null = d.table === 'fleet' ? null : d.table;
  const cmd = d.keymap.lookup('main', pane, name);
  if (!cmd) return;
  switch (cmd.kind) {
    case 'quit': d.quit(); return;
    case 'help': d.openHelp(); return;
    case 'command-mode': d.setPrompt({ kind: 'command', value: '' }); return;
    case 'filter': d.setPrompt({ kind: 'filter', value: view.filter }); return;
    case 'back':
      if (view.filter !== '') d.updateView((v) => ({ ...v, filter: '' }));
      else if (d.table !== 'fleet') d.setTable('fleet');
      return;
    case 'fleet': d.setTable('fleet'); return;
    case 'drill':
      if (d.selected) d.openContext(contextOf(d, d.selected), pane ?? undefined);
      return;
    case 'pane':
      // A pane key opens the selected context's console on that pane.
      if (d.selected) d.openContext(contextOf(d, d.selected), cmd.pane);
      return;
    case 'move': case 'top': case 'bottom': case 'page': case 'sort-next': case 'sort-reverse':
      tableKey(cmd, d, d.updateView);
      return;
    case 'action': {
      const action = d.actions.find((a) => a.id === cmd.id);
      if (action) startOnRow(d, action, null);
      return;
    }
    case 'inspect': case 'logs': case 'rollout': case 'copy':
      d.say('open the context first (enter): inspect, logs and the rollout view are in its console', 'info');
      return;
    case 'search': case 'search-next': case 'toggle-follow': case 'toggle-timestamps': case 'toggle-wrap': case 'toggle-prefix':
    case 'confirm': case 'cancel': case 'erase': case 'reveal-toggle': case 'toggle-history': case 'toggle-warnings':
      return;
  }
}

function runFleetCommandLine(line: string, d: FleetDeps): void {
  const parsed = parseCommand(line, d.actions);
  switch (parsed.kind) {
    case 'fleet': d.setTable(parsed.table); return;
    case 'pane':
      if (d.selected) d.openContext(contextOf(d, d.selected), parsed.pane);
      else d.say(`:${line.trim()}: select a context first (or :svc --all, :nodes --all)`, 'warn');
      return;
    case 'ctx':
      if (parsed.name === null) d.say(`contexts: ${d.contexts.join(', ')}  — :ctx NAME opens one`, 'info');
      else if (!d.contexts.includes(parsed.name)) d.say(`unknown context ${parsed.name} (known: ${d.contexts.join(', ')})`, 'error');
      else d.openContext(parsed.name);
      return;
    case 'quit': d.quit(); return;
    case 'help': d.openHelp(); return;
    case 'error': d.say(parsed.message, 'error'); return;
    case 'bundle': d.say(':bundle: open the context first (enter): a bundle is of one swarm', 'info'); return;
    case 'top': d.say(':top: open the context first (enter): it lists one service\'s tasks', 'info'); return;
    case 'action': {
      const action = d.actions.find((a) => a.id === parsed.id);
      if (action) startOnRow(d, action, parsed.arg);
      return;
    }
  }
}

/** Typing in the `/` filter (applied as typed) or the `:` command line of the fleet screen. */
export function handleFleetPrompt(prompt: FleetPrompt, key: KeyEvent, d: FleetDeps): void {
  const applyFilter = (value: string): void => d.updateView((v) => (v.filter === value ? v : { ...v, filter: value, cursorIndex: 0, cursorId: null, offset: 0 }));
  promptKey(prompt, key, d.keymap, { setPrompt: d.setPrompt, applyFilter, run: (line) => runFleetCommandLine(line, d) });
}
