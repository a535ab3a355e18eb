import { appendFileSync } from 'node:fs';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The debug log: lines appended to the file SWARMTOP_DEBUG_LOG names, when it names one (nothing is
 * written otherwise). For what an operator cannot see on the screen and a bug report needs: which
 * frame builder runs, which settings files were read. Never a secret. A log that cannot be written is
 * not worth stopping the console for: the line is dropped.
 */
export function debugLog(line: string, env: Env = process.env): void {
  const file = env.SWARMTOP_DEBUG_LOG;
  if (!file) return;
  try {
    appendFileSync(file, `${new Date().toISOString()} ${line}\n`, { mode: 0o600 });
  } catch {
    // Dropped: see above.
  }
}
