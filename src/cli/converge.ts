import type { Convergence, Watched } from '../actions/converge.js';
import { MAX_PROGRESS } from '../store/selectors/rollout.js';
import { printable } from '../ui/format.js';

/**
 * Convergence progress as `docker service update` prints it: the overall count, one bar per slot (per
 * node for a global service; none past 20 tasks), then the verification. On a terminal the block is
 * redrawn in place; into a pipe or a file only lines that changed are written, so a log stays readable.
 */

const MAX_BARS = 20;
const BAR = 50;
const STATE_WIDTH = 9;

function bar(progress: number): string {
  const filled = Math.round((progress / MAX_PROGRESS) * BAR);
  return `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(BAR - filled)}]`;
}

/** The lines of the progress block for one reading. */
export function progressLines(c: Convergence, verifyLeftMs: number | null): string[] {
  const r = c.rollout;
  const lines: string[] = [];
  if (c.phase === 'rolling-back' && c.message !== '') lines.push(`rollback: ${printable(c.message)}`);
  if (c.phase === 'waiting') return ['waiting for the update to start'];
  if (r) {
    lines.push(`overall progress: ${c.phase === 'rolling-back' ? 'rolling back update: ' : ''}${r.done} out of ${r.total} tasks`);
    if (r.rows.length <= MAX_BARS) {
      for (const row of r.rows) {
        const what = row.error !== '' ? printable(row.error).replace(/\n/g, ' ').slice(0, 75) : `${row.state.padEnd(STATE_WIDTH)} ${bar(row.progress)}`;
        lines.push(`${printable(row.label)}: ${what}`);
      }
    }
  }
  if (verifyLeftMs !== null) lines.push(`verify: Waiting ${Math.ceil(verifyLeftMs / 1000)} seconds to verify that tasks are stable...`);
  return lines;
}

export interface ProgressOut {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function progressPrinter(out: ProgressOut): { update(c: Convergence, verifyLeftMs: number | null): void } {
  let drawn = 0;
  const seen = new Set<string>();
  return {
    update(c, verifyLeftMs) {
      const lines = progressLines(c, verifyLeftMs);
      if (out.isTTY) {
        const up = drawn > 0 ? `\x1b[${drawn}A` : '';
        out.write(`${up}${lines.map((l) => `\x1b[2K${l}\n`).join('')}`);
        drawn = lines.length;
        return;
      }
      for (const l of lines) {
        if (seen.has(l)) continue;
        seen.add(l);
        out.write(`${l}\n`);
      }
    },
  };
}

/** The last line and the exit code: 0 only when the service converged. */
export function verdict(name: string, w: Watched): { line: string; code: number } {
  const why = w.message !== '' ? `: ${printable(w.message)}` : '';
  if (w.timedOut) return { line: `swarmtop: gave up waiting for ${name} to converge (${w.phase}); the update goes on in the cluster (docker service ps ${name}, or the rollout view r in the console)`, code: 1 };
  switch (w.phase) {
    case 'converged': return { line: `verify: Service ${name} converged`, code: 0 };
    case 'paused': return { line: `swarmtop: service update paused${why}`, code: 1 };
    case 'rollback-paused': return { line: `swarmtop: service rollback paused${why}`, code: 1 };
    case 'rolled-back': return { line: `swarmtop: service rolled back${why}`, code: 1 };
    case 'gone': return { line: `swarmtop: service ${name} was removed while updating`, code: 1 };
    case 'waiting': case 'updating': case 'rolling-back': case 'verifying':
      return { line: `swarmtop: ${name} did not converge (${w.phase})`, code: 1 };
  }
}
