/**
 * Memoizes a selector on the identity of its single object input: selectors run on every render, but
 * recompute only when the slice they read was replaced by the reducer.
 */
export function memoByRef<K extends object, V>(compute: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key: K): V => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
