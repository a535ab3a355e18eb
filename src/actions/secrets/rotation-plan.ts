import { readSecretObject, servicesMounting, type SecretMount } from '../../docker/api/secrets.js';
import { toDockerApiError } from '../../docker/errors.js';
import type { Id, ServiceModel } from '../../store/model.js';
import type { ClusterState } from '../../store/state.js';
import { count, isLive, listSome, plural, tasksOf } from '../lookup.js';
import { policyLine } from '../services.js';
import type { ActionContext, Prepared } from '../types.js';
import { findRotation, successorLabels, type SecretKind, type SecretLike } from './names.js';

export interface PlannedService {
  id: Id;
  name: string;
  /** Version.Index read for the plan: the update is sent with it (a change since stops the rotation). */
  version: number;
  /** Which version it mounts now. */
  uses: 'old' | 'new';
  mounts: readonly SecretMount[];
  mode: string;
  policy: string;
  /** Tasks that restart when it moves (0 for one already moved). */
  restarts: number;
  stack: string | null;
}

export interface RotationPlan {
  kind: SecretKind;
  old: { id: Id; name: string; version: number };
  /** id null: created by the rotation (fresh); otherwise the version an earlier rotation created. */
  next: { id: Id | null; name: string; labels: Readonly<Record<string, string>> };
  /** The new value (fresh rotation only); zeroed once sent or when the plan is dropped. */
  value: Buffer | null;
  templateDriver: string | null;
  /** Services still on the old version first (in the order they are moved), then those already moved. */
  services: readonly PlannedService[];
}

/** Where the file appears in the container: secrets under /run/secrets, configs at / (absolute targets as they are). */
export function mountPath(kind: SecretKind, target: string): string {
  if (target.startsWith('/')) return target;
  return kind === 'secret' ? `/run/secrets/${target}` : `/${target}`;
}

export function describeMount(kind: SecretKind, m: SecretMount): string {
  if (m.runtime) return 'credential spec (runtime)';
  return `${mountPath(kind, m.target)} uid ${m.uid} gid ${m.gid} mode ${m.mode.toString(8).padStart(4, '0')}`;
}

function modeOf(s: ServiceModel): string {
  switch (s.mode.kind) {
    case 'replicated': return `replicated ${s.mode.replicas}`;
    case 'global': return 'global';
    case 'replicated-job': return 'replicated job';
    case 'global-job': return 'global job';
  }
}

function restartsOf(state: ClusterState, s: ServiceModel): number {
  const live = tasksOf(state, s.id).filter(isLive).length;
  if (live > 0) return live;
  return s.desiredTasks ?? (s.mode.kind === 'replicated' ? s.mode.replicas : 0);
}

/**
 * The plan of a rotation, read fresh: the old object, the new one (to create, or found half-done from
 * its labels), and every service that mounts either, with the mounts, version and update policy
 * the engine has now.
 */
export async function planRotation(
  ctx: ActionContext, state: ClusterState, kind: SecretKind, selected: SecretLike, newName: string, value: Buffer | null,
): Promise<Prepared> {
  const found = findRotation(state, kind, selected);
  const next = found.next;
  try {
    const old = await readSecretObject(ctx.connection, kind, found.old.id);
    if (next === null && value === null) return { kind: 'failed', message: `the new value of ${old.name} is needed (from a file or typed)` };
    const ids = next ? [old.id, next.id] : [old.id];
    const users = await servicesMounting(ctx.connection, kind, ids);
    const services: PlannedService[] = [];
    for (const { service, mounts } of users) {
      const onOld = mounts.get(old.id);
      const uses = onOld ? 'old' : 'new';
      services.push({
        id: service.id, name: service.name, version: service.version, uses,
        mounts: onOld ?? (next ? mounts.get(next.id) : undefined) ?? [],
        mode: modeOf(service), policy: policyLine(service.updateConfig), restarts: uses === 'old' ? restartsOf(state, service) : 0,
        stack: service.stack,
      });
    }
    services.sort((a, b) => (a.uses === b.uses ? a.name.localeCompare(b.name) : a.uses === 'old' ? -1 : 1));
    const plan: RotationPlan = {
      kind,
      old: { id: old.id, name: old.name, version: old.version },
      next: next ? { id: next.id, name: next.name, labels: next.labels } : { id: null, name: newName, labels: successorLabels({ ...found.old, labels: old.labels }) },
      value: next ? null : value,
      templateDriver: old.templateDriver,
      services,
    };
    return { kind: 'plan', impact: rotationImpact(plan), plan };
  } catch (err) {
    return { kind: 'failed', message: `could not read the plan: ${toDockerApiError(err).message} (nothing was changed)` };
  }
}

/** The plan as the operator confirms it: what is created, who moves, how, and what restarts. */
export function rotationImpact(plan: RotationPlan): string[] {
  const { kind, old, next } = plan;
  const lines: string[] = [];
  const stack = next.labels['com.docker.stack.namespace'];
  if (next.id === null) {
    const size = plan.value ? ` (${plural(plan.value.length, 'byte')})` : '';
    lines.push(`New ${kind} ${next.name}${size}, labels kept${stack ? ` (stack ${stack})` : ''}${plan.templateDriver ? `, template driver ${plan.templateDriver}` : ''}; it records that it replaces ${old.name}.`);
  } else {
    lines.push(`Continues the rotation of ${old.name} to ${next.name}, which an earlier rotation created (it is not created again).`);
  }
  const moving = plan.services.filter((s) => s.uses === 'old');
  const moved = plan.services.filter((s) => s.uses === 'new');
  if (plan.services.length === 0) lines.push(`No service uses ${old.name}: nothing restarts.`);
  for (const s of moving) {
    lines.push(`${s.name} (${s.mode}${s.stack ? `, stack ${s.stack}` : ''}, v${s.version}): ${s.mounts.map((m) => describeMount(kind, m)).join('; ')} — ${count(s.restarts, 'task', 'restarts', 'restart')}: ${s.policy}.`);
  }
  if (moved.length > 0) lines.push(`Already on ${next.name}: ${listSome(moved.map((s) => s.name))} (their rollouts are watched).`);
  if (moving.length > 0) {
    const restarts = moving.reduce((n, s) => n + s.restarts, 0);
    lines.push(`${count(moving.length, 'service', 'moves', 'move')} to ${next.name}, one at a time, each when the previous rollout has converged; ${count(restarts, 'task', 'restarts', 'restart')} in all. Each update is sent with the version shown: a service changed since stops the rotation there.`);
    lines.push(`A rollout that pauses or rolls back stops the rotation: services not yet moved keep ${old.name}; R continues after the fix.`);
  }
  lines.push(`${old.name} is kept until every rollout has converged; you are then asked whether to remove it.`);
  const stacks = [...new Set(moving.map((s) => s.stack).filter((x): x is string => x !== null))];
  if (stacks.length > 0) lines.push(`Stack ${stacks.join(', ')}: a later docker stack deploy of the same compose file puts ${old.name} back; name ${next.name} in the compose file.`);
  return lines;
}
