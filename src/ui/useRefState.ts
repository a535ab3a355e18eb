import { useCallback, useReducer, useRef, type MutableRefObject, type SetStateAction } from 'react';

/**
 * State whose latest value is readable synchronously: keys can arrive faster than frames (key repeat,
 * paste, a fast typist in the filter), and each key must act on the result of the previous one.
 */
export function useRefState<T>(initial: T): [T, (v: SetStateAction<T>) => void, MutableRefObject<T>] {
  const ref = useRef(initial);
  const [, force] = useReducer((x: number) => x + 1, 0);
  const set = useCallback((v: SetStateAction<T>) => {
    const next = typeof v === 'function' ? (v as (prev: T) => T)(ref.current) : v;
    if (Object.is(next, ref.current)) return;
    ref.current = next;
    force();
  }, []);
  return [ref.current, set, ref];
}
