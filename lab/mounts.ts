import { readFileSync } from 'node:fs';
import { tryRun } from './sh.js';

/** Mount points at or below any of the roots, deepest first (so children are unmounted before parents). */
function mountsUnder(roots: readonly string[]): string[] {
  const lines = readFileSync('/proc/self/mounts', 'utf8').split('\n');
  const points = lines
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((p) => roots.some((r) => p === r || p.startsWith(`${r}/`)));
  return [...new Set(points)].sort((a, b) => b.length - a.length);
}

/** Engines leave overlay, nsfs and bind mounts behind when they are killed; detach them all. */
export async function unmountUnder(roots: readonly string[]): Promise<number> {
  let total = 0;
  // Unmounting one point can reveal another mounted underneath it: repeat a bounded number of times.
  for (let round = 0; round < 5; round++) {
    const points = mountsUnder(roots);
    if (points.length === 0) break;
    for (const p of points) await tryRun('umount', ['-l', p]);
    total += points.length;
  }
  return total;
}
