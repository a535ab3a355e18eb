import { ConfigError } from '../config/context.js';
import { OsKeychain } from '../config/keychain.js';
import { createConnector, interactiveConnectOptions } from '../docker/connect/index.js';
import { UsageError, parseCliArgs } from './args.js';
import { runConsoleSession } from './console-session.js';
import { fleetEntries, runFleetSnapshot } from './fleet-snapshot.js';
import { runGroup } from './groups.js';
import { settingsSchema } from './schema.js';
import { runSnapshot } from './snapshot.js';
import { TargetError, resolveTarget } from './target.js';
import { USAGE } from './usage.js';
import { packageVersion, verboseVersion } from './version.js';
import { InvalidThemeError, loadTheme } from '../ui/theme.js';

/** A wrong option value (an unknown --theme): said before anything connects, exit code 2. */
class OptionError extends Error {}

/**
 * --theme is checked before the first connection attempt (which may wait 15 s on a silent endpoint),
 * for every command: snapshot prints JSON without colours, but a theme that does not exist is still a
 * mistake the operator wants to hear about, not one to ignore.
 */
function checkThemeOption(name: string | null): void {
  if (name === null) return;
  try {
    loadTheme(name);
  } catch (err) {
    // An invalid theme file is not the operator's typo: the console falls back to the default and says why.
    if (err instanceof InvalidThemeError) return;
    throw new OptionError(`--theme: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Entry point for bin/swarmtop: returns the process exit code. Bad input is a message, never a stack. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const opts = parseCliArgs(argv);
    if (opts.command !== 'help' && opts.command !== 'version' && opts.command !== 'schema') checkThemeOption(opts.theme);
    switch (opts.command) {
      case 'version':
        process.stdout.write(`swarmtop ${packageVersion()}\n`);
        if (opts.verbose) process.stdout.write(await verboseVersion());
        return 0;
      case 'help':
        process.stdout.write(USAGE);
        return 0;
      case 'snapshot':
        if (!opts.json) throw new UsageError('snapshot prints JSON only: add --json');
        // Contexts are read side by side: no question can be asked on the terminal (keychain and agent only).
        if (opts.fleet) return await runFleetSnapshot(fleetEntries(opts), createConnector({ keychain: new OsKeychain() }), process.stdout);
        return await runSnapshot(resolveTarget(opts), createConnector(interactiveConnectOptions()), process.stdout);
      case 'console':
        return await runConsoleSession(opts);
      case 'group':
        return await runGroup(opts);
      case 'schema':
        process.stdout.write(`${JSON.stringify(await settingsSchema(opts.schema ?? 'keys'), null, 2)}\n`);
        return 0;
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`swarmtop: ${err.message}\n\n${USAGE}`);
      return 2;
    }
    if (err instanceof TargetError || err instanceof ConfigError || err instanceof OptionError) {
      process.stderr.write(`swarmtop: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
