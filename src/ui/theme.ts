import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Themes are semantic tokens over a palette (themes/*.json): components ask for "warn" or "leader", never
 * for a colour, so a theme can restyle everything and the no-color theme can turn colour off entirely.
 */
export const THEME_TOKENS = [
  'text', 'muted', 'accent', 'title', 'border', 'key', 'ok', 'warn', 'error', 'info', 'leader',
  'stale', 'readOnly', 'insecureFg', 'insecureBg', 'danger', 'match', 'dialogBorder', 'header',
] as const;

export type ThemeToken = (typeof THEME_TOKENS)[number];

export interface Theme {
  name: string;
  /** Ink colour for a token; undefined means "terminal default" (always the case in no-color). */
  color(token: ThemeToken): string | undefined;
  /** No colour at all: emphasis only through bold/inverse. */
  monochrome: boolean;
}

export const DEFAULT_THEME = 'default';
export const NO_COLOR_THEME = 'no-color';

const NAMED_COLOURS = new Set([
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
]);

/** "none" (no colour), a named ANSI colour, or #rrggbb. */
export function isValidColour(value: unknown): boolean {
  return typeof value === 'string' && (value === 'none' || NAMED_COLOURS.has(value) || /^#[0-9a-fA-F]{6}$/.test(value));
}

export interface ThemeFile {
  name: string;
  description?: string;
  palette: Record<string, string>;
  tokens: Record<ThemeToken, string>;
}

/** Every problem with a theme file, in words; empty when valid. */
export function validateTheme(raw: unknown): string[] {
  const problems: string[] = [];
  if (raw === null || typeof raw !== 'object') return ['theme is not an object'];
  const obj = raw as Record<string, unknown>;
  if (typeof obj.name !== 'string' || obj.name === '') problems.push('name missing');
  const palette = obj.palette;
  const tokens = obj.tokens;
  if (palette === null || typeof palette !== 'object') return [...problems, 'palette missing'];
  if (tokens === null || typeof tokens !== 'object') return [...problems, 'tokens missing'];
  const pal = palette as Record<string, unknown>;
  for (const [name, value] of Object.entries(pal)) {
    if (!isValidColour(value)) problems.push(`palette.${name}: invalid colour ${JSON.stringify(value)}`);
  }
  const tok = tokens as Record<string, unknown>;
  for (const token of THEME_TOKENS) {
    const ref = tok[token];
    if (typeof ref !== 'string') problems.push(`token ${token} missing`);
    else if (!(ref in pal)) problems.push(`token ${token} refers to unknown palette entry ${ref}`);
  }
  for (const token of Object.keys(tok)) {
    if (!(THEME_TOKENS as readonly string[]).includes(token)) problems.push(`unknown token ${token}`);
  }
  return problems;
}

/** themes/ sits two levels above this file both in src/ui and in dist/ui. */
export function themesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'themes');
}

export function listThemes(dir = themesDir()): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

export function themeFromFile(file: ThemeFile): Theme {
  const monochrome = THEME_TOKENS.every((t) => file.palette[file.tokens[t]] === 'none');
  return {
    name: file.name,
    monochrome,
    color(token) {
      const value = file.palette[file.tokens[token]];
      return value === undefined || value === 'none' ? undefined : value;
    },
  };
}

export const MONOCHROME: Theme = { name: NO_COLOR_THEME, monochrome: true, color: () => undefined };

/** Loads a theme by name; an unknown or invalid theme is an error the caller shows (never a silent fallback). */
export function loadTheme(name: string, dir = themesDir()): Theme {
  if (!/^[a-z0-9-]+$/i.test(name)) throw new Error(`invalid theme name: ${name}`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8'));
  } catch (err) {
    if (name === NO_COLOR_THEME) return MONOCHROME;
    const available = listThemes(dir).join(', ');
    const missing = (err as NodeJS.ErrnoException | null)?.code === 'ENOENT';
    throw new Error(missing ? `unknown theme "${name}" (available: ${available})` : `theme ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const problems = validateTheme(raw);
  if (problems.length > 0) throw new Error(`theme ${name} is invalid: ${problems.join('; ')}`);
  return themeFromFile(raw as ThemeFile);
}

/** NO_COLOR (any non-empty value) wins over everything, then --theme, then the context's theme. */
export function resolveThemeName(opts: { cli: string | null; context: string | null; env?: Readonly<Record<string, string | undefined>> }): string {
  const env = opts.env ?? process.env;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return NO_COLOR_THEME;
  return opts.cli ?? opts.context ?? DEFAULT_THEME;
}

/**
 * Colours that tell a service's tasks apart in its logs (as `docker compose logs` does), in the order
 * tasks first speak; none in a monochrome theme. Red is left out: it reads as an error.
 */
const TASK_PALETTE = ['cyan', 'yellow', 'green', 'magenta', 'blue', 'cyanBright', 'yellowBright', 'greenBright', 'magentaBright', 'blueBright'] as const;

export function taskColour(theme: Theme, index: number): string | undefined {
  return theme.monochrome ? undefined : TASK_PALETTE[index % TASK_PALETTE.length];
}
