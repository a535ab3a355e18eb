import { useEffect, useReducer } from 'react';

/**
 * Re-renders every `periodMs`, for what shows ages (the stale badge, task SINCE, swarm created).
 * Each tick rebuilds the whole frame, so idle CPU is set by this period: fast only while an age is
 * the thing being watched (the stale badge), slow otherwise.
 */
export function useTick(periodMs: number): void {
  const [, tick] = useReducer((x: number) => x + 1, 0);
  useEffect(() => {
    const t = setInterval(tick, periodMs);
    return () => clearInterval(t);
  }, [periodMs]);
}
