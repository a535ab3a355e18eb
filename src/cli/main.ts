import { packageVersion } from './version.js';
import { USAGE } from './usage.js';

/** Entry point for bin/swarmtop: returns the process exit code. */
export function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--version') || argv.includes('-v')) {
    process.stdout.write(`swarmtop ${packageVersion()}\n`);
    return Promise.resolve(0);
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return Promise.resolve(0);
  }
  process.stderr.write('swarmtop: the console is not built yet\n');
  return Promise.resolve(1);
}
