import { removeService, updateService } from '../docker/api/write.js';
import type { ServiceModel, UpdatePolicy } from '../store/model.js';
import { isPaused } from '../store/service-status.js';
import type { ClusterState } from '../store/state.js';
import { count, findService, isLive, serviceName, tasksOf } from './lookup.js';
import { attempt } from './outcome.js';
import type { ActionSpec, ActionTarget } from './types.js';

export const MAX_REPLICAS = 10000;

function withService(state: ClusterState, target: ActionTarget, check: (s: ServiceModel) => true | string): true | string {
  const svc = findService(state, target);
  return svc ? check(svc) : 'the service no longer exists';
}

function liveTaskCount(state: ClusterState, serviceId: string): number {
  return tasksOf(state, serviceId).filter(isLive).length;
}

function seconds(ns: number): string {
  return `${Math.round(ns / 1e9)}s`;
}

/** "1 at a time, 5s apart, stop-first" as the operator would configure it. */
export function policyLine(p: UpdatePolicy | null): string {
  if (!p) return 'default policy: 1 task at a time, stop-first';
  const at = p.parallelism === 0 ? 'all at once' : `${p.parallelism} at a time`;
  return `${at}, ${seconds(p.delayNs)} apart, ${p.order || 'stop-first'}, on failure: ${p.failureAction || 'pause'}`;
}

export function parseReplicas(raw: string): number | string {
  const s = raw.trim();
  if (!/^\d+$/.test(s)) return 'enter a whole number of replicas';
  const n = Number(s);
  if (n > MAX_REPLICAS) return `at most ${MAX_REPLICAS} replicas`;
  return n;
}

export const scaleService: ActionSpec = {
  id: 'service.scale',
  label: 'Scale',
  key: 's',
  command: 'scale',
  targets: 'service',
  mutating: true,
  dangerous: true,
  available: (state, target) =>
    withService(state, target, (s) => {
      switch (s.mode.kind) {
        case 'replicated':
          return true;
        case 'global':
          return `${s.name} is a global service: it runs one task per eligible node and cannot be scaled`;
        case 'replicated-job':
        case 'global-job':
          return `${s.name} is a job: it runs to completion and cannot be scaled`;
      }
    }),
  input: {
    kind: 'number',
    prompt: 'replicas',
    initial: (state, target) => {
      const m = findService(state, target)?.mode;
      return m?.kind === 'replicated' ? String(m.replicas) : '';
    },
    validate: (raw) => {
      const n = parseReplicas(raw);
      return typeof n === 'string' ? n : null;
    },
  },
  impact(state, target, input) {
    const svc = findService(state, target);
    const n = parseReplicas(input ?? '');
    if (typeof n === 'string') return [n];
    const current = svc?.mode.kind === 'replicated' ? svc.mode.replicas : 0;
    const name = serviceName(state, target);
    const lines = [`${name}: replicas ${current} → ${n}`];
    if (n > current) lines.push(`${count(n - current, 'task', 'starts', 'start')}.`);
    else if (n < current) lines.push(`${count(current - n, 'task', 'stops', 'stop')}.`);
    else lines.push('No change.');
    if (n === 0 && current > 0) lines.push(`Every task of ${name} stops: it stays defined but serves nothing.`);
    return lines;
  },
  run: (ctx, target, input) =>
    attempt(target, async () => {
      const n = parseReplicas(input ?? '');
      if (typeof n === 'string') return { kind: 'refused', message: n };
      await updateService(ctx.connection, target.id, target.version, { kind: 'scale', replicas: n });
      return `${target.name ?? target.id} scaled to ${n}`;
    }),
};

export const forceUpdateService: ActionSpec = {
  id: 'service.force-update',
  label: 'Force update (rolling restart)',
  key: 'F',
  command: 'force-update',
  targets: 'service',
  mutating: true,
  dangerous: true,
  available: (state, target) => withService(state, target, () => true),
  impact(state, target) {
    const svc = findService(state, target);
    const n = liveTaskCount(state, target.id);
    const lines = [
      `Every task of ${serviceName(state, target)} (${n}) is replaced with an identical one.`,
      `Rolling: ${policyLine(svc?.updateConfig ?? null)}.`,
    ];
    if ((svc?.updateConfig?.order ?? 'stop-first') === 'stop-first') lines.push('stop-first: each replaced task is down until its successor starts.');
    return lines;
  },
  run: (ctx, target) =>
    attempt(target, async () => {
      await updateService(ctx.connection, target.id, target.version, { kind: 'force-update' });
      return `rolling restart of ${target.name ?? target.id} started`;
    }),
};

export const rollbackService: ActionSpec = {
  id: 'service.rollback',
  label: 'Roll back to the previous spec',
  key: 'R',
  command: 'rollback',
  targets: 'service',
  mutating: true,
  dangerous: true,
  available: (state, target) => withService(state, target, (s) => (s.hasPreviousSpec ? true : `${s.name} has no previous spec to roll back to`)),
  impact(state, target) {
    const svc = findService(state, target);
    const lines: string[] = [];
    if (svc?.previousImage && svc.previousImage !== svc.image) lines.push(`${svc.name}: image ${svc.image} → ${svc.previousImage}`);
    else lines.push(`${serviceName(state, target)} returns to its previous spec${svc ? ` (image stays ${svc.image})` : ''}.`);
    lines.push(`Tasks are replaced: ${policyLine(svc?.rollbackConfig ?? null)}.`);
    return lines;
  },
  run: (ctx, target) =>
    attempt(target, async () => {
      await updateService(ctx.connection, target.id, target.version, { kind: 'rollback' });
      return `rollback of ${target.name ?? target.id} started`;
    }),
};

export const resumeService: ActionSpec = {
  id: 'service.resume',
  label: 'Resume the paused update',
  key: 'U',
  command: 'resume',
  targets: 'service',
  mutating: true,
  dangerous: true,
  available: (state, target) => withService(state, target, (s) => (isPaused(s) ? true : `${s.name} has no paused update or rollback`)),
  impact(state, target) {
    const svc = findService(state, target);
    const what = svc?.updateStatus?.state === 'rollback_paused' ? 'rollback' : 'update';
    const lines = [`The paused ${what} of ${serviceName(state, target)} continues with the remaining tasks.`];
    if (svc?.updateStatus?.message) lines.push(`It paused because: ${svc.updateStatus.message}`);
    lines.push('If the cause is still there it pauses again; R rolls back instead.');
    // swarmkit stores the spec an update replaces as PreviousSpec: re-submitting the spec to resume makes
    // the failing spec its own "previous" one, so the way back is lost.
    if (what === 'update' && svc?.hasPreviousSpec) {
      const before = svc.previousImage && svc.previousImage !== svc.image ? ` (${svc.previousImage})` : '';
      lines.push(`After resuming, R can no longer return to the spec before this update${before}: the resumed spec becomes the previous one.`);
    }
    return lines;
  },
  run: (ctx, target) =>
    attempt(target, async () => {
      await updateService(ctx.connection, target.id, target.version, { kind: 'resume' });
      return `update of ${target.name ?? target.id} resumed`;
    }),
};

export const removeServiceAction: ActionSpec = {
  id: 'service.remove',
  label: 'Remove service',
  key: 'X',
  command: 'rm',
  targets: 'service',
  mutating: true,
  dangerous: true,
  available: (state, target) => withService(state, target, () => true),
  impact(state, target) {
    const svc = findService(state, target);
    const lines = [`${serviceName(state, target)} is deleted and its ${count(liveTaskCount(state, target.id), 'task', 'stops', 'stop')}.`];
    if (svc?.ports.some((p) => p.publishedPort > 0)) lines.push(`Published ports are released: ${svc.ports.map((p) => `${p.publishedPort}/${p.protocol}`).join(', ')}`);
    if (svc?.stack) lines.push(`It belongs to stack ${svc.stack}: the next docker stack deploy recreates it.`);
    return lines;
  },
  // No version on DELETE: removing is the same whatever changed in the spec.
  run: (ctx, target) =>
    attempt(target, async () => {
      await removeService(ctx.connection, target.id);
      return `${target.name ?? target.id} removed`;
    }),
};

export const SERVICE_ACTIONS: readonly ActionSpec[] = [scaleService, forceUpdateService, rollbackService, resumeService, removeServiceAction];
