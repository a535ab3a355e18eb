import { parseArgs } from 'node:util';

export interface CliOptions {
  command: 'console' | 'snapshot' | 'version' | 'help';
  json: boolean;
  context: string | null;
  host: string | null;
  insecure: boolean;
  readOnly: boolean;
  theme: string | null;
}

export class UsageError extends Error {}

/** Parses argv (without node and script). Unknown options are a usage error, never ignored. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        version: { type: 'boolean', short: 'v' },
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        context: { type: 'string', short: 'c' },
        host: { type: 'string', short: 'H' },
        insecure: { type: 'boolean' },
        'read-only': { type: 'boolean' },
        theme: { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, positionals } = parsed;
  let command: CliOptions['command'] = 'console';
  if (values.version) command = 'version';
  else if (values.help) command = 'help';
  else if (positionals[0] === 'snapshot') command = 'snapshot';
  else if (positionals.length > 0) throw new UsageError(`unknown command: ${positionals[0]}`);
  return {
    command,
    json: values.json ?? false,
    context: values.context ?? null,
    host: values.host ?? null,
    insecure: values.insecure ?? false,
    readOnly: values['read-only'] ?? false,
    theme: values.theme ?? null,
  };
}
