import type { Id, ServiceModel } from '../../store/model.js';
import type { ClusterState, ReadableStore } from '../../store/state.js';
import { selectRollout, type Rollout } from '../../store/selectors/rollout.js';

/**
 * Where one service's rollout stands after an update the operation sent, judged from the live state
 * through selectRollout (the same model the rollout view shows).
 */
export type Verdict =
  /** The state does not show our update yet, or the tasks are still being replaced. */
  | { kind: 'converging'; rollout: Rollout | null }
  | { kind: 'converged'; rollout: Rollout | null }
  /** The update paused (failure action pause) or rolled back: the rotation must stop there. */
  | { kind: 'paused' | 'rolled-back'; rollout: Rollout | null; message: string }
  /** Someone else changed the service since (it no longer has the spec we sent). */
  | { kind: 'changed'; message: string }
  | { kind: 'gone' };

const isJob = (s: ServiceModel): boolean => s.mode.kind === 'replicated-job' || s.mode.kind === 'global-job';

/**
 * `sentVersion`: the version the update was sent with; the state reflects it once the service's version
 * is above it. `applied`: whether a service spec carries the change (e.g. mounts the new secret).
 * swarmkit clears UpdateStatus on every update and its updater then reports updating → completed (or
 * paused / rollback_*); a service with no task to replace never gets one, so "no status, no task
 * wanted" is converged too.
 */
export function verdictOf(state: ClusterState, serviceId: Id, sentVersion: number, applied: (s: ServiceModel) => boolean): Verdict {
  const svc = state.services.get(serviceId);
  if (!svc) return { kind: 'gone' };
  if (svc.version <= sentVersion) return { kind: 'converging', rollout: null };
  const rollout = selectRollout(state, serviceId);
  const status = svc.updateStatus;
  const message = status?.message ?? '';
  if (status?.state === 'paused') return { kind: 'paused', rollout, message };
  if (status?.state === 'rollback_started' || status?.state === 'rollback_paused' || status?.state === 'rollback_completed') {
    return { kind: 'rolled-back', rollout, message };
  }
  if (!applied(svc)) return { kind: 'changed', message: `${svc.name} changed since the update was sent (version ${svc.version}): it no longer has that spec` };
  if (isJob(svc) || status?.state === 'completed') return { kind: 'converged', rollout };
  if (status === null && (rollout?.total ?? 0) === 0) return { kind: 'converged', rollout };
  return { kind: 'converging', rollout };
}

/**
 * Waits (on the store's changes, no timer) until the verdict is no longer "converging", or the signal
 * stops the wait (resolves null then). Each new verdict is passed to onChange.
 */
export function waitForVerdict(
  store: ReadableStore, serviceId: Id, sentVersion: number, applied: (s: ServiceModel) => boolean,
  signal?: AbortSignal, onChange?: (v: Verdict) => void,
): Promise<Verdict | null> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (v: Verdict | null): void => {
      if (settled) return;
      settled = true;
      unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(v);
    };
    const check = (): void => {
      const v = verdictOf(store.getState(), serviceId, sentVersion, applied);
      onChange?.(v);
      if (v.kind !== 'converging') finish(v);
    };
    const onAbort = (): void => finish(null);
    const unsubscribe = store.subscribe(check);
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) finish(null);
    else check();
  });
}
