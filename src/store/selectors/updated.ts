import type { ServiceModel, TaskModel, UpdateState } from '../model.js';

export const ROLLBACK_STATES: ReadonlySet<UpdateState> = new Set(['rollback_started', 'rollback_paused', 'rollback_completed']);

export function stripDigest(image: string): string {
  const at = image.indexOf('@');
  return at < 0 ? image : image.slice(0, at);
}

/**
 * Whether a task runs the spec being rolled out. The engine knows exactly (task spec vs service spec);
 * the model does not carry task specs, so this approximates it: during an update a task is new when
 * it was created after the update started and runs the service's image (a force update keeps the image,
 * so creation time decides). During a rollback the target spec is the old one, so tasks that were never
 * replaced are already up to date: the image decides.
 */
export function isUpdatedTask(svc: ServiceModel, task: TaskModel): boolean {
  const sameImage = task.image === '' || svc.image === '' || stripDigest(task.image) === stripDigest(svc.image);
  if (svc.updateStatus && ROLLBACK_STATES.has(svc.updateStatus.state)) return sameImage;
  const started = svc.updateStatus?.startedAt ?? 0;
  if (started > 0 && task.createdAt > 0 && task.createdAt < started) return false;
  return sameImage;
}
