import { UsageError, type CliOptions } from './args.js';

/** What a script-facing subcommand gets: the parsed global options and its own argv. */
export interface GroupInvocation {
  options: CliOptions;
  /** Everything after `swarmtop GROUP`, e.g. ['deploy', '-c', 'stack.yml', 'web']. */
  argv: readonly string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface CommandGroup {
  /** One line per verb for the usage text, e.g. "stack deploy -c FILE NAME   deploy a compose file". */
  usage: readonly string[];
  run(invocation: GroupInvocation): Promise<number>;
}

/**
 * The groups, by name (args.ts GROUP_NAMES lists the words). Each lives in its own file and is
 * imported lazily, so `swarmtop` (the console) loads none of them.
 */
const GROUPS: Readonly<Record<string, () => Promise<CommandGroup>>> = {
  service: async () => (await import('./service.js')).serviceGroup,
  stack: async () => (await import('./stack.js')).stackGroup,
  secret: () => import('./secret-group.js').then((m) => m.secretGroup('secret')),
  config: () => import('./secret-group.js').then((m) => m.secretGroup('config')),
  bundle: () => import('./bundle/command.js').then((m) => m.bundleGroup),
};

export async function runGroup(options: CliOptions): Promise<number> {
  const group = options.group;
  if (!group) throw new UsageError('no command');
  const load = GROUPS[group.name];
  if (!load) throw new UsageError(`${group.name}: not available in this version`);
  const g = await load();
  return g.run({ options, argv: group.argv, stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
}
