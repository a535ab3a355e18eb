import { homedir } from 'node:os';
import { join } from 'node:path';
import { NoKeychain, OsKeychain, SecretStore, type Keychain } from '../../config/keychain.js';
import { defaultPrompter, NonInteractivePrompter, type Prompter } from '../../config/prompter.js';
import { printable } from '../../text/printable.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Everything a connector needs from the outside world; defaults read the operator's own files. */
export interface ConnectOptions {
  prompter?: Prompter;
  keychain?: Keychain;
  /** Where one-time notices go (no keychain, stale stored secret...). Default: stderr. */
  notice?: (message: string) => void;
  env?: Env;
  home?: string;
  /** ~/.ssh/config by default. */
  sshConfigFile?: string;
  /** ~/.ssh/known_hosts and /etc/ssh/ssh_known_hosts by default; accepted keys go to the first. */
  knownHostsFiles?: readonly string[];
  /** Time to establish a transport and get an answer to /_ping. */
  connectTimeoutMs?: number;
}

export interface ResolvedOptions {
  prompter: Prompter;
  secrets: SecretStore;
  notice: (message: string) => void;
  env: Env;
  home: string;
  sshConfigFile: string;
  knownHostsFiles: readonly string[];
  connectTimeoutMs: number;
}

export function resolveOptions(o: ConnectOptions = {}): ResolvedOptions {
  const env = o.env ?? process.env;
  const home = o.home ?? env.HOME ?? homedir();
  const prompter = o.prompter ?? new NonInteractivePrompter();
  // Notices quote SSH servers and engines (a refused channel's reason): cleaned like every outside text.
  const notice = o.notice ?? ((m: string) => void process.stderr.write(`swarmtop: ${printable(m)}\n`));
  return {
    prompter,
    secrets: new SecretStore(o.keychain ?? new NoKeychain(), prompter, notice),
    notice,
    env,
    home,
    sshConfigFile: o.sshConfigFile ?? join(home, '.ssh', 'config'),
    knownHostsFiles: o.knownHostsFiles ?? [join(home, '.ssh', 'known_hosts'), '/etc/ssh/ssh_known_hosts'],
    connectTimeoutMs: o.connectTimeoutMs ?? 15_000,
  };
}

/**
 * What the app uses: the OS keychain and a TTY prompter when stdin is a terminal (before Ink takes
 * it), else a prompter that fails with a clear message. Tests pass their own.
 */
export function interactiveConnectOptions(): ConnectOptions {
  return { keychain: new OsKeychain(), prompter: defaultPrompter() };
}
