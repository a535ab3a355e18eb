import { sameValue } from '../spec-diff.js';

/**
 * Three-way merge of specs for the stale path of an edit: the operator's changes (base → mine) applied
 * onto the spec as it is now (theirs), so re-opening the editor shows the fresh spec with their edits in
 * place. A field both sides changed differently keeps the operator's value and is reported as a conflict.
 * Scalar lists (Env, Constraints) merge by item; lists of named objects (Mounts by Target, Secrets by
 * SecretName...) by that name, as spec-diff matches them.
 */

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object';
const KEY_FIELDS = ['Target', 'SecretName', 'ConfigName', 'Name', 'Source', 'TargetPort', 'ID'];

function keyField(...lists: (readonly unknown[])[]): string | null {
  const all = lists.flat();
  if (!all.every(isObj)) return null;
  for (const f of KEY_FIELDS) {
    const ok = lists.every((l) => {
      const keys = l.map((x) => (x as Obj)[f]);
      return keys.every((k) => k !== undefined && isScalar(k)) && new Set(keys).size === keys.length;
    });
    if (ok) return f;
  }
  return null;
}

export interface Merged {
  merged: unknown;
  /** Paths both sides changed differently (the operator's value was kept). */
  conflicts: string[];
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function asList(v: unknown): readonly unknown[] | null {
  return Array.isArray(v) ? (v as readonly unknown[]) : null;
}

function mergeInto(path: string, base: unknown, mine: unknown, theirs: unknown, conflicts: string[]): unknown {
  if (sameValue(mine, base)) return theirs;
  if (sameValue(theirs, base) || sameValue(mine, theirs)) return mine;
  if (isObj(base) && isObj(mine) && isObj(theirs)) {
    const out: Obj = {};
    for (const k of new Set([...Object.keys(theirs), ...Object.keys(mine)])) {
      const v = mergeInto(join(path, k), base[k], mine[k], theirs[k], conflicts);
      if (v !== undefined) out[k] = v;
    }
    return out;
  }
  const [bl, ml, tl] = [asList(base), asList(mine), asList(theirs)];
  if (bl && ml && tl) {
    if ([...bl, ...ml, ...tl].every(isScalar)) {
      const removed = bl.filter((x) => !ml.some((y) => sameValue(x, y)));
      const added = ml.filter((x) => !bl.some((y) => sameValue(x, y)));
      const kept = tl.filter((x) => !removed.some((y) => sameValue(x, y)));
      return [...kept, ...added.filter((x) => !kept.some((y) => sameValue(x, y)))];
    }
    const field = keyField(bl, ml, tl);
    if (field !== null) {
      const byKey = (l: readonly unknown[]): Map<string, unknown> => new Map(l.map((x) => [String((x as Obj)[field]), x]));
      const [b, m, t] = [byKey(bl), byKey(ml), byKey(tl)];
      const out: unknown[] = [];
      for (const k of new Set([...t.keys(), ...m.keys()])) {
        const v = mergeInto(`${path}[${k}]`, b.get(k), m.get(k), t.get(k), conflicts);
        if (v !== undefined) out.push(v);
      }
      return out;
    }
  }
  conflicts.push(path || '(the whole spec)');
  return mine;
}

export function mergeSpecs(base: unknown, mine: unknown, theirs: unknown): Merged {
  const conflicts: string[] = [];
  const merged = mergeInto('', base, mine, theirs, conflicts);
  return { merged, conflicts };
}
