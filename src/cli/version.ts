import { readFileSync } from 'node:fs';

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
