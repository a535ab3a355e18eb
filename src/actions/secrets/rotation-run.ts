import { createSecretObject, swapServiceReference } from '../../docker/api/secrets.js';
import { toDockerApiError } from '../../docker/errors.js';
import type { Id } from '../../store/model.js';
import { listSome } from '../lookup.js';
import type { ActionContext, ActionOutcome, ActionTarget } from '../types.js';
import { waitForVerdict, type Verdict } from './converge.js';
import type { PlannedService, RotationPlan } from './rotation-plan.js';

/** Which rotation a view or printer follows: the services of both versions are read from the live state. */
export interface RotationRef {
  kind: RotationPlan['kind'];
  oldId: Id;
  oldName: string;
  newId: Id | null;
  newName: string;
}

export interface RotationProgress {
  ref: RotationRef;
  /** What is happening now, one line. */
  phase: string;
  /** The service being moved or watched. */
  current: Id | null;
  /** The rotation has ended (done or stopped); phase then says how. */
  ended: boolean;
  stopped: boolean;
}

/** Zeroes the value a plan holds (after it was sent, or when the plan is dropped). */
export function releasePlan(plan: unknown): void {
  const value = (plan as Partial<RotationPlan> | null)?.value;
  if (Buffer.isBuffer(value)) value.fill(0);
}

const uses = (kind: RotationPlan['kind'], id: Id) => (s: { secretIds: readonly Id[]; configIds: readonly Id[] }): boolean =>
  (kind === 'secret' ? s.secretIds : s.configIds).includes(id);

/**
 * Carries out a confirmed plan: creates the new version (unless an earlier rotation did), then moves the
 * services one at a time with the version each had in the plan, waiting for each rollout to converge
 * (when ctx.live is given) before the next. It stops at the first stale version, failed update, paused or
 * rolled-back rollout, or when the operator asks (ctx.signal), saying what is done and what is left.
 * The old version is never removed here: the outcome offers that (outcome.next) once all converged.
 */
export async function runRotation(ctx: ActionContext, plan: RotationPlan): Promise<ActionOutcome> {
  const { kind, old } = plan;
  const ref: RotationRef = { kind, oldId: old.id, oldName: old.name, newId: plan.next.id, newName: plan.next.name };
  const report = (phase: string, current: Id | null = null, ended = false, stopped = false): void =>
    ctx.progress?.({ ref: { ...ref }, phase, current, ended, stopped } satisfies RotationProgress);
  const done: string[] = [];
  const moved: string[] = plan.services.filter((s) => s.uses === 'new').map((s) => s.name);
  const step = (s: string, t: ActionTarget, outcome: ActionOutcome): Promise<void> => ctx.recordStep?.({ step: s, target: t, outcome }) ?? Promise.resolve();

  // 1. The new version.
  if (ref.newId === null) {
    report(`creating ${kind} ${ref.newName}…`);
    const value = plan.value;
    if (!value) return { kind: 'failed', message: `no value for ${ref.newName}: nothing was changed` };
    try {
      ref.newId = await createSecretObject(ctx.connection, kind, { name: ref.newName, labels: plan.next.labels, data: value, templateDriver: plan.templateDriver });
    } catch (err) {
      const message = `could not create ${kind} ${ref.newName}: ${toDockerApiError(err).message}. Nothing was changed; ${old.name} is in use as before.`;
      await step('create', { kind, id: '', name: ref.newName, version: 0 }, { kind: 'failed', message });
      report(message, null, true, true);
      return { kind: 'failed', message };
    } finally {
      value.fill(0);
    }
    done.push(`created ${ref.newName}`);
    await step('create', { kind, id: ref.newId, name: ref.newName, version: 0 }, { kind: 'done', message: `${kind} ${ref.newName} created (replaces ${old.name})` });
  }
  const newId = ref.newId;
  const applied = uses(kind, newId);

  const left = (from: number): string[] => plan.services.slice(from).filter((s) => s.uses === 'old').map((s) => s.name);
  const summary = (i: number): string => {
    const l = left(i);
    const parts = [...done];
    if (moved.length > 0) parts.push(`on ${ref.newName}: ${listSome(moved)}`);
    return `Done: ${parts.length > 0 ? parts.join('; ') : 'nothing'}. Left on ${old.name}: ${l.length > 0 ? listSome(l) : 'none'}. ${old.name} is kept; R continues.`;
  };
  const stop = (kindOf: 'failed' | 'stale', why: string, i: number): ActionOutcome => {
    const message = `${why} ${summary(i)}`;
    report(message, null, true, true);
    return { kind: kindOf, message };
  };
  const watch = async (s: PlannedService, sentVersion: number): Promise<Verdict | null> => {
    if (!ctx.live) return { kind: 'converged', rollout: null };
    report(`waiting for ${s.name} to converge on ${ref.newName}…`, s.id);
    return waitForVerdict(ctx.live, s.id, sentVersion, applied, ctx.signal);
  };
  const judge = (v: Verdict | null, s: PlannedService, i: number): ActionOutcome | null => {
    if (v === null) return stop('failed', `Stopped at your request while ${s.name} was rolling out (its rollout goes on in the engine).`, i);
    switch (v.kind) {
      case 'paused': return stop('failed', `${s.name}: the rollout paused${v.message ? ` (${v.message})` : ''}.`, i);
      case 'rolled-back': return stop('failed', `${s.name}: the rollout rolled back to ${old.name}${v.message ? ` (${v.message})` : ''}.`, i);
      case 'changed': return stop('failed', `${v.message}.`, i);
      case 'gone': case 'converged': case 'converging': return null;
    }
  };

  // 2. Services already moved by an earlier run: their rollouts must have converged too.
  for (const s of plan.services.filter((x) => x.uses === 'new')) {
    const stopped = judge(await watch(s, 0), s, 0);
    if (stopped) return stopped;
  }

  // 3. The services still on the old version, one at a time.
  for (let i = 0; i < plan.services.length; i++) {
    const s = plan.services[i]!;
    if (s.uses !== 'old') continue;
    if (ctx.signal?.aborted) return stop('failed', 'Stopped at your request.', i);
    report(`moving ${s.name} to ${ref.newName}…`, s.id);
    const svcTarget: ActionTarget = { kind: 'service', id: s.id, name: s.name, version: s.version };
    let swapped: number;
    try {
      swapped = await swapServiceReference(ctx.connection, s.id, s.version, kind, old.id, { id: newId, name: ref.newName });
    } catch (err) {
      const e = toDockerApiError(err);
      const why = e.outOfSequence
        ? `${s.name} changed since you looked (you saw version ${s.version}): it was not updated.`
        : `${s.name}: the update failed: ${e.message}${e.status !== null ? ` (HTTP ${e.status})` : ''}.`;
      const outcome = stop(e.outOfSequence ? 'stale' : 'failed', why, i);
      await step('update-service', svcTarget, { kind: outcome.kind, message: why });
      return outcome;
    }
    await step('update-service', svcTarget, { kind: 'done', message: swapped > 0 ? `${s.name} now mounts ${ref.newName} instead of ${old.name}` : `${s.name} no longer mounts ${old.name}: nothing to change` });
    if (swapped === 0) continue;
    moved.push(s.name);
    const stopped = judge(await watch(s, s.version), s, i + 1);
    if (stopped) return stopped;
  }

  const count = moved.length;
  if (!ctx.live) {
    const message = `${ref.newName} is mounted by ${count} service${count === 1 ? '' : 's'}; rollouts not watched. ${old.name} is kept: R (or the same command again) watches them and offers to remove it.`;
    report(message, null, true);
    return { kind: 'done', message };
  }
  const message = `${count === 0 ? 'no service used it' : `every rollout converged: ${listSome(moved)} on ${ref.newName}`}; ${old.name} is no longer used.`;
  report(message, null, true);
  return { kind: 'done', message, next: { actionId: `${kind}.remove`, target: { kind, id: old.id, name: old.name, version: old.version } } };
}

export function isRotationProgress(p: unknown): p is RotationProgress {
  if (p === null || typeof p !== 'object') return false;
  const r = (p as { ref?: unknown }).ref;
  return r !== null && typeof r === 'object' && typeof (p as { phase?: unknown }).phase === 'string' && typeof (r as { oldId?: unknown }).oldId === 'string';
}
