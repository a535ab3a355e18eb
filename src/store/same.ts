/**
 * Structural equality for plain model data (objects, arrays, primitives). The reducer keeps the old
 * object when a re-read returns an equal one, so memoized selectors and renders see no change.
 */
export function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(rb, k) || !same(ra[k], rb[k])) return false;
  }
  return true;
}

/** `next` unless it equals `prev`, in which case `prev` (keeping its identity). */
export function keep<T>(prev: T | undefined | null, next: T): T {
  return prev !== undefined && prev !== null && same(prev, next) ? prev : next;
}

/**
 * A map holding exactly `items` by id, reusing equal old objects; the old map itself when nothing
 * changed at all.
 */
export function syncMap<T extends { id: string }>(prev: ReadonlyMap<string, T>, items: readonly T[]): ReadonlyMap<string, T> {
  const next = new Map<string, T>();
  let changed = false;
  for (const item of items) {
    const old = prev.get(item.id);
    const kept = keep(old, item);
    if (kept !== old) changed = true;
    next.set(item.id, kept);
  }
  if (!changed && next.size === prev.size) return prev;
  return next;
}
