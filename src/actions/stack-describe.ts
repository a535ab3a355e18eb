import type { DeployPlan, PlanStep } from './stack-plan.js';
import { applyOrder } from './stack-apply.js';

/**
 * A deploy plan as the lines the confirmation shows (and the CLI prints):
 *   Stack web: 2 to create, 1 to update, 3 unchanged
 *   + network web_default (driver overlay)
 *   ~ service web_api
 *       TaskTemplate.ContainerSpec.Image: local/busybox:1 → local/busybox:2
 *   = service web_worker
 *   - service web_old
 */

const MARK: Readonly<Record<PlanStep['op'], string>> = { create: '+', update: '~', unchanged: '=', remove: '-' };

export function planCounts(plan: DeployPlan): string {
  const n = (op: PlanStep['op']): number => plan.steps.filter((s) => s.op === op).length;
  const parts = [`${n('create')} to create`, `${n('update')} to update`, `${n('unchanged')} unchanged`];
  if (n('remove') > 0) parts.push(`${n('remove')} to remove`);
  return `Stack ${plan.stack}: ${parts.join(', ')}`;
}

function stepLines(s: PlanStep): string[] {
  const head = `${MARK[s.op]} ${s.kind} ${s.name}${s.op === 'create' && s.changes.length > 0 ? ` (${s.changes.join(', ')})` : ''}${s.note ? ` — ${s.note}` : ''}`;
  const body = s.op === 'update' ? s.changes.map((c) => `    ${c}`) : [];
  return [head, ...body];
}

export function describePlan(plan: DeployPlan): string[] {
  const lines: string[] = [];
  if (plan.blockers.length > 0) {
    lines.push(`Stack ${plan.stack} cannot be deployed: nothing will be sent.`);
    lines.push(...plan.blockers.map((b) => `! ${b}`));
    return lines;
  }
  lines.push(planCounts(plan));
  // In the order they will be applied, unchanged objects after them.
  const ordered = [...applyOrder(plan.steps), ...plan.steps.filter((s) => s.op === 'unchanged')];
  for (const s of ordered) lines.push(...stepLines(s));
  const removed = plan.steps.filter((s) => s.op === 'remove');
  if (removed.length > 0) lines.push(`--prune: ${removed.length} service(s) no longer in the file are removed and their tasks stop.`);
  for (const w of plan.warnings) lines.push(`warning: ${w.replace(/\n+/g, ' ')}`);
  return lines;
}

export function hasChanges(plan: DeployPlan): boolean {
  return plan.steps.some((s) => s.op !== 'unchanged');
}
