/**
 * Field-level differences between two specs as the engine returns them (JSON of unknown shape), for
 * the plans and diffs every change shows before it is sent, and for the audit log:
 *   TaskTemplate.ContainerSpec.Env: + LOG_LEVEL=debug
 *   Mode.Replicated.Replicas: 3 → 5
 *   TaskTemplate.ContainerSpec.Secrets[db_password]: - {"SecretName":"db_password",...}
 * Arrays of scalars are compared as sets of items (Env, Constraints, Args keep their order elsewhere:
 * an order-only change is reported as such). Arrays of objects are matched by a field that names each
 * element (Target, SecretName, Name...) when every element has a distinct one, else by position.
 */

export type ChangeKind = 'added' | 'removed' | 'changed';

export interface FieldChange {
  /** Dotted path from the spec's root, e.g. "TaskTemplate.ContainerSpec.Image". */
  path: string;
  kind: ChangeKind;
  before?: unknown;
  after?: unknown;
  /** For a scalar array: the items added or removed (the path names the array). */
  item?: boolean;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

/** Fields that name an element of an array of objects, in the order they are tried. */
const KEY_FIELDS = ['Target', 'SecretName', 'ConfigName', 'Name', 'Source', 'TargetPort', 'ID'];

function keyField(a: readonly unknown[], b: readonly unknown[]): string | null {
  const all = [...a, ...b];
  if (!all.every(isObj)) return null;
  for (const f of KEY_FIELDS) {
    const keys = (xs: readonly unknown[]): unknown[] => xs.map((x) => (x as Obj)[f]);
    const ka = keys(a);
    const kb = keys(b);
    const scalarKeys = [...ka, ...kb].every((k) => k !== undefined && isScalar(k));
    if (scalarKeys && new Set(ka).size === ka.length && new Set(kb).size === kb.length) return f;
  }
  return null;
}

/** Stable text of a value for comparison (object keys sorted). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObj(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function diffInto(out: FieldChange[], path: string, a: unknown, b: unknown): void {
  if (sameValue(a, b)) return;
  if (a === undefined) {
    out.push({ path, kind: 'added', after: b });
    return;
  }
  if (b === undefined) {
    out.push({ path, kind: 'removed', before: a });
    return;
  }
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of [...keys].sort()) diffInto(out, join(path, k), a[k], b[k]);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    diffArrays(out, path, a, b);
    return;
  }
  out.push({ path, kind: 'changed', before: a, after: b });
}

function diffArrays(out: FieldChange[], path: string, a: readonly unknown[], b: readonly unknown[]): void {
  if ([...a, ...b].every(isScalar)) {
    const before = new Set(a.map(canonical));
    const after = new Set(b.map(canonical));
    const removed = a.filter((x) => !after.has(canonical(x)));
    const added = b.filter((x) => !before.has(canonical(x)));
    for (const x of removed) out.push({ path, kind: 'removed', before: x, item: true });
    for (const x of added) out.push({ path, kind: 'added', after: x, item: true });
    if (removed.length === 0 && added.length === 0) out.push({ path, kind: 'changed', before: a, after: b });
    return;
  }
  const field = keyField(a, b);
  if (field !== null) {
    const byKey = (xs: readonly unknown[]): Map<string, unknown> => new Map(xs.map((x) => [String((x as Obj)[field]), x]));
    const ma = byKey(a);
    const mb = byKey(b);
    for (const [k, x] of ma) diffInto(out, `${path}[${k}]`, x, mb.get(k));
    for (const [k, x] of mb) if (!ma.has(k)) diffInto(out, `${path}[${k}]`, undefined, x);
    return;
  }
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diffInto(out, `${path}[${i}]`, a[i], b[i]);
}

/** Every field that differs between `before` and `after`, in path order. Empty when they are equal. */
export function diffSpecs(before: unknown, after: unknown): FieldChange[] {
  const out: FieldChange[] = [];
  diffInto(out, '', before, after);
  return out;
}

/** Keys whose values are secrets wherever they appear (env entries, labels): shown as •••. */
const SECRET_KEY = /PASSWORD|PASSWD|TOKEN|SECRET|KEY|CREDENTIAL/i;
export const REDACTED = '•••';

/** "DB_PASSWORD=hunter2" → "DB_PASSWORD=•••"; anything else unchanged. */
export function redactAssignment(text: string): string {
  const eq = text.indexOf('=');
  if (eq <= 0) return text;
  return SECRET_KEY.test(text.slice(0, eq)) ? `${text.slice(0, eq + 1)}${REDACTED}` : text;
}

function redactValue(path: string, v: unknown): unknown {
  if (typeof v === 'string') {
    const last = path.split('.').pop() ?? '';
    // A label or map entry whose own key looks secret (Labels.api_token), or an env-style KEY=value.
    if (SECRET_KEY.test(last.replace(/\[.*\]$/, '')) && !/^(Secrets|SecretName|SecretID|ConfigName|ConfigID)$/.test(last)) return REDACTED;
    return redactAssignment(v);
  }
  if (Array.isArray(v)) return v.map((x) => redactValue(path, x));
  if (isObj(v)) {
    const out: Obj = {};
    for (const [k, x] of Object.entries(v)) out[k] = redactValue(join(path, k), x);
    return out;
  }
  return v;
}

/** The same changes with secret-looking values masked (for the audit log and for the screen). */
export function redactChanges(changes: readonly FieldChange[]): FieldChange[] {
  return changes.map((c) => ({
    ...c,
    ...(c.before !== undefined ? { before: redactValue(c.path, c.before) } : {}),
    ...(c.after !== undefined ? { after: redactValue(c.path, c.after) } : {}),
  }));
}

const MAX_VALUE = 120;

/** A value as one short line: strings bare, the rest as compact JSON, cut at a readable length. */
export function showValue(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** "path: old → new", "path: + value", "path: - value". */
export function formatChange(c: FieldChange): string {
  switch (c.kind) {
    case 'added': return `${c.path}: + ${showValue(c.after)}`;
    case 'removed': return `${c.path}: - ${showValue(c.before)}`;
    case 'changed':
      if (Array.isArray(c.before) && Array.isArray(c.after) && c.before.every(isScalar)) return `${c.path}: order ${showValue(c.before)} → ${showValue(c.after)}`;
      return `${c.path}: ${showValue(c.before)} → ${showValue(c.after)}`;
  }
}

/** The whole diff as lines, secret-looking values masked. */
export function describeDiff(before: unknown, after: unknown): string[] {
  return redactChanges(diffSpecs(before, after)).map(formatChange);
}
