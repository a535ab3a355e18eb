import type { ActionSpec } from '../actions/types.js';
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
};

export type ParsedCommand =
  | { kind: 'pane'; pane: PaneId }
  | { kind: 'ctx'; name: string | null }
  | { kind: 'quit' }
  | { kind: 'help' }
  /** The tasks of a service (or the tasks pane) by live CPU or memory, highest first. */
  | { kind: 'top'; by: 'cpu' | 'mem' }
  | { kind: 'action'; id: string; arg: string | null }
  | { kind: 'error'; message: string };

export function parseCommand(line: string, actions: readonly Pick<ActionSpec, 'id' | 'command'>[]): ParsedCommand {
  const trimmed = line.trim().replace(/^:/, '');
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const arg = rest.join(' ').trim();
  if (word === '') return { kind: 'error', message: 'empty command' };
  if (word === 'q' || word === 'quit' || word === 'q!') return { kind: 'quit' };
  if (word === 'help') return { kind: 'help' };
  if (word === 'ctx' || word === 'context') return { kind: 'ctx', name: arg === '' ? null : arg };
  if (word === 'top') {
    if (arg !== '' && arg !== 'cpu' && arg !== 'mem') return { kind: 'error', message: `:top sorts by cpu or mem, not "${arg}"` };
    return { kind: 'top', by: arg === 'mem' ? 'mem' : 'cpu' };
  }
  const pane = PANE_COMMANDS[word];
  if (pane) return { kind: 'pane', pane };
  const action = actions.find((a) => a.command === word);
  if (action) return { kind: 'action', id: action.id, arg: arg === '' ? null : arg };
  return { kind: 'error', message: `unknown command :${word} (try :nodes :svc :tasks :stacks :secrets :configs :networks :swarm :top :ctx NAME :q)` };
}

/** Every command word, for the help and completion. */
export function commandWords(actions: readonly Pick<ActionSpec, 'command'>[]): string[] {
  return [':nodes', ':svc', ':tasks', ':stacks', ':secrets', ':configs', ':networks', ':swarm', ':top [cpu|mem]', ':ctx NAME', ':q', ...actions.map((a) => `:${a.command}`)];
}
