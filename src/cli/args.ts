import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface CliOptions {
  command: 'console' | 'snapshot' | 'version' | 'help' | 'group' | 'schema';
  json: boolean;
  context: string | null;
  host: string | null;
  insecure: boolean;
  readOnly: boolean;
  /** --no-audit: actions run without an audit log (the header says so). */
  noAudit: boolean;
  theme: string | null;
  /** --fleet: every context at once (the console opens on the fleet; snapshot prints every context). */
  fleet: boolean;
  /** --version --verbose: also the runtime, Ink and whether the frame patch is active. */
  verbose?: boolean;
  /** command 'schema': which settings file's JSON schema to print. */
  schema?: SchemaName;
  /** command 'group': the group word (`service`, `stack`, `secret`...) and everything after it, unparsed. */
  group?: { name: string; argv: readonly string[] };
}

export class UsageError extends Error {}

/** The settings files whose JSON schema `swarmtop schema NAME` prints. */
export const SCHEMA_NAMES = ['keys', 'theme'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** Script-facing subcommand groups (`swarmtop stack deploy ...`); each parses its own arguments. */
export const GROUP_NAMES: readonly string[] = ['service', 'stack', 'secret', 'config', 'bundle'];

type Options = NonNullable<ParseArgsConfig['options']>;

/** The connection options every command takes. Groups take them long-form only (`-c` is theirs to use). */
const CONNECTION_OPTIONS = {
  context: { type: 'string' },
  host: { type: 'string', short: 'H' },
  insecure: { type: 'boolean' },
  'read-only': { type: 'boolean' },
  'no-audit': { type: 'boolean' },
} as const satisfies Options;

function strictParse<O extends Options>(argv: readonly string[], options: O) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, strict: true, options });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
}

const GLOBAL_OPTIONS = {
  version: { type: 'boolean', short: 'v' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' },
  ...CONNECTION_OPTIONS,
  context: { type: 'string', short: 'c' },
  theme: { type: 'string' },
  fleet: { type: 'boolean' },
} as const satisfies Options;

/** Index in argv of the first word that is not an option or an option's value (-1: none). */
function firstPositional(argv: readonly string[]): number {
  const { tokens } = parseArgs({ args: [...argv], allowPositionals: true, strict: false, tokens: true, options: GLOBAL_OPTIONS });
  return tokens.find((t) => t.kind === 'positional')?.index ?? -1;
}

/** Parses argv (without node and script). Unknown options are a usage error, never ignored. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  // A group owns everything after its word: `swarmtop stack deploy -c FILE` must not see -c as --context.
  const groupAt = firstPositional(argv);
  if (groupAt >= 0 && GROUP_NAMES.includes(argv[groupAt] as string)) {
    const before = parseCliArgs(argv.slice(0, groupAt));
    if (before.command !== 'console') throw new UsageError(`${argv[groupAt]}: unexpected ${before.command} before the command`);
    return { ...before, command: 'group', group: { name: argv[groupAt] as string, argv: argv.slice(groupAt + 1) } };
  }
  const { values, positionals } = strictParse(argv, GLOBAL_OPTIONS);
  if (values.verbose && !values.version) throw new UsageError('--verbose goes with --version');
  let command: CliOptions['command'] = 'console';
  if (values.version) command = 'version';
  else if (values.help) command = 'help';
  else if (positionals[0] === 'snapshot') command = 'snapshot';
  else if (positionals[0] === 'schema') {
    const name = positionals[1];
    if (!(SCHEMA_NAMES as readonly (string | undefined)[]).includes(name) || positionals.length > 2) {
      throw new UsageError(`schema: which one? ${SCHEMA_NAMES.join(' or ')}`);
    }
    command = 'schema';
  } else if (positionals.length > 0) throw new UsageError(`unknown command: ${positionals[0]}`);
  return {
    command,
    json: values.json ?? false,
    context: values.context ?? null,
    host: values.host ?? null,
    insecure: values.insecure ?? false,
    readOnly: values['read-only'] ?? false,
    noAudit: values['no-audit'] ?? false,
    theme: values.theme ?? null,
    fleet: values.fleet ?? false,
    ...(command === 'schema' ? { schema: positionals[1] as SchemaName } : {}),
    ...(values.verbose ? { verbose: true } : {}),
  };
}

export type OptionValue = string | boolean | (string | boolean)[] | undefined;

export interface GroupArgs {
  /** The connection options, merged over those given before the group word. */
  connection: CliOptions;
  /** The group's own options by long name (multiple: true ones as arrays). */
  values: Readonly<Record<string, OptionValue>>;
  positionals: string[];
}

/**
 * Parses a group's own arguments (after `swarmtop GROUP`): its options plus the long connection options,
 * which may stand anywhere (`swarmtop stack deploy -c f.yml web --context prod`).
 */
export function parseGroupArgs(base: CliOptions, argv: readonly string[], options: Options): GroupArgs {
  const parsed = strictParse(argv, { ...options, ...CONNECTION_OPTIONS });
  const v: Readonly<Record<string, OptionValue>> = parsed.values;
  const str = (k: string): string | null => {
    const x = v[k];
    return typeof x === 'string' ? x : null;
  };
  const connection: CliOptions = {
    ...base,
    context: str('context') ?? base.context,
    host: str('host') ?? base.host,
    insecure: v.insecure === true || base.insecure,
    readOnly: v['read-only'] === true || base.readOnly,
    noAudit: v['no-audit'] === true || base.noAudit,
  };
  return { connection, values: v, positionals: parsed.positionals };
}
