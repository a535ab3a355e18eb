import type { Dispatch, MutableRefObject, SetStateAction } from 'react';
import type { ActionSpec, RevealedSecret } from '../actions/types.js';
import type { ClusterState } from '../store/state.js';
import type { Tone } from './actionFlow.js';
import { parseCommand } from './commands.js';
import { typedText, type KeyEvent } from './keys/split.js';
import { clampOffset, findLine } from './components/TextView.js';
import type { Command, Keymap } from './keymap.js';
import { actionTarget, moveTo, newView, type ViewState } from './nav.js';
import { drillTarget, paneTable } from './panes/columns.js';
import { PANE_TARGET, type PaneId, type RowBase } from './panes/types.js';
import type { Runner } from './useActionRunner.js';
import { viewerLines, type ViewerRequest, type ViewerState } from './useViewer.js';

export interface MainDeps {
  state: ClusterState;
  view: ViewState;
  rows: readonly RowBase[];
  cursor: number;
  selected: RowBase | undefined;
  tableBody: number;
  columns: number;
  setStack: Dispatch<SetStateAction<ViewState[]>>;
  updateView(fn: (v: ViewState) => ViewState): void;
  switchPane: (pane: PaneId) => void;
  setPrompt: (p: { kind: 'filter' | 'command'; value: string } | null) => void;
  openHelp: () => void;
  quit: () => void;
  openViewer: (req: ViewerRequest) => void;
  runner: Runner;
  actions: readonly ActionSpec[];
  say: (text: string, tone?: Tone) => void;
  held: MutableRefObject<readonly RevealedSecret[] | null>;
  copy: (text: string) => void;
}

/** Starts an action on the right target (selected row, drill-down object or the swarm). */
export function startAction(d: Pick<MainDeps, 'state' | 'view' | 'selected' | 'runner' | 'say'>, action: ActionSpec, preset: string | null): void {
  // Creating needs no selected row (the pane may well be empty): the new object is named by the input.
  const target = action.creates ? { kind: action.targets, id: '', name: '(new)', version: 0 } : actionTarget(d.state, d.view, d.selected, action.targets);
  if (typeof target === 'string') d.say(`${action.label}: ${target}`, 'warn');
  else d.runner.start(action, target, preset);
}

export function handleMainCommand(cmd: Command, d: MainDeps): void {
  const { view, rows, cursor, tableBody } = d;
  switch (cmd.kind) {
    case 'quit': d.quit(); return;
    case 'help': d.openHelp(); return;
    case 'command-mode': d.setPrompt({ kind: 'command', value: '' }); return;
    case 'filter': d.setPrompt({ kind: 'filter', value: view.filter }); return;
    case 'back':
      if (view.filter !== '') d.updateView((v) => ({ ...v, filter: '' }));
      else d.setStack((s) => (s.length > 1 ? s.slice(0, -1) : s));
      return;
    case 'drill': {
      if (!d.selected) return;
      const to = drillTarget(view.pane, d.selected);
      if (to) d.setStack((s) => [...s, newView(to.pane, to.scope)]);
      // A task has nothing under it: enter shows its details, the way the operator expects to go "into" it.
      else if (view.pane === 'tasks') d.openViewer({ kind: 'inspect', target: 'task', id: d.selected.id, name: d.selected.name });
      return;
    }
    case 'move': d.updateView((v) => moveTo(v, rows, cursor + cmd.by, tableBody)); return;
    case 'top': d.updateView((v) => moveTo(v, rows, 0, tableBody)); return;
    case 'bottom': d.updateView((v) => moveTo(v, rows, rows.length - 1, tableBody)); return;
    case 'page': d.updateView((v) => moveTo({ ...v, offset: v.offset + cmd.dir * tableBody }, rows, cursor + cmd.dir * tableBody, tableBody)); return;
    case 'sort-next':
      if (d.columns > 0) d.updateView((v) => ({ ...v, sort: { column: (v.sort.column + 1) % d.columns, desc: false } }));
      return;
    case 'sort-reverse': d.updateView((v) => ({ ...v, sort: { ...v.sort, desc: !v.sort.desc } })); return;
    case 'toggle-history':
      d.updateView((v) => ({ ...v, historyHidden: !v.historyHidden, cursorIndex: 0, cursorId: v.cursorId, offset: 0 }));
      return;
    case 'inspect': {
      const kind = PANE_TARGET[view.pane];
      if (kind === 'swarm') d.openViewer({ kind: 'inspect', target: 'swarm', id: d.state.swarm?.id ?? '', name: '' });
      else if (d.selected) d.openViewer({ kind: 'inspect', target: kind, id: d.selected.id, name: d.selected.name });
      return;
    }
    case 'logs': {
      const kind = PANE_TARGET[view.pane];
      if (d.selected && (kind === 'service' || kind === 'task')) d.openViewer({ kind: 'logs', target: kind, id: d.selected.id, name: d.selected.name });
      return;
    }
    case 'rollout':
      if (d.selected && view.pane === 'services') {
        const scope = { kind: 'service' as const, id: d.selected.id, name: d.selected.name };
        d.setStack((s) => [...s, newView('tasks', scope, true)]);
      }
      return;
    case 'pane': d.switchPane(cmd.pane); return;
    case 'copy':
      if (d.held.current) {
        d.copy(d.held.current.map((s) => s.value).join('\n'));
        d.say('copied the revealed secret to the clipboard (OSC 52)', 'ok');
      } else d.say('nothing revealed to copy (W or M reveals a join command)', 'warn');
      return;
    case 'action': {
      const action = d.actions.find((a) => a.id === cmd.id);
      if (action) startAction(d, action, null);
      return;
    }
    case 'search': case 'search-next': case 'toggle-follow': case 'toggle-timestamps': case 'toggle-wrap': case 'toggle-prefix':
    case 'confirm': case 'cancel': case 'reveal-toggle':
      return;
  }
}

export interface PromptDeps {
  prompt: { kind: 'filter' | 'command'; value: string };
  setPrompt: (p: { kind: 'filter' | 'command'; value: string } | null) => void;
  key: KeyEvent;
  updateView: (fn: (v: ViewState) => ViewState) => void;
  /** Opens a view over the current one (`:top` on a service opens its tasks). */
  setStack?: Dispatch<SetStateAction<ViewState[]>>;
  /** Applies the filter on the next turn: the typed character shows at once, the narrowing follows. */
  applyFilter: (value: string) => void;
  actions: readonly ActionSpec[];
  say: (text: string, tone?: Tone) => void;
  switchPane: (pane: PaneId) => void;
  quit: () => void;
  runner: Runner;
  state: ClusterState;
  view: ViewState;
  selected: RowBase | undefined;
  contexts: readonly string[];
  switchContext: (name: string) => Promise<void> | void;
  openHelp: () => void;
}

/** `:top`: the current tasks by CPU or memory, highest first (the live columns, see stats-columns.ts). */
function top(by: 'cpu' | 'mem', d: PromptDeps): void {
  const sort = { column: paneTable(d.state, 'tasks', null).columns.findIndex((c) => c.title === (by === 'cpu' ? 'CPU' : 'MEM')), desc: true };
  const sorted = (v: ViewState): ViewState => ({ ...v, sort, historyHidden: true, cursorIndex: 0, cursorId: null, offset: 0 });
  if (d.view.pane === 'tasks') d.updateView(sorted);
  else if (d.view.pane === 'services' && d.selected && d.setStack) {
    const scope = { kind: 'service' as const, id: d.selected.id, name: d.selected.name };
    d.setStack((s) => [...s, sorted(newView('tasks', scope))]);
  } else {
    d.say(':top works on the selected service (services pane) or in the tasks pane', 'warn');
    return;
  }
  d.say(`top: running tasks by ${by === 'cpu' ? 'CPU' : 'memory'}, highest first (o/O sort otherwise)`, 'info');
}

function runCommandLine(line: string, d: PromptDeps): void {
  const parsed = parseCommand(line, d.actions);
  switch (parsed.kind) {
    case 'pane': d.switchPane(parsed.pane); return;
    case 'quit': d.quit(); return;
    case 'help': d.openHelp(); return;
    case 'error': d.say(parsed.message, 'error'); return;
    case 'top': top(parsed.by, d); return;
    case 'ctx': {
      // "default" (DOCKER_HOST or the local socket) is always there, defined or not, as in the docker CLI.
      const known = ['default', ...d.contexts.filter((c) => c !== 'default')];
      const current = d.state.connection.context;
      if (parsed.name === null) d.say(`contexts: ${known.map((c) => (c === current ? `${c} (current)` : c)).join(', ')}  — :ctx NAME switches`, 'info');
      else if (!known.includes(parsed.name)) d.say(`unknown context ${parsed.name} (known: ${known.join(', ')})`, 'error');
      else if (parsed.name === current) d.say(`already on context ${current}`, 'info');
      else {
        const name = parsed.name;
        d.say(`switching to context ${name}…`, 'info');
        Promise.resolve(d.switchContext(name)).then(
          () => d.say(`context ${name}`, 'ok'),
          (err: unknown) => d.say(`context ${name}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
        );
      }
      return;
    }
    case 'action': {
      const action = d.actions.find((a) => a.id === parsed.id);
      if (action) startAction(d, action, parsed.arg);
      return;
    }
  }
}

/** Typing in the `/` filter (applied live, so the table narrows as you type) or the `:` command line. */
export function handlePromptKey(d: PromptDeps): void {
  const { prompt, key } = d;
  const name = key.kind === 'key' ? key.name : '';
  const setValue = (value: string): void => {
    d.setPrompt({ ...prompt, value });
    if (prompt.kind === 'filter') d.applyFilter(value);
  };
  if (name === 'esc') {
    d.setPrompt(null);
    if (prompt.kind === 'filter') d.applyFilter('');
    return;
  }
  if (name === 'enter') {
    d.setPrompt(null);
    if (prompt.kind === 'command') runCommandLine(prompt.value, d);
    return;
  }
  if (name === 'backspace') {
    setValue(prompt.value.slice(0, -1));
    return;
  }
  // A paste is inserted whole: its newlines never submit.
  const text = typedText(key);
  if (text !== null) setValue(prompt.value + text);
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
    if (name === 'esc') set((v) => ({ ...v, searchInput: null }));
    else if (name === 'enter') {
      const search = viewer.searchInput;
      const at = findLine(lines, search, current, 1);
      set((v) => ({ ...v, search, searchInput: null, ...(at >= 0 ? { offset: at, follow: false } : {}) }));
    } else if (name === 'backspace') set((v) => ({ ...v, searchInput: (v.searchInput ?? '').slice(0, -1) }));
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
