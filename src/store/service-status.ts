import type { ServiceModel } from './model.js';

/**
 * What a service's own fields say about it: facts of the model, not views of the state. The live layer
 * (its polling) and the selectors both ask them, so they live here and the live layer needs no selector.
 */

const UPDATING: ReadonlySet<string> = new Set(['updating', 'rollback_started']);

export function isUpdating(svc: ServiceModel): boolean {
  return svc.updateStatus !== null && UPDATING.has(svc.updateStatus.state);
}

/** Converged: every desired task runs and no update or rollback is under way (jobs: none left to run). */
export function isConverged(svc: ServiceModel): boolean {
  if (isUpdating(svc)) return false;
  if (svc.runningTasks === null || svc.desiredTasks === null) return false;
  // A job converges when nothing is left running.
  if (svc.mode.kind === 'replicated-job' || svc.mode.kind === 'global-job') return svc.runningTasks === 0;
  return svc.runningTasks === svc.desiredTasks;
}

/** An update or rollback the engine paused (a failed task past the update's failure ratio). */
export function isPaused(svc: ServiceModel): boolean {
  return svc.updateStatus?.state === 'paused' || svc.updateStatus?.state === 'rollback_paused';
}
