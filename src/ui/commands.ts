import type { ActionSpec } from '../actions/types.js';
import type { FleetTable } from './fleet/types.js';
import type { PaneId } from './panes/types.js';

/** `:` commands. Pane names accept the k9s-style short forms too. */
export const PANE_COMMANDS: Readonly<Record<string, PaneId>> = {
  nodes: 'nodes', node: 'nodes', no: 'nodes',
  svc: 'services', services: 'services', service: 'services',
  tasks: 'tasks', task: 'tasks', ps: 'tasks',
  stacks: 'stacks', stack: 'stacks',
  secrets: 'secrets', secret: 'secrets',
  configs: 'configs', config: 'configs',
  networks: 'networks', network: 'networks', net: 'networks',
  swarm: 'swarm',
  events: 'timeline', timeline: 'timeline', ev: 'timeline',
};

/** A window like 30m, 2h, 90s, 1d. */
export const DURATION = /^\d+(?:s|m|h|d)$/;

export type ParsedCommand =
  | { kind: 'pane'; pane: PaneId }
  | { kind: 'ctx'; name: string | null }
  /** :fleet, or a pane across every context (:svc --all, :nodes --all). */
  | { kind: 'fleet'; table: FleetTable }
  | { kind: 'quit' }
  | { kind: 'help' }
  /** The tasks of a service (or the tasks pane) by live CPU or memory, highest first. */
  | { kind: 'top'; by: 'cpu' | 'mem' }
  | { kind: 'action'; id: string; arg: string | null }
  /** `:bundle [30m] [FILE]`: an incident bundle of the window, written to FILE (or a name in the current directory). */
  | { kind: 'bundle'; since: string | null; file: string | null }
  | { kind: 'error'; message: string };

/** The words the console knows before any alias: panes, contexts, quit, help and the actions' commands. */
export function isCommandWord(word: string, actions: readonly Pick<ActionSpec, 'command'>[]): boolean {
  return ['q', 'quit', 'q!', 'help', 'ctx', 'context'].includes(word) || word in PANE_COMMANDS || actions.some((a) => a.command === word);
}

/**
 * A `:` line as a command. An alias (keys.yaml: `dr: drain`) stands for its line, the words typed after
 * it appended (`:sc 3` with `sc: scale` is `:scale 3`); aliases name commands, never other aliases.
 */
export function parseCommand(line: string, actions: readonly Pick<ActionSpec, 'id' | 'command'>[], aliases: Readonly<Record<string, string>> = {}): ParsedCommand {
  const trimmed = line.trim().replace(/^:/, '');
  const [typed = '', ...typedRest] = trimmed.split(/\s+/);
  const alias = Object.hasOwn(aliases, typed) ? aliases[typed] : undefined;
  const [word = '', ...rest] = alias === undefined ? [typed, ...typedRest] : [...alias.trim().split(/\s+/), ...typedRest];
  const arg = rest.join(' ').trim();
  if (word === '') return { kind: 'error', message: 'empty command' };
  if (word === 'q' || word === 'quit' || word === 'q!') return { kind: 'quit' };
  if (word === 'help') return { kind: 'help' };
  if (word === 'ctx' || word === 'context') return { kind: 'ctx', name: arg === '' ? null : arg };
  if (word === 'bundle') {
    const since = rest.find((w) => DURATION.test(w)) ?? null;
    const file = rest.find((w) => w !== since) ?? null;
    return { kind: 'bundle', since, file };
  }
  if (word === 'fleet') return { kind: 'fleet', table: 'fleet' };
  if (word === 'top') {
    if (arg !== '' && arg !== 'cpu' && arg !== 'mem') return { kind: 'error', message: `:top sorts by cpu or mem, not "${arg}"` };
    return { kind: 'top', by: arg === 'mem' ? 'mem' : 'cpu' };
  }
  const pane = PANE_COMMANDS[word];
  if (pane && arg === '--all') {
    if (pane === 'services' || pane === 'nodes') return { kind: 'fleet', table: pane };
    return { kind: 'error', message: `:${word} --all: only :svc --all and :nodes --all list every context` };
  }
  if (pane) return { kind: 'pane', pane };
  const action = actions.find((a) => a.command === word);
  if (action) return { kind: 'action', id: action.id, arg: arg === '' ? null : arg };
  return { kind: 'error', message: `unknown command :${word} (try :nodes :svc :tasks :stacks :secrets :configs :networks :swarm :events :bundle :top :fleet :svc --all :ctx NAME :q)` };
}

/** Every command word, for the help and completion. */
export function commandWords(actions: readonly Pick<ActionSpec, 'command'>[], aliases: Readonly<Record<string, string>> = {}): string[] {
  return [
    ':nodes', ':svc', ':tasks', ':stacks', ':secrets', ':configs', ':networks', ':swarm', ':events', ':bundle [30m] [FILE]', ':top [cpu|mem]', ':fleet', ':svc --all', ':nodes --all',
    ':ctx NAME', ':q', ...actions.map((a) => `:${a.command}`),
    ...Object.entries(aliases).map(([alias, to]) => `:${alias} (:${to})`),
  ];
}
