import { readFileSync } from 'node:fs';
import { keysFile, userThemesDir } from '../config/paths.js';

/** The package version, read from package.json next to dist/ or src/ (both are one level below the root). */
export function packageVersion(): string {
  try {
    const raw = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
    const parsed: unknown = JSON.parse(raw);
    if (parsed && typeof parsed === 'object' && 'version' in parsed && typeof parsed.version === 'string') return parsed.version;
  } catch {
    // Fall through: a broken install still answers --version.
  }
  return 'unknown';
}

/**
 * What `--version --verbose` adds: the runtime, the Ink the console draws with and whether the frame
 * patch is active on it (a bug report then says which frame builder ran), and where settings are read.
 */
export async function verboseVersion(): Promise<string> {
  const { describeRowReuse, installRowReuse, rowReuseStatus } = await import('../ui/ink/row-reuse.js');
  await installRowReuse();
  return [
    `node ${process.version}`,
    describeRowReuse(rowReuseStatus()),
    `keys: ${keysFile()}`,
    `user themes: ${userThemesDir()}`,
    '',
  ].join('\n');
}
