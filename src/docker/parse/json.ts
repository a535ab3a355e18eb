import { printable } from '../../text/printable.js';

/**
 * Small readers for JSON of unknown shape. The Engine API differs between versions and a proxy may
 * answer with anything, so every read has a default and none of them throws.
 *
 * Every string read here is also made safe to draw (src/text/printable.ts, one line): a label, a
 * hostname or a task error is attacker-chosen text, and this is where it enters the program. What the
 * store holds is display text; writes re-read the raw spec (src/docker/api/specs.ts) and never send a
 * cleaned value back in place of the original.
 */

export type Obj = Readonly<Record<string, unknown>>;

const EMPTY: Obj = Object.freeze({});

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The object at `key` (or at a path of keys), or an empty object. */
export function obj(v: unknown, ...path: readonly string[]): Obj {
  let cur: unknown = v;
  for (const key of path) {
    if (!isObj(cur)) return EMPTY;
    cur = cur[key];
  }
  return isObj(cur) ? cur : EMPTY;
}

export function field(v: unknown, key: string): unknown {
  return isObj(v) ? v[key] : undefined;
}

export function str(v: unknown, key: string, fallback = ''): string {
  const x = field(v, key);
  return typeof x === 'string' ? printable(x, 'line') : fallback;
}

/** A string that may span lines (a PEM certificate), cleaned but with its newlines kept. */
export function text(v: unknown, key: string): string {
  const x = field(v, key);
  return typeof x === 'string' ? printable(x) : '';
}

export function optStr(v: unknown, key: string): string | null {
  const x = field(v, key);
  return typeof x === 'string' && x !== '' ? printable(x, 'line') : null;
}

export function num(v: unknown, key: string, fallback = 0): number {
  const x = field(v, key);
  return typeof x === 'number' && Number.isFinite(x) ? x : fallback;
}

export function optNum(v: unknown, key: string): number | null {
  const x = field(v, key);
  return typeof x === 'number' && Number.isFinite(x) ? x : null;
}

export function bool(v: unknown, key: string, fallback = false): boolean {
  const x = field(v, key);
  return typeof x === 'boolean' ? x : fallback;
}

export function arr(v: unknown, key: string): readonly unknown[] {
  const x = field(v, key);
  return Array.isArray(x) ? x : [];
}

/** Array of strings at `key`; non-strings are skipped. */
export function strings(v: unknown, key: string): readonly string[] {
  return arr(v, key).filter((x): x is string => typeof x === 'string').map((x) => printable(x, 'line'));
}

/** A label map (string → string); entries with non-string values are skipped. */
export function labels(v: unknown, key = 'Labels'): Readonly<Record<string, string>> {
  const x = field(v, key);
  if (!isObj(x)) return EMPTY as Readonly<Record<string, string>>;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(x)) if (typeof val === 'string') out[printable(k, 'line')] = printable(val, 'line');
  return out;
}

/** RFC 3339 timestamp at `key` as epoch ms; 0 when missing, malformed or the zero time. */
export function time(v: unknown, key: string): number {
  const x = field(v, key);
  if (typeof x !== 'string' || x === '' || x.startsWith('0001-01-01')) return 0;
  const ms = Date.parse(x);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** One of the allowed string values (lower-cased), else the fallback. */
export function oneOf<T extends string>(v: unknown, key: string, allowed: readonly T[], fallback: T): T {
  const x = field(v, key);
  if (typeof x !== 'string') return fallback;
  const lower = x.toLowerCase();
  return (allowed as readonly string[]).includes(lower) ? (lower as T) : fallback;
}

/** The object's ID, or null: objects without an ID are dropped by every parser. */
export function id(v: unknown, key = 'ID'): string | null {
  const x = field(v, key);
  return typeof x === 'string' && x !== '' ? printable(x, 'line') : null;
}

export const STACK_LABEL = 'com.docker.stack.namespace';

export function stackOf(l: Readonly<Record<string, string>>): string | null {
  const s = l[STACK_LABEL];
  return s !== undefined && s !== '' ? s : null;
}

/** Parses a list, dropping the elements the item parser rejects. A non-array yields []. */
export function list<T>(v: unknown, parse: (item: unknown) => T | null): T[] {
  if (!Array.isArray(v)) return [];
  const out: T[] = [];
  for (const item of v) {
    const parsed = parse(item);
    if (parsed !== null) out.push(parsed);
  }
  return out;
}
