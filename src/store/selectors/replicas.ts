import type { ServiceModel } from '../model.js';

/**
 * The REPLICAS column as `docker service ls` prints it: "running/desired", and for jobs
 * "running/desired (completed/total completed)". "?" where the engine did not report status.
 */
export function replicaText(svc: ServiceModel): string {
  const running = svc.runningTasks ?? '?';
  const desired = svc.desiredTasks ?? (svc.mode.kind === 'replicated' ? svc.mode.replicas : '?');
  switch (svc.mode.kind) {
    case 'replicated':
    case 'global':
      return `${running}/${desired}`;
    case 'replicated-job':
      return `${running}/${desired} (${svc.completedTasks ?? '?'}/${svc.mode.totalCompletions} completed)`;
    case 'global-job':
      return `${running}/${desired} (${svc.completedTasks ?? '?'}/${svc.desiredTasks ?? '?'} completed)`;
  }
}

export function modeText(svc: ServiceModel): string {
  return svc.mode.kind;
}
