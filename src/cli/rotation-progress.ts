import { isRotationProgress, type RotationRef } from '../actions/secrets/rotation-run.js';
import { selectRotationStatus, type RotationServiceStatus } from '../actions/secrets/rotation-status.js';
import type { ReadableStore } from '../store/state.js';
import { printable } from '../ui/format.js';

export interface RotationPrinter {
  /** ActionContext.progress: the rotation's own steps. */
  progress(p: unknown): void;
  /** The last step printed (the outcome need not be printed again when it says the same). */
  lastPhase(): string;
  stop(): void;
}

function line(r: RotationServiceStatus, ref: RotationRef): string {
  const version = r.uses === 'old' ? ref.oldName : r.uses === 'new' ? ref.newName : 'both versions';
  const counts = r.rollout ? `, ${r.rollout.done}/${r.rollout.total} tasks updated` : '';
  const st = r.rollout?.updateState ?? null;
  const state = r.failed ? `, ${(st ?? 'failed').replace('_', ' ').toUpperCase()}${r.rollout?.message ? `: ${r.rollout.message}` : ''}` : r.converged ? ', converged' : st ? `, ${st.replace('_', ' ')}` : '';
  return `  ${r.name}: ${version}${counts}${state}`;
}

/**
 * Prints a rotation as it goes, for scripts and terminals alike: each step it takes, and a line per
 * service whenever the version it mounts or its rollout changes (read from the live state).
 */
export function rotationPrinter(store: ReadableStore, out: NodeJS.WritableStream): RotationPrinter {
  let ref: RotationRef | null = null;
  let phase = '';
  const last = new Map<string, string>();
  const services = (): void => {
    if (ref === null || ref.newId === null) return;
    for (const r of selectRotationStatus(store.getState(), ref).rows) {
      const text = printable(line(r, ref));
      if (last.get(r.id) === text) continue;
      last.set(r.id, text);
      out.write(`${text}\n`);
    }
  };
  const unsubscribe = store.subscribe(services);
  return {
    progress(p) {
      if (!isRotationProgress(p)) return;
      ref = p.ref;
      if (p.phase !== phase) {
        phase = p.phase;
        out.write(`${printable(p.phase)}\n`);
      }
      services();
    },
    lastPhase: () => phase,
    stop: unsubscribe,
  };
}
