import type { Id } from '../store/model.js';
import type { ClusterState, ReadableStore } from '../store/state.js';
import { selectRollout, type Rollout } from '../store/selectors/rollout.js';

/**
 * Whether a service has converged after a change, on the live state and the rollout selector (the same
 * reading the rollout view shows): what `docker service update` waits for before it returns. Used by
 * the CLI (set-image without --detach) and by any operation that changes a service and waits for it
 * (secret rotation).
 */

export type ConvergePhase =
  /** The live state has not yet seen the change (or the update has not started). */
  | 'waiting'
  | 'updating'
  | 'rolling-back'
  /** Every task runs the new spec; the tasks must stay up for the monitor period. */
  | 'verifying'
  | 'converged'
  | 'paused'
  | 'rollback-paused'
  | 'rolled-back'
  | 'gone';

export interface Convergence {
  phase: ConvergePhase;
  rollout: Rollout | null;
  /** The engine's UpdateStatus message (why it paused or rolled back), '' when none. */
  message: string;
}

/** Phases that end the wait: the first is success, the others failure. */
export const FINAL: ReadonlySet<ConvergePhase> = new Set(['converged', 'paused', 'rollback-paused', 'rolled-back', 'gone']);

export interface ConvergeTarget {
  serviceId: Id;
  /** The service's version the change was sent with: states at or below it predate the change. */
  afterVersion: number;
  /** The change replaces tasks, so an update must be seen starting (a spec-only change converges at once). */
  expectUpdate: boolean;
}

/** Where the service stands now (without the monitor period: see watchConvergence). */
export function selectConvergence(state: ClusterState, t: ConvergeTarget): Convergence {
  const svc = state.services.get(t.serviceId);
  if (!svc) return { phase: 'gone', rollout: null, message: 'the service was removed' };
  const rollout = selectRollout(state, t.serviceId);
  const message = svc.updateStatus?.message ?? '';
  const all = rollout !== null && rollout.done === rollout.total;
  if (svc.version <= t.afterVersion) return { phase: 'waiting', rollout, message };
  switch (svc.updateStatus?.state) {
    case 'paused': return { phase: 'paused', rollout, message };
    case 'rollback_paused': return { phase: 'rollback-paused', rollout, message };
    case 'rollback_completed': return { phase: 'rolled-back', rollout, message };
    case 'rollback_started': return { phase: 'rolling-back', rollout, message };
    case 'updating': return { phase: 'updating', rollout, message };
    case 'completed': return { phase: all ? 'verifying' : 'updating', rollout, message };
    case undefined:
      // swarmkit clears UpdateStatus when the spec changes; the updater sets it when it starts.
      if (t.expectUpdate) return { phase: 'waiting', rollout, message };
      return { phase: all ? 'verifying' : 'updating', rollout, message };
  }
}

export interface WatchOptions {
  /** How long every task must stay up once all run the new spec (the service's update monitor). */
  monitorMs: number;
  /** The wait gives up after this long (the outcome then says so; the update goes on in the cluster). */
  timeoutMs: number;
  onChange?: (c: Convergence, verifyLeftMs: number | null) => void;
}

export interface Watched extends Convergence {
  timedOut: boolean;
}

/** Follows the store until the service converges (verified for the monitor period), pauses, rolls back or is removed. */
export function watchConvergence(store: ReadableStore, t: ConvergeTarget, o: WatchOptions): Promise<Watched> {
  return new Promise((resolve) => {
    let verifiedAt: number | null = null;
    let finished = false;
    let verifyTimer: ReturnType<typeof setTimeout> | null = null;
    const deadline = setTimeout(() => finish({ ...selectConvergence(store.getState(), t), timedOut: true }), o.timeoutMs);
    const unsubscribe = store.subscribe(check);
    function finish(w: Watched): void {
      if (finished) return;
      finished = true;
      clearTimeout(deadline);
      if (verifyTimer !== null) clearTimeout(verifyTimer);
      unsubscribe();
      resolve(w);
    }
    function check(): void {
      if (finished) return;
      const c = selectConvergence(store.getState(), t);
      if (c.phase !== 'verifying') {
        verifiedAt = null;
        o.onChange?.(c, null);
        if (FINAL.has(c.phase)) finish({ ...c, timedOut: false });
        return;
      }
      verifiedAt ??= Date.now();
      const left = o.monitorMs - (Date.now() - verifiedAt);
      if (left <= 0) {
        const done: Convergence = { ...c, phase: 'converged' };
        o.onChange?.(done, null);
        finish({ ...done, timedOut: false });
        return;
      }
      o.onChange?.(c, left);
      // Nothing may change in the store while tasks stay up: the period ends on a timer.
      if (verifyTimer !== null) clearTimeout(verifyTimer);
      verifyTimer = setTimeout(check, Math.min(left, 1000));
    }
    check();
  });
}
