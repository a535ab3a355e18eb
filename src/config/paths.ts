import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

/** $XDG_CONFIG_HOME/swarmtop (contexts, settings). Never holds a secret. */
export function configDir(env: Env = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'swarmtop');
}

/** The user's keymap and `:` aliases. */
export function keysFile(env: Env = process.env): string {
  return join(configDir(env), 'keys.yaml');
}

/** The user's themes, beside the bundled ones. */
export function userThemesDir(env: Env = process.env): string {
  return join(configDir(env), 'themes');
}

/** $XDG_STATE_HOME/swarmtop (audit log). */
export function stateDir(env: Env = process.env): string {
  return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'swarmtop');
}

export function contextsFile(env: Env = process.env): string {
  return join(configDir(env), 'contexts.yaml');
}

export function auditLogFile(env: Env = process.env): string {
  return join(stateDir(env), 'audit.jsonl');
}

/** Edited specs kept when the operator cancels (0600 files in a 0700 directory): nothing typed is lost. */
export function keptEditsDir(env: Env = process.env): string {
  return join(stateDir(env), 'edits');
}
