import type { ComposeError, Dict } from './model.js';

/**
 * Variable substitution in every string value, with the docker CLI's syntax: $VAR, ${VAR},
 * ${VAR:-default} (unset or empty), ${VAR-default} (unset), ${VAR:?message} (error when unset or empty),
 * ${VAR?message} (error when unset), $$ for a literal $. An unset variable without a default is the
 * empty string (with a warning). Values that the schema wants as numbers or booleans are cast after
 * substitution (`replicas: ${N}`), at the same paths as the docker CLI.
 */

export type Lookup = (name: string) => string | undefined;

const SUBST = '[_a-z][_a-z0-9]*(?::?[-?][^}]*)?';
const PATTERN = new RegExp(`\\$(?:(\\$)|(${SUBST})|\\{(${SUBST})\\}|())`, 'gi');

export class TemplateError extends Error {}

function partition(s: string, sep: string): [string, string] {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ''] : [s.slice(0, i), s.slice(i + sep.length)];
}

function substituteOne(expr: string, lookup: Lookup, missing: Set<string>): string {
  if (expr.includes(':-')) {
    const [name, def] = partition(expr, ':-');
    const v = lookup(name);
    return v === undefined || v === '' ? def : v;
  }
  if (expr.includes('-')) {
    const [name, def] = partition(expr, '-');
    return lookup(name) ?? def;
  }
  for (const sep of [':?', '?']) {
    if (!expr.includes(sep)) continue;
    const [name, msg] = partition(expr, sep);
    const v = lookup(name);
    if (v === undefined || (sep === ':?' && v === '')) throw new TemplateError(`required variable ${name} is missing a value${msg === '' ? '' : `: ${msg}`}`);
    return v;
  }
  const v = lookup(expr);
  if (v === undefined) missing.add(expr);
  return v ?? '';
}

/** Substitutes one string; throws TemplateError for a malformed template or a missing required variable. */
export function substitute(template: string, lookup: Lookup, missing: Set<string> = new Set()): string {
  return template.replace(PATTERN, (_m, escaped: string | undefined, named: string | undefined, braced: string | undefined) => {
    if (escaped !== undefined) return '$';
    const expr = named ?? braced;
    if (expr === undefined || expr === '') throw new TemplateError(`invalid interpolation format: "${template}"; you may need to escape any $ with another $`);
    return substituteOne(expr, lookup, missing);
  });
}

type Cast = 'int' | 'float' | 'bool';

/** Paths whose values are cast after substitution ("*" any key, "[]" any list item), as the docker CLI. */
const CASTS: readonly [string, Cast][] = [
  ['services.*.configs.[].mode', 'int'],
  ['services.*.secrets.[].mode', 'int'],
  ['services.*.healthcheck.retries', 'int'],
  ['services.*.healthcheck.disable', 'bool'],
  ['services.*.deploy.replicas', 'int'],
  ['services.*.deploy.update_config.parallelism', 'int'],
  ['services.*.deploy.update_config.max_failure_ratio', 'float'],
  ['services.*.deploy.rollback_config.parallelism', 'int'],
  ['services.*.deploy.rollback_config.max_failure_ratio', 'float'],
  ['services.*.deploy.restart_policy.max_attempts', 'int'],
  ['services.*.deploy.placement.max_replicas_per_node', 'int'],
  ['services.*.ports.[].target', 'int'],
  ['services.*.ports.[].published', 'int'],
  ['services.*.ulimits.*', 'int'],
  ['services.*.ulimits.*.hard', 'int'],
  ['services.*.ulimits.*.soft', 'int'],
  ['services.*.privileged', 'bool'],
  ['services.*.oom_score_adj', 'int'],
  ['services.*.read_only', 'bool'],
  ['services.*.stdin_open', 'bool'],
  ['services.*.tty', 'bool'],
  ['services.*.volumes.[].read_only', 'bool'],
  ['services.*.volumes.[].volume.nocopy', 'bool'],
  ['networks.*.external', 'bool'],
  ['networks.*.internal', 'bool'],
  ['networks.*.attachable', 'bool'],
  ['volumes.*.external', 'bool'],
  ['secrets.*.external', 'bool'],
  ['configs.*.external', 'bool'],
];

function castFor(path: readonly string[]): Cast | null {
  for (const [pattern, cast] of CASTS) {
    const parts = pattern.split('.');
    if (parts.length === path.length && parts.every((p, i) => p === '*' || p === path[i] || (p === '[]' && path[i] === '[]'))) return cast;
  }
  return null;
}

function applyCast(value: string, cast: Cast): unknown {
  switch (cast) {
    case 'int': {
      if (!/^[-+]?\d+$/.test(value)) throw new TemplateError(`failed to cast to expected type: "${value}" is not an integer`);
      return Number(value);
    }
    case 'float': {
      const n = Number(value);
      if (value.trim() === '' || Number.isNaN(n)) throw new TemplateError(`failed to cast to expected type: "${value}" is not a number`);
      return n;
    }
    case 'bool': {
      const v = value.toLowerCase();
      if (['y', 'yes', 'true', 'on'].includes(v)) return true;
      if (['n', 'no', 'false', 'off'].includes(v)) return false;
      throw new TemplateError(`failed to cast to expected type: invalid boolean: ${value}`);
    }
  }
}

export interface InterpolationResult {
  content: Dict;
  /** Variables used without a value and without a default (each becomes ""). */
  missing: string[];
}

/**
 * Interpolates a whole file's content. `locate` turns a path into an error with file and line.
 */
export function interpolateContent(content: Dict, lookup: Lookup, locate: (path: (string | number)[], message: string) => ComposeError): InterpolationResult {
  const missing = new Set<string>();
  const walk = (value: unknown, path: (string | number)[], pattern: string[]): unknown => {
    if (typeof value === 'string') {
      try {
        const out = substitute(value, lookup, missing);
        const cast = castFor(pattern);
        // Only a substituted value is cast: a literal "3" stays a string and the schema says so.
        return cast !== null && out !== value ? applyCast(out, cast) : out;
      } catch (err) {
        if (err instanceof TemplateError) throw locate(path, err.message);
        throw err;
      }
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, [...path, i], [...pattern, '[]']));
    if (value !== null && typeof value === 'object') {
      const out: Dict = {};
      for (const [k, v] of Object.entries(value as Dict)) out[k] = walk(v, [...path, k], [...pattern, k]);
      return out;
    }
    return value;
  };
  return { content: walk(content, [], []) as Dict, missing: [...missing].sort() };
}
