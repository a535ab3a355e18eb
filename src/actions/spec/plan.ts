import { readServiceSpec } from '../../docker/api/specs.js';
import { replaceServiceSpec } from '../../docker/api/write.js';
import type { ClusterState } from '../../store/state.js';
import { isLive, serviceName, tasksOf } from '../lookup.js';
import { attempt } from '../outcome.js';
import type { ActionContext, ActionOutcome, ActionTarget, Prepared } from '../types.js';
import { specImpact } from './impact.js';
import type { Parsed } from './quick.js';
import type { Spec } from './spec-yaml.js';
import { validateServiceSpec } from './validate.js';

/**
 * A confirmed change of a whole service spec: what it was (as read, at `version`), what it becomes, and
 * the masked diff the audit log records. run() sends `after` with `version`, nothing else.
 */
export interface SpecPlan {
  serviceId: string;
  name: string;
  version: number;
  before: Spec;
  after: Spec;
  /** Field diff, secret-looking values masked (for the audit log). */
  audit: readonly string[];
  replacesTasks: boolean;
}

export function isSpecPlan(v: unknown): v is SpecPlan {
  const p = v as Partial<SpecPlan> | null;
  return p !== null && typeof p === 'object' && typeof p.serviceId === 'string' && typeof p.version === 'number' && typeof p.after === 'object' && Array.isArray(p.audit);
}

/** The plan of turning `before` (read at `version`) into `after`, with its cost; nothing when they are equal. */
export function planSpec(state: ClusterState, target: ActionTarget, read: { spec: Spec; version: number }, after: Spec, lead: readonly string[] = []): Prepared {
  const svc = state.services.get(target.id);
  const name = serviceName(state, target);
  const liveTasks = tasksOf(state, target.id).filter(isLive).length;
  const impact = specImpact(read.spec, after, { name, liveTasks, stack: svc?.stack ?? null });
  if (impact.changes.length === 0) return { kind: 'nothing', message: `no change: ${name}'s spec already says so; nothing was sent` };
  const lines = [...lead, ...impact.notes, 'Changes:', ...impact.diff.map((d) => `  ${d}`)];
  if (read.version !== target.version && target.version > 0) {
    lines.push(`${name} changed since you looked (version ${target.version} → ${read.version}): this plan is against its current spec.`);
  }
  const plan: SpecPlan = { serviceId: target.id, name, version: read.version, before: read.spec, after, audit: impact.diff, replacesTasks: impact.replacesTasks };
  return { kind: 'plan', impact: lines, plan };
}

/** prepare() of a one-line change: read the spec now, apply the parsed line, check it, plan it. */
export async function prepareChange(ctx: ActionContext, state: ClusterState, target: ActionTarget, parsed: Parsed, lead: (before: Spec, after: Spec) => string[] = () => []): Promise<Prepared> {
  if (typeof parsed === 'string') return { kind: 'failed', message: parsed };
  const read = await readServiceSpec(ctx.connection, target.id);
  const after = parsed.change(structuredClone(read.spec));
  const problems = validateServiceSpec(after, read.spec);
  if (problems.length > 0) return { kind: 'failed', message: `nothing was sent: ${problems.map((p) => p.message).join('; ')}` };
  return planSpec(state, target, { spec: read.spec, version: read.currentVersion }, after, lead(read.spec, after));
}

/** run() of a spec plan: the confirmed spec, sent with the version it was read at; the rollout follows when tasks are replaced. */
export function runSpecPlan(ctx: ActionContext, target: ActionTarget, plan: unknown, done: (p: SpecPlan) => string): Promise<ActionOutcome> {
  if (!isSpecPlan(plan)) return Promise.resolve({ kind: 'refused', message: 'no confirmed plan: nothing was sent' });
  return attempt(target, async () => {
    const { warnings } = await replaceServiceSpec(ctx.connection, plan.serviceId, plan.version, plan.after);
    const warned = warnings.length > 0 ? ` (engine: ${warnings.join('; ')})` : '';
    return { kind: 'done', message: `${done(plan)}${warned}`, ...(plan.replacesTasks ? { follow: { services: [{ id: plan.serviceId, name: plan.name }] } } : {}) };
  });
}
