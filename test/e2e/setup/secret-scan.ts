/**
 * The security scan: which secret values appear in which files. Used on everything swarmtop writes
 * (config and state dirs, the audit log, incident bundles), byte for byte (latin1: nothing is decoded away).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir`, except under the directories in `skip`. */
export function filesUnder(dir: string, skip: readonly string[] = []): string[] {
  if (!existsSync(dir) || skip.includes(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    const st = statSync(p);
    return st.isDirectory() ? filesUnder(p, skip) : st.isFile() ? [p] : [];
  });
}

/** "WHAT in FILE" for every secret value found in a file; empty when none leaked. */
export function leaksIn(files: readonly string[], secrets: Readonly<Record<string, string>>): string[] {
  const leaks: string[] = [];
  for (const file of files) {
    const text = readFileSync(file).toString('latin1');
    for (const [what, value] of Object.entries(secrets)) if (value !== '' && text.includes(value)) leaks.push(`${what} in ${file}`);
  }
  return leaks;
}
