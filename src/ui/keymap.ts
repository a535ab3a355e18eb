import type { ActionSpec, TargetKind } from '../actions/types.js';
import { PANES, PANE_TITLE, type PaneId } from './panes/types.js';

/**
 * THE keymap: one table that drives input handling, the footer hints, the `?` help and the README
 * "Keys" section. Action keys come from the ActionSpec declarations, never typed twice.
 */

export type Command =
  | { kind: 'quit' } | { kind: 'help' } | { kind: 'command-mode' } | { kind: 'filter' } | { kind: 'back' }
  | { kind: 'drill' } | { kind: 'move'; by: number } | { kind: 'top' } | { kind: 'bottom' } | { kind: 'page'; dir: 1 | -1 }
  | { kind: 'sort-next' } | { kind: 'sort-reverse' } | { kind: 'inspect' } | { kind: 'logs' } | { kind: 'rollout' } | { kind: 'toggle-history' }
  | { kind: 'pane'; pane: PaneId } | { kind: 'fleet' } | { kind: 'copy' } | { kind: 'action'; id: string }
  | { kind: 'search' } | { kind: 'search-next'; dir: 1 | -1 }
  | { kind: 'toggle-follow' } | { kind: 'toggle-timestamps' } | { kind: 'toggle-wrap' } | { kind: 'toggle-prefix' }
  | { kind: 'confirm' } | { kind: 'cancel' } | { kind: 'erase' } | { kind: 'reveal-toggle' } | { kind: 'toggle-warnings' };

/**
 * Where a key applies: anywhere (global), the main panes, the inspect/logs viewers, typing a line (the `/`
 * filter, the `:` line, a search, a dialog's value), a dialog (confirming, a revealed secret) or the help.
 */
export type KeyContext = 'global' | 'main' | 'viewer' | 'logs' | 'input' | 'confirm' | 'running' | 'reveal' | 'help';

export const KEY_CONTEXTS: readonly KeyContext[] = ['global', 'main', 'viewer', 'logs', 'input', 'confirm', 'running', 'reveal', 'help'];

export interface Binding {
  keys: readonly string[];
  command: Command;
  /** The command's name in keys.yaml (an action's is its `:` command word). */
  name?: string;
  help: string;
  /** Short footer label; bindings without one appear only in the help. */
  hint?: string;
  context: KeyContext;
  /** Main context only: the panes where the key applies (all when absent). */
  panes?: readonly PaneId[];
  /** Section title in the help. */
  section: string;
  /** An action key whose action changes the cluster: not offered in a read-only console. */
  mutating?: boolean;
}

const NAV = 'Navigation';
const paneKeys: Binding[] = PANES.map((pane, i) => ({
  keys: [String(i + 1)], command: { kind: 'pane', pane }, help: `${PANE_TITLE[pane]} pane`, context: 'main', section: 'Panes',
}));

export const STATIC_BINDINGS: readonly Binding[] = [
  { keys: ['q'], command: { kind: 'quit' }, help: 'quit', hint: 'quit', context: 'main', section: 'Global' },
  { keys: ['ctrl-c'], command: { kind: 'quit' }, help: 'quit (anywhere)', context: 'global', section: 'Global' },
  { keys: ['?'], command: { kind: 'help' }, help: 'help (this screen)', hint: 'help', context: 'main', section: 'Global' },
  { keys: [':'], command: { kind: 'command-mode' }, help: 'command mode (:nodes :svc :ctx NAME :q, action commands)', hint: 'cmd', context: 'main', section: 'Global' },
  { keys: ['/'], command: { kind: 'filter' }, help: 'filter rows (space-separated terms)', hint: 'filter', context: 'main', section: 'Global' },
  { keys: ['esc'], command: { kind: 'back' }, help: 'clear filter, then back out of a drill-down, then back to the fleet', hint: 'back', context: 'main', section: 'Global' },
  { keys: ['enter'], command: { kind: 'drill' }, help: 'drill down (service/node → tasks, stack/secret/config/network → services, task → inspect, timeline entry → its object)', hint: 'open', context: 'main', section: NAV },
  { keys: ['j', 'down'], command: { kind: 'move', by: 1 }, help: 'move down', context: 'main', section: NAV },
  { keys: ['k', 'up'], command: { kind: 'move', by: -1 }, help: 'move up', context: 'main', section: NAV },
  { keys: ['g', 'home'], command: { kind: 'top' }, help: 'first row', context: 'main', section: NAV },
  { keys: ['G', 'end'], command: { kind: 'bottom' }, help: 'last row', context: 'main', section: NAV },
  { keys: ['pgdn', 'ctrl-d'], command: { kind: 'page', dir: 1 }, help: 'page down', context: 'main', section: NAV },
  { keys: ['pgup', 'ctrl-u'], command: { kind: 'page', dir: -1 }, help: 'page up', context: 'main', section: NAV },
  { keys: ['o'], command: { kind: 'sort-next' }, help: 'sort by the next column', hint: 'sort', context: 'main', section: NAV },
  { keys: ['O'], command: { kind: 'sort-reverse' }, help: 'reverse the sort order', context: 'main', section: NAV },
  { keys: ['y'], command: { kind: 'inspect' }, help: 'inspect the selected object (YAML)', hint: 'inspect', context: 'main', panes: PANES, section: NAV },
  { keys: ['l'], command: { kind: 'logs' }, help: 'logs of the selected service or task', hint: 'logs', context: 'main', panes: ['services', 'tasks', 'timeline'], section: NAV },
  { keys: ['h'], command: { kind: 'toggle-history' }, help: 'task history on/off: only the current task of each slot, as docker service ps --filter desired-state=running', hint: 'history', context: 'main', panes: ['tasks'], section: NAV },
  { keys: ['w'], command: { kind: 'toggle-warnings' }, help: 'warnings and errors only / everything', hint: 'warnings', context: 'main', panes: ['timeline'], section: 'Timeline' },
  { keys: ['r'], command: { kind: 'rollout' }, help: 'rollout view: the service update converging, task by task', hint: 'rollout', context: 'main', panes: ['services'], section: 'Service actions' },
  { keys: ['c'], command: { kind: 'copy' }, help: 'copy the revealed token (OSC 52)', hint: 'copy', context: 'main', panes: ['swarm'], section: 'Swarm actions' },
  ...paneKeys,
  { keys: ['0'], command: { kind: 'fleet' }, help: 'Fleet: every context at once (enter opens one, esc comes back)', context: 'main', section: 'Panes' },
  { keys: ['j', 'down'], command: { kind: 'move', by: 1 }, help: 'scroll down', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['k', 'up'], command: { kind: 'move', by: -1 }, help: 'scroll up', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['g', 'home'], command: { kind: 'top' }, help: 'top', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['G', 'end'], command: { kind: 'bottom' }, help: 'bottom', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['pgdn', 'ctrl-d'], command: { kind: 'page', dir: 1 }, help: 'page down', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['pgup', 'ctrl-u'], command: { kind: 'page', dir: -1 }, help: 'page up', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['/'], command: { kind: 'search' }, help: 'search', hint: 'search', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['n'], command: { kind: 'search-next', dir: 1 }, help: 'next match', hint: 'next', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['N'], command: { kind: 'search-next', dir: -1 }, help: 'previous match', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['esc', 'q'], command: { kind: 'back' }, help: 'close the view', hint: 'close', context: 'viewer', section: 'Inspect and logs' },
  { keys: ['f'], command: { kind: 'toggle-follow' }, help: 'follow new lines on/off', hint: 'follow', context: 'logs', section: 'Logs' },
  { keys: ['t'], command: { kind: 'toggle-timestamps' }, help: 'timestamps on/off', hint: 'time', context: 'logs', section: 'Logs' },
  { keys: ['w'], command: { kind: 'toggle-wrap' }, help: 'wrap long lines on/off', hint: 'wrap', context: 'logs', section: 'Logs' },
  { keys: ['p'], command: { kind: 'toggle-prefix' }, help: 'task prefix (service.slot.task@node, as docker service logs) on/off', hint: 'prefix', context: 'logs', section: 'Logs' },
  { keys: ['enter'], command: { kind: 'confirm' }, help: 'continue with the text typed (a dialog\'s value, the / filter, a : command, a search)', hint: 'continue', context: 'input', section: 'Typing' },
  { keys: ['esc'], command: { kind: 'cancel' }, help: 'cancel without doing anything', hint: 'cancel', context: 'input', section: 'Typing' },
  { keys: ['backspace'], command: { kind: 'erase' }, help: 'delete the last character', context: 'input', section: 'Typing' },
  { keys: ['y'], command: { kind: 'confirm' }, help: 'confirm (every key but y and the scrolling keys cancels)', hint: 'confirm', context: 'confirm', section: 'Dialogs' },
  { keys: ['j', 'down'], command: { kind: 'move', by: 1 }, help: 'scroll a long plan down', hint: 'scroll', context: 'confirm', section: 'Dialogs' },
  { keys: ['k', 'up'], command: { kind: 'move', by: -1 }, help: 'scroll a long plan up', context: 'confirm', section: 'Dialogs' },
  { keys: ['pgdn', 'ctrl-d'], command: { kind: 'page', dir: 1 }, help: 'a page of the plan down', context: 'confirm', section: 'Dialogs' },
  { keys: ['pgup', 'ctrl-u'], command: { kind: 'page', dir: -1 }, help: 'a page of the plan up', context: 'confirm', section: 'Dialogs' },
  { keys: ['g', 'home'], command: { kind: 'top' }, help: 'the plan\'s first line', context: 'confirm', section: 'Dialogs' },
  { keys: ['G', 'end'], command: { kind: 'bottom' }, help: 'the plan\'s last line', context: 'confirm', section: 'Dialogs' },
  { keys: ['esc', 'n', 'enter'], command: { kind: 'cancel' }, help: 'cancel (the default)', hint: 'cancel', context: 'confirm', section: 'Dialogs' },
  { keys: ['esc'], command: { kind: 'cancel' }, help: 'stop a long operation (a rotation) after its current step, nothing is undone; close its view once it ended', hint: 'stop', context: 'running', section: 'Dialogs' },
  { keys: ['v'], command: { kind: 'reveal-toggle' }, help: 'show / mask a revealed secret', hint: 'show', context: 'reveal', section: 'Dialogs' },
  { keys: ['c'], command: { kind: 'copy' }, help: 'copy the revealed secret to the clipboard (OSC 52)', hint: 'copy', context: 'reveal', section: 'Dialogs' },
  { keys: ['esc', 'q', 'enter'], command: { kind: 'back' }, help: 'close (the secret is kept, in memory only, for c until you leave the swarm pane)', hint: 'close', context: 'reveal', section: 'Dialogs' },
  { keys: ['esc', 'q', '?'], command: { kind: 'back' }, help: 'close the help', hint: 'close', context: 'help', section: 'Help' },
  { keys: ['j', 'down'], command: { kind: 'move', by: 1 }, help: 'scroll down', context: 'help', section: 'Help' },
  { keys: ['k', 'up'], command: { kind: 'move', by: -1 }, help: 'scroll up', context: 'help', section: 'Help' },
];

export const TARGET_PANE: Readonly<Record<TargetKind, PaneId>> = {
  node: 'nodes', service: 'services', task: 'tasks', stack: 'stacks', secret: 'secrets', config: 'configs',
  network: 'networks', swarm: 'swarm',
};

const SECTION_OF_TARGET: Readonly<Record<TargetKind, string>> = {
  node: 'Node actions', service: 'Service actions', task: 'Task actions', stack: 'Stack actions',
  secret: 'Secret actions', config: 'Config actions', network: 'Network actions', swarm: 'Swarm actions',
};

export interface Keymap {
  bindings: readonly Binding[];
  /** Action keys refused because a navigation key already uses them in that pane. */
  conflicts: readonly string[];
  lookup(context: KeyContext, pane: PaneId | null, key: string): Command | null;
}

/**
 * The user's changes to the table (keys.yaml, see keys/user.ts): per context, a command's name and the
 * keys that replace its keys there; and `:` aliases, each naming the command line it stands for.
 */
export interface KeyOverrides {
  bind: Partial<Record<KeyContext, Readonly<Record<string, readonly string[]>>>>;
  aliases: Readonly<Record<string, string>>;
}

export const NO_OVERRIDES: KeyOverrides = { bind: {}, aliases: {} };

/** A command's name in keys.yaml: its kind, with the direction or pane spelled out where it has one. */
export function commandName(cmd: Command): string {
  switch (cmd.kind) {
    case 'move': return cmd.by > 0 ? 'down' : 'up';
    case 'page': return cmd.dir > 0 ? 'page-down' : 'page-up';
    case 'search-next': return cmd.dir > 0 ? 'search-next' : 'search-prev';
    case 'pane': return `pane-${cmd.pane}`;
    case 'action': return cmd.id;
    default: return cmd.kind;
  }
}

export function bindingName(b: Binding): string {
  return b.name ?? commandName(b.command);
}

/** Whether two bindings of a context can both see a key: in the main context, when their panes overlap. */
export function overlaps(a: Binding, b: Binding): boolean {
  if (a.context !== b.context) return false;
  if (a.panes === undefined || b.panes === undefined) return true;
  return a.panes.some((p) => b.panes?.includes(p) === true);
}

function applies(b: Binding, context: KeyContext, pane: PaneId | null): boolean {
  return b.context === context && (b.panes === undefined || (pane !== null && b.panes.includes(pane)));
}

type KeymapAction = Pick<ActionSpec, 'id' | 'key' | 'label' | 'targets'> & { command?: string; footer?: boolean; mutating?: boolean };

/**
 * Every binding, the user's keys applied, before action keys are checked against the others: the static
 * table, then one binding per action. A command rebound in a context takes the new keys in its first
 * binding there and loses the others (main's quit is one command, whatever keys it had).
 */
export function allBindings(actions: readonly KeymapAction[], overrides: KeyOverrides = NO_OVERRIDES): Binding[] {
  const replaced = new Set<string>();
  const rebind = (b: Binding): Binding | null => {
    const name = bindingName(b);
    const keys = overrides.bind[b.context]?.[name];
    if (keys === undefined) return b;
    const id = `${b.context}/${name}`;
    if (replaced.has(id)) return null;
    replaced.add(id);
    return { ...b, keys };
  };
  const out: Binding[] = [];
  for (const b of STATIC_BINDINGS) {
    const r = rebind(b);
    if (r) out.push(r);
  }
  for (const a of actions) {
    const name = a.command || a.id;
    const b = rebind({
      keys: [a.key], command: { kind: 'action', id: a.id }, name, help: a.label,
      // The `:` command name: distinct where labels are not ("Rotate the worker…", "Rotate the CA"), and it teaches the command.
      ...(a.footer === false ? {} : { hint: name }),
      context: 'main', panes: [TARGET_PANE[a.targets]], section: SECTION_OF_TARGET[a.targets], mutating: a.mutating === true,
    });
    if (b) out.push(b);
  }
  return out;
}

export function buildKeymap(actions: readonly KeymapAction[], overrides: KeyOverrides = NO_OVERRIDES): Keymap {
  const bindings: Binding[] = [];
  const conflicts: string[] = [];
  for (const b of allBindings(actions, overrides)) {
    if (b.command.kind === 'action') {
      const pane = b.panes?.[0] ?? null;
      const taken = bindings.find((o) => o.keys.some((k) => b.keys.includes(k)) && applies(o, 'main', pane));
      if (taken) {
        const key = b.keys.find((k) => taken.keys.includes(k)) ?? '';
        conflicts.push(`${b.command.id}: key ${key} is already "${taken.help}" in ${pane ?? ''}`);
        continue;
      }
    }
    bindings.push(b);
  }
  const index = new Map<string, Binding[]>();
  for (const b of bindings) {
    for (const k of b.keys) index.set(k, [...(index.get(k) ?? []), b]);
  }
  return {
    bindings,
    conflicts,
    lookup(context, pane, key) {
      const found = index.get(key)?.filter((b) => applies(b, context, pane)) ?? [];
      // A pane-specific binding wins over a global one with the same key.
      const specific = found.find((b) => b.panes !== undefined);
      return (specific ?? found[0])?.command ?? null;
    },
  };
}

/**
 * What a key does to a line being typed (the `/` filter, the `:` line, a search, a dialog's value):
 * submit, cancel, erase, or nothing (then it types its text, if any). A paste is always text.
 */
export function editCommand(keymap: Keymap, key: { kind: 'key'; name: string } | { kind: 'paste' }): 'confirm' | 'cancel' | 'erase' | null {
  if (key.kind === 'paste') return null;
  const kind = keymap.lookup('input', null, key.name)?.kind;
  return kind === 'confirm' || kind === 'cancel' || kind === 'erase' ? kind : null;
}

export interface Hint {
  key: string;
  label: string;
}

/** Whether a binding is offered: in a read-only console no key of an action that changes the cluster is. */
function offered(b: Binding, readOnly: boolean): boolean {
  return !(readOnly && b.mutating === true);
}

/** Footer hints for a context (and pane): pane-specific keys first, then the global ones. */
export function footerHints(keymap: Keymap, context: KeyContext, pane: PaneId | null, readOnly = false): Hint[] {
  const usable = keymap.bindings.filter((b) => b.hint !== undefined && applies(b, context, pane) && offered(b, readOnly));
  const ordered = [...usable.filter((b) => b.panes !== undefined), ...usable.filter((b) => b.panes === undefined)];
  return ordered.map((b) => ({ key: b.keys[0] ?? '', label: b.hint ?? '' }));
}

/**
 * The rollout view is the tasks of one service, but the service's own action keys (R roll back, U resume,
 * s, F...) act on that service there: they win over the tasks pane's keys.
 */
export function lookupMain(keymap: Keymap, pane: PaneId, rollout: boolean, key: string): Command | null {
  if (rollout) {
    const cmd = keymap.lookup('main', 'services', key);
    if (cmd?.kind === 'action') return cmd;
  }
  return keymap.lookup('main', pane, key);
}

/** Footer hints of the main context; in the rollout view the service's action keys come first. */
export function mainHints(keymap: Keymap, pane: PaneId, rollout: boolean, readOnly = false): Hint[] {
  if (!rollout) return footerHints(keymap, 'main', pane, readOnly);
  const actions = keymap.bindings.filter((b) => b.command.kind === 'action' && b.hint !== undefined && applies(b, 'main', 'services') && offered(b, readOnly));
  return [...actions.map((b) => ({ key: b.keys[0] ?? '', label: b.hint ?? '' })), ...footerHints(keymap, 'main', null, readOnly)];
}

export interface HelpSection {
  title: string;
  /** name: the command's name in keys.yaml, context: where keys.yaml binds it. */
  rows: { keys: string; help: string; where: string; name: string; context: KeyContext }[];
  /** Keys listed but not usable here (shown greyed): the mutating ones of a read-only console. */
  disabled?: boolean;
}

/** The help's section for the keys a read-only console refuses. */
export const READ_ONLY_SECTION = 'Disabled: read-only';

const CONTEXT_ORDER: readonly KeyContext[] = ['global', 'main', 'viewer', 'logs', 'input', 'confirm', 'running', 'reveal', 'help'];

/**
 * The help and the README, grouped in sections, in table order. In a read-only console the keys of
 * actions that change the cluster are gathered last, in their own section, listed as disabled.
 */
export function helpSections(keymap: Keymap, readOnly = false): HelpSection[] {
  const sections = new Map<string, HelpSection>();
  const disabled: HelpSection = { title: READ_ONLY_SECTION, rows: [], disabled: true };
  const sorted = [...keymap.bindings].sort((a, b) => CONTEXT_ORDER.indexOf(a.context) - CONTEXT_ORDER.indexOf(b.context));
  for (const b of sorted) {
    let s = offered(b, readOnly) ? sections.get(b.section) : disabled;
    if (!s) {
      s = { title: b.section, rows: [] };
      sections.set(b.section, s);
    }
    const where = b.context === 'main' ? (b.panes && b.panes.length < PANES.length ? b.panes.join(', ') : '') : '';
    s.rows.push({ keys: b.keys.join(' '), help: b.help, where, name: bindingName(b), context: b.context });
  }
  return [...sections.values(), ...(disabled.rows.length > 0 ? [disabled] : [])];
}
