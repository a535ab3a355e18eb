import type { Dispatch, MutableRefObject, SetStateAction } from 'react';
import type { ActionSpec, RevealedSecret } from '../actions/types.js';
import type { ClusterState } from '../store/state.js';
import type { Tone } from './actionFlow.js';
import { parseCommand } from './commands.js';
import { typedText, type KeyEvent } from './keys/split.js';
import type { FleetTable } from './fleet/types.js';
import { clampOffset, findLine } from './components/TextView.js';
import { editCommand, type Command, type Keymap } from './keymap.js';
import { actionTarget, moveTo, newView, type ViewState } from './nav.js';
import { drillTarget, paneTable } from './panes/columns.js';
import { PANE_TARGET, type PaneId, type RowBase } from './panes/types.js';
import { handleTimelineCommand } from './timeline/keys.js';
import { whyLines } from './why/WhySection.js';
import type { Runner } from './useActionRunner.js';
import { viewerLines, type ViewerRequest, type ViewerState } from './useViewer.js';

/**
 * The last stage of input: a command (or a typed key) meets its handler. App.tsx builds one
 * InputContext per key — the key, the keymap, the console's controls, the pane as it stands, the
 * operations — and the focus (keys/focus.ts) picks the handler; actions go on to useActionRunner.ts.
 */

/** The `/` filter or the `:` command line being typed. */
export interface Prompt {
  kind: 'filter' | 'command';
  value: string;
}

/** What a handler may do to the console (the App's controls). */
export interface ConsoleControls {
  say: (text: string, tone?: Tone) => void;
  quit: () => void;
  openHelp: () => void;
  openViewer: (req: ViewerRequest) => void;
  setPrompt: (p: Prompt | null) => void;
  /** Applies the filter on the next turn: the typed character shows at once, the narrowing follows. */
  applyFilter: (value: string) => void;
  switchPane: (pane: PaneId) => void;
  switchContext: (name: string) => Promise<void> | void;
  copy: (text: string) => void;
  setStack: Dispatch<SetStateAction<ViewState[]>>;
  updateView: (fn: (v: ViewState) => ViewState) => void;
  /** The fleet screen (0, :fleet, :svc --all), when several contexts are live. */
  fleet?: FleetLink;
  /** `:bundle`: writes an incident bundle, resolves with what was written (absent: this console cannot). */
  bundle?: (since: string | null, file: string | null) => Promise<string>;
}

/** What the console's one key reader calls with the keys of a chunk (see keys/useKeys.ts). */
export type InputHandler = (keys: readonly KeyEvent[]) => void;

export interface FleetLink {
  open(table: FleetTable): void;
  /** Back to the fleet screen; null when the console was not opened from it. */
  back: (() => void) | null;
}

const NO_FLEET = 'the fleet is not available here';

/** The pane as it stands when the key is read: from the latest state, not the last frame. */
export interface PaneAt {
  state: ClusterState;
  view: ViewState;
  rows: readonly RowBase[];
  cursor: number;
  selected: RowBase | undefined;
  /** Table rows on screen (a page). */
  tableBody: number;
  /** Columns of the pane's table (what `o` cycles through). */
  columns: number;
  /** Views in the navigation stack (1: the top of a pane, where esc goes back to the fleet). */
  stackDepth: number;
}

/** What operations need: the declared actions, their runner, the user's `:` aliases, contexts, revealed secrets. */
export interface Operations {
  actions: readonly ActionSpec[];
  runner: Runner;
  aliases: Readonly<Record<string, string>>;
  contexts: readonly string[];
  /** The last revealed secrets, kept (in memory only) so `c` can copy them. */
  held: MutableRefObject<readonly RevealedSecret[] | null>;
}

/** One key in context: the one object every handler of the pane and the prompts takes. */
export interface InputContext {
  key: KeyEvent;
  keymap: Keymap;
  ui: ConsoleControls;
  at: PaneAt;
  ops: Operations;
}

/** Starts an action on the right target (selected row, drill-down object or the swarm). */
export function startAction(c: Pick<InputContext, 'ui' | 'at' | 'ops'>, action: ActionSpec, preset: string | null): void {
  // Creating needs no selected row (the pane may well be empty): the new object is named by the input.
  const target = action.creates ? { kind: action.targets, id: '', name: '(new)', version: 0 } : actionTarget(c.at.state, c.at.view, c.at.selected, action.targets);
  if (typeof target === 'string') c.ui.say(`${action.label}: ${target}`, 'warn');
  else c.ops.runner.start(action, target, preset);
}

type TableCommand = Extract<Command, { kind: 'move' | 'top' | 'bottom' | 'page' | 'sort-next' | 'sort-reverse' }>;

/** Cursor and sort keys of a table (any table: a pane, or the fleet's). */
export function tableKey(cmd: TableCommand, at: Pick<PaneAt, 'rows' | 'cursor' | 'tableBody' | 'columns'>, updateView: ConsoleControls['updateView']): void {
  const { rows, cursor, tableBody } = at;
  switch (cmd.kind) {
    case 'move': updateView((v) => moveTo(v, rows, cursor + cmd.by, tableBody)); return;
    case 'top': updateView((v) => moveTo(v, rows, 0, tableBody)); return;
    case 'bottom': updateView((v) => moveTo(v, rows, rows.length - 1, tableBody)); return;
    case 'page': updateView((v) => moveTo({ ...v, offset: v.offset + cmd.dir * tableBody }, rows, cursor + cmd.dir * tableBody, tableBody)); return;
    case 'sort-next':
      if (at.columns > 0) updateView((v) => ({ ...v, sort: { column: (v.sort.column + 1) % at.columns, desc: false } }));
      return;
    case 'sort-reverse': updateView((v) => ({ ...v, sort: { ...v.sort, desc: !v.sort.desc } })); return;
  }
}

/** A command of the pane (the keymap's main context). */
export function handleMainCommand(cmd: Command, c: InputContext): void {
  const { ui, ops } = c;
  const { view, selected } = c.at;
  if (view.pane === 'timeline' && handleTimelineCommand(cmd, { state: c.at.state, selected, setStack: ui.setStack, updateView: ui.updateView, openViewer: ui.openViewer, say: ui.say })) return;
  switch (cmd.kind) {
    case 'quit': ui.quit(); return;
    case 'help': ui.openHelp(); return;
    case 'command-mode': ui.setPrompt({ kind: 'command', value: '' }); return;
    case 'filter': ui.setPrompt({ kind: 'filter', value: view.filter }); return;
    case 'back':
      if (view.filter !== '') ui.updateView((v) => ({ ...v, filter: '' }));
      else if (c.at.stackDepth === 1 && ui.fleet?.back) ui.fleet.back();
      else ui.setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
      return;
    case 'drill': {
      if (!selected) return;
      const to = drillTarget(view.pane, selected);
      if (to) ui.setStack((s) => [...s, newView(to.pane, to.scope)]);
      // A task has nothing under it: enter shows its details, the way the operator expects to go "into" it.
      else if (view.pane === 'tasks') ui.openViewer({ kind: 'inspect', target: 'task', id: selected.id, name: selected.name });
      return;
    }
    case 'move': case 'top': case 'bottom': case 'page': case 'sort-next': case 'sort-reverse':
      tableKey(cmd, c.at, ui.updateView);
      return;
    case 'toggle-history':
      ui.updateView((v) => ({ ...v, historyHidden: !v.historyHidden, cursorIndex: 0, cursorId: v.cursorId, offset: 0 }));
      return;
    case 'inspect': {
      const kind = PANE_TARGET[view.pane];
      if (kind === 'swarm') ui.openViewer({ kind: 'inspect', target: 'swarm', id: c.at.state.swarm?.id ?? '', name: '' });
      else if (selected && kind !== null) ui.openViewer({ kind: 'inspect', target: kind, id: selected.id, name: selected.name, header: kind === 'service' ? whyLines(c.at.state, selected.id) : [] });
      return;
    }
    case 'logs': {
      const kind = PANE_TARGET[view.pane];
      if (selected && (kind === 'service' || kind === 'task')) ui.openViewer({ kind: 'logs', target: kind, id: selected.id, name: selected.name });
      return;
    }
    case 'rollout':
      if (selected && view.pane === 'services') {
        const scope = { kind: 'service' as const, id: selected.id, name: selected.name };
        ui.setStack((s) => [...s, newView('tasks', scope, true)]);
      }
      return;
    case 'pane': ui.switchPane(cmd.pane); return;
    case 'fleet':
      if (ui.fleet) ui.fleet.open('fleet');
      else ui.say(NO_FLEET, 'warn');
      return;
    case 'copy':
      if (ops.held.current) {
        ui.copy(ops.held.current.map((s) => s.value).join('\n'));
        ui.say('copied the revealed secret to the clipboard (OSC 52)', 'ok');
      } else ui.say('nothing revealed to copy (W or M reveals a join command)', 'warn');
      return;
    case 'action': {
      const action = ops.actions.find((a) => a.id === cmd.id);
      if (action) startAction(c, action, null);
      return;
    }
    case 'search': case 'search-next': case 'toggle-follow': case 'toggle-timestamps': case 'toggle-wrap': case 'toggle-prefix':
    case 'confirm': case 'cancel': case 'erase': case 'reveal-toggle': case 'toggle-warnings':
      return;
  }
}

/** `:top`: the current tasks by CPU or memory, highest first (the live columns, see stats-columns.ts). */
function top(by: 'cpu' | 'mem', c: InputContext): void {
  const { ui } = c;
  const { view, selected, state } = c.at;
  const sort = { column: paneTable(state, 'tasks', null).columns.findIndex((col) => col.title === (by === 'cpu' ? 'CPU' : 'MEM')), desc: true };
  const sorted = (v: ViewState): ViewState => ({ ...v, sort, historyHidden: true, cursorIndex: 0, cursorId: null, offset: 0 });
  if (view.pane === 'tasks') ui.updateView(sorted);
  else if (view.pane === 'services' && selected) {
    const scope = { kind: 'service' as const, id: selected.id, name: selected.name };
    ui.setStack((s) => [...s, sorted(newView('tasks', scope))]);
  } else {
    ui.say(':top works on the selected service (services pane) or in the tasks pane', 'warn');
    return;
  }
  ui.say(`top: running tasks by ${by === 'cpu' ? 'CPU' : 'memory'}, highest first (o/O sort otherwise)`, 'info');
}

function runCommandLine(line: string, c: InputContext): void {
  const { ui, ops } = c;
  const parsed = parseCommand(line, ops.actions, ops.aliases);
  switch (parsed.kind) {
    case 'pane': ui.switchPane(parsed.pane); return;
    case 'fleet':
      if (ui.fleet) ui.fleet.open(parsed.table);
      else ui.say(NO_FLEET, 'warn');
      return;
    case 'quit': ui.quit(); return;
    case 'help': ui.openHelp(); return;
    case 'error': ui.say(parsed.message, 'error'); return;
    case 'top': top(parsed.by, c); return;
    case 'ctx': {
      // "default" (DOCKER_HOST or the local socket) is always there, defined or not, as in the docker CLI.
      const known = ['default', ...ops.contexts.filter((c) => c !== 'default')];
      const current = c.at.state.connection.context;
      if (parsed.name === null) ui.say(`contexts: ${known.map((c) => (c === current ? `${c} (current)` : c)).join(', ')}  — :ctx NAME switches`, 'info');
      else if (!known.includes(parsed.name)) ui.say(`unknown context ${parsed.name} (known: ${known.join(', ')})`, 'error');
      else if (parsed.name === current) ui.say(`already on context ${current}`, 'info');
      else {
        const name = parsed.name;
        ui.say(`switching to context ${name}…`, 'info');
        Promise.resolve(ui.switchContext(name)).then(
          () => ui.say(`context ${name}`, 'ok'),
          (err: unknown) => ui.say(`context ${name}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
        );
      }
      return;
    }
    case 'action': {
      const action = ops.actions.find((a) => a.id === parsed.id);
      if (action) startAction(c, action, parsed.arg);
      return;
    }
    case 'bundle': {
      const bundle = ui.bundle;
      if (!bundle) {
        ui.say('this console cannot write a bundle: use `swarmtop bundle`', 'error');
        return;
      }
      ui.say('writing the incident bundle…', 'info');
      bundle(parsed.since, parsed.file).then(
        (done) => ui.say(done, 'ok'),
        (err: unknown) => ui.say(`bundle: ${err instanceof Error ? err.message : String(err)}`, 'error'),
      );
      return;
    }
  }
}

/** Typing in the `/` filter (applied live, so the table narrows as you type) or the `:` command line. */
export function handlePromptKey(prompt: Prompt, c: InputContext): void {
  promptKey(prompt, c.key, c.keymap, { setPrompt: c.ui.setPrompt, applyFilter: c.ui.applyFilter, run: (line) => runCommandLine(line, c) });
}

/** A key in a `/` or `:` prompt (a pane's or the fleet's): edits it, closes it (the filter applies as typed) or runs it. */
export function promptKey(
  prompt: Prompt, key: KeyEvent, keymap: Keymap,
  ui: Pick<ConsoleControls, 'setPrompt' | 'applyFilter'> & { run: (line: string) => void },
): void {
  const setValue = (value: string): void => {
    ui.setPrompt({ ...prompt, value });
    if (prompt.kind === 'filter') ui.applyFilter(value);
  };
  switch (editCommand(keymap, key)) {
    case 'cancel':
      ui.setPrompt(null);
      if (prompt.kind === 'filter') ui.applyFilter('');
      return;
    case 'confirm':
      ui.setPrompt(null);
      if (prompt.kind === 'command') ui.run(prompt.value);
      return;
    case 'erase':
      setValue(prompt.value.slice(0, -1));
      return;
    case null: {
      // A paste is inserted whole: its newlines never submit.
      const text = typedText(key);
      if (text !== null) setValue(prompt.value + text);
    }
  }
}

export interface ViewerDeps {
  viewer: ViewerState;
  setViewer: Dispatch<SetStateAction<ViewerState | null>>;
  keymap: Keymap;
  key: KeyEvent;
  close: () => void;
  bodyHeight: number;
}

export function handleViewerKey({ viewer, setViewer, keymap, key, close, bodyHeight }: ViewerDeps): void {
  const name = key.kind === 'key' ? key.name : '';
  const set = (fn: (v: ViewerState) => ViewerState): void => setViewer((v) => (v ? fn(v) : v));
  const lines = viewerLines(viewer);
  const max = Math.max(0, lines.length - bodyHeight);
  // Scrolling up (or any explicit move) stops following; G or f resumes it.
  const scrollTo = (offset: number): void => set((v) => ({ ...v, offset: clampOffset(offset, lines.length, bodyHeight), follow: v.kind === 'logs' && offset >= max }));
  const current = viewer.follow && viewer.kind === 'logs' ? max : clampOffset(viewer.offset, lines.length, bodyHeight);
  if (viewer.searchInput !== null) {
    const edit = editCommand(keymap, key);
    if (edit === 'cancel') set((v) => ({ ...v, searchInput: null }));
    else if (edit === 'confirm') {
      const search = viewer.searchInput;
      const at = findLine(lines, search, current, 1);
      set((v) => ({ ...v, search, searchInput: null, ...(at >= 0 ? { offset: at, follow: false } : {}) }));
    } else if (edit === 'erase') set((v) => ({ ...v, searchInput: (v.searchInput ?? '').slice(0, -1) }));
    else {
      const text = typedText(key);
      if (text !== null) set((v) => ({ ...v, searchInput: (v.searchInput ?? '') + text }));
    }
    return;
  }
  if (key.kind === 'paste') return;
  const context = viewer.kind === 'logs' ? 'logs' : 'viewer';
  const cmd = keymap.lookup(context, null, name) ?? keymap.lookup('viewer', null, name);
  if (!cmd) return;
  switch (cmd.kind) {
    case 'back': close(); return;
    case 'move': scrollTo(current + cmd.by); return;
    case 'page': scrollTo(current + cmd.dir * bodyHeight); return;
    case 'top': scrollTo(0); return;
    case 'bottom': scrollTo(max); return;
    case 'search': set((v) => ({ ...v, searchInput: '' })); return;
    case 'search-next': {
      const at = findLine(lines, viewer.search, current + cmd.dir, cmd.dir);
      if (at >= 0) set((v) => ({ ...v, offset: at, follow: false }));
      return;
    }
    case 'toggle-follow': set((v) => ({ ...v, follow: !v.follow, offset: current })); return;
    case 'toggle-timestamps': set((v) => ({ ...v, timestamps: !v.timestamps })); return;
    case 'toggle-wrap': set((v) => ({ ...v, wrap: !v.wrap })); return;
    case 'toggle-prefix': set((v) => ({ ...v, prefix: !v.prefix })); return;
    default: return;
  }
}
