import { readdirSync, readFileSync } from 'node:fs';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { userThemesDir } from '../config/paths.js';
import { compileSchema, schemaProblems } from './json-schema.js';
import { HEX_COLOUR, NAMED_COLOURS, THEME_SCHEMA, THEME_TOKENS } from './theme-schema.js';

export { THEME_TOKENS } from './theme-schema.js';

/**
 * Themes are semantic tokens over a palette (themes/*.json): components ask for "warn" or "leader", never
 * for a colour, so a theme can restyle everything and the no-color theme can turn colour off entirely.
 */
export type ThemeToken = (typeof THEME_TOKENS)[number];

export interface Theme {
  name: string;
  /** Ink colour for a token; undefined means "terminal default" (always the case in no-color). */
  color(token: ThemeToken): string | undefined;
  /** No colour at all: emphasis only through bold/inverse. */
  monochrome: boolean;
  /** Set when this is the default standing in for a theme that is invalid: why, to be shown once. */
  problem?: string;
}

export const DEFAULT_THEME = 'default';
export const NO_COLOR_THEME = 'no-color';

const NAMED = new Set<string>(NAMED_COLOURS);

/** A palette colour: "none" (no colour), a named ANSI colour, #rgb, #rrggbb or a 256-colour number; or its Ink form ansi256(N). */
export function isValidColour(value: unknown): boolean {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 255;
  if (typeof value !== 'string') return false;
  const ansi = /^ansi256\((\d{1,3})\)$/.exec(value);
  return value === 'none' || NAMED.has(value) || new RegExp(HEX_COLOUR).test(value) || (ansi !== null && Number(ansi[1]) <= 255);
}

export interface ThemeFile {
  name: string;
  description?: string;
  palette: Record<string, string | number>;
  tokens: Record<ThemeToken, string>;
}

let validateFile: ValidateFunction | null = null;

function explainThemeError(e: ErrorObject): string {
  const path = e.instancePath.split('/').filter(Boolean);
  if (path[0] === 'palette' && path.length === 2) return `palette.${path[1]}: invalid colour ${JSON.stringify(e.data)}`;
  if (e.instancePath === '/tokens' && e.keyword === 'required') return `token ${String(e.params.missingProperty)} missing`;
  if (e.instancePath === '/tokens' && e.keyword === 'additionalProperties') return `unknown token ${String(e.params.additionalProperty)}`;
  if (e.instancePath === '' && e.keyword === 'required') return `${String(e.params.missingProperty)} missing`;
  if (e.keyword === 'additionalProperties') return `${path.join('.') || 'theme'}: unknown name ${String(e.params.additionalProperty)}`;
  return `${path.join('.') || 'theme'}: ${e.message ?? e.keyword}`;
}

/** Every problem with a theme file, in words (its schema, then tokens naming no palette entry); empty when valid. */
export function validateTheme(raw: unknown): string[] {
  validateFile ??= compileSchema(THEME_SCHEMA);
  const problems = validateFile(raw) ? [] : schemaProblems(validateFile.errors, explainThemeError).map((p) => p.message);
  if (raw === null || typeof raw !== 'object') return problems;
  const { palette, tokens } = raw as { palette?: unknown; tokens?: unknown };
  if (palette === null || typeof palette !== 'object' || tokens === null || typeof tokens !== 'object') return problems;
  for (const [token, ref] of Object.entries(tokens)) {
    if (typeof ref === 'string' && !(ref in palette)) problems.push(`token ${token} refers to unknown palette entry ${ref}`);
  }
  // Nineteen "token x missing" lines say less than one line naming them.
  const missing = problems.filter((p) => /^token \S+ missing$/.test(p)).map((p) => p.split(' ')[1] ?? '');
  const merged = missing.length > 1 ? [...problems.filter((p) => !/^token \S+ missing$/.test(p)), `tokens missing: ${missing.join(', ')}`] : problems;
  return [...new Set(merged)];
}

/** themes/ sits two levels above this file both in src/ui and in dist/ui. */
export function themesDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'themes');
}

/** Where themes are looked for, first match wins: the user's, then the bundled ones. */
export function themeDirs(env: Readonly<Record<string, string | undefined>> = process.env): string[] {
  return [userThemesDir(env), themesDir()];
}

/** Every theme name in these folders (a string: one folder). */
export function listThemes(dirs: string | readonly string[] = themeDirs()): string[] {
  const names = new Set<string>();
  for (const dir of typeof dirs === 'string' ? [dirs] : dirs) {
    try {
      for (const f of readdirSync(dir)) if (f.endsWith('.json')) names.add(f.slice(0, -5));
    } catch {
      // A folder that is not there has no themes.
    }
  }
  return [...names].sort();
}

/** A palette entry as Ink takes it: undefined for "none", ansi256(N) for a 256-colour number. */
function inkColour(value: string | number | undefined): string | undefined {
  if (value === undefined || value === 'none') return undefined;
  return typeof value === 'number' ? `ansi256(${value})` : value;
}

export function themeFromFile(file: ThemeFile): Theme {
  const monochrome = THEME_TOKENS.every((t) => inkColour(file.palette[file.tokens[t]]) === undefined);
  return {
    name: file.name,
    monochrome,
    color(token) {
      return inkColour(file.palette[file.tokens[token]]);
    },
  };
}

export const MONOCHROME: Theme = { name: NO_COLOR_THEME, monochrome: true, color: () => undefined };

/** A theme that exists but cannot be used (unreadable, not JSON, fails its schema): the console falls back to the default. */
export class InvalidThemeError extends Error {}

/** Loads a theme by name; an unknown name or an invalid theme is an error the caller shows (never silent). */
export function loadTheme(name: string, dirs: string | readonly string[] = themeDirs()): Theme {
  if (!/^[a-z0-9-]+$/i.test(name)) throw new Error(`invalid theme name: ${name}`);
  const folders = typeof dirs === 'string' ? [dirs] : dirs;
  for (const dir of folders) {
    const file = join(dir, `${name}.json`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException | null)?.code === 'ENOENT') continue;
      throw new InvalidThemeError(`theme ${name} (${file}): ${err instanceof Error ? err.message : String(err)}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new InvalidThemeError(`theme ${name} (${file}) is not JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
    const problems = validateTheme(raw);
    if (problems.length > 0) throw new InvalidThemeError(`theme ${name} (${file}) is invalid: ${problems.join('; ')}`);
    return themeFromFile(raw as ThemeFile);
  }
  if (name === NO_COLOR_THEME) return MONOCHROME;
  throw new Error(`unknown theme "${name}" (available: ${listThemes(folders).join(', ')})`);
}

/**
 * The theme by name, or the bundled default when that theme is invalid, with the reason to show once.
 * An unknown name is still an error: a typo is not a theme to fall back from.
 */
export function loadThemeOrDefault(name: string, dirs: string | readonly string[] = themeDirs()): { theme: Theme; problem: string | null } {
  try {
    return { theme: loadTheme(name, dirs), problem: null };
  } catch (err) {
    if (!(err instanceof InvalidThemeError)) throw err;
    return { theme: loadTheme(DEFAULT_THEME, themesDir()), problem: `${err.message}; using the default theme` };
  }
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
