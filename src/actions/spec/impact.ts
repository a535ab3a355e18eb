import { diffSpecs, formatChange, redactChanges, type FieldChange } from '../spec-diff.js';
import { count, listSome, plural } from '../lookup.js';
import { formatDuration } from './units.js';
import type { Spec } from './spec-yaml.js';

/**
 * What a spec change will cost, in the operator's terms. swarmkit replaces a task when the service's
 * TaskTemplate or EndpointSpec no longer equals the one the task was made from (orchestrator IsTaskDirty):
 * an image, env, limit, mount or port change rolls every task through the update policy. Replicas,
 * labels, the update and rollback policies and the name of nothing else change no running task. A change
 * of placement alone moves only the tasks whose node no longer fits.
 */

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

function num(v: unknown, fallback: number): number {
  return typeof v === 'number' ? v : fallback;
}

/** The rolling policy of a spec ("1 at a time, 10s apart, stop-first, on failure: pause, monitor 5s"), engine defaults filled in. */
export function policyText(config: unknown): string {
  const c = obj(config);
  const parallelism = num(c.Parallelism, 1);
  const at = parallelism === 0 ? 'all at once' : `${parallelism} at a time`;
  const ratio = num(c.MaxFailureRatio, 0);
  const order = typeof c.Order === 'string' && c.Order !== '' ? c.Order : 'stop-first';
  const failure = typeof c.FailureAction === 'string' && c.FailureAction !== '' ? c.FailureAction : 'pause';
  return `${at}, ${formatDuration(num(c.Delay, 0))} apart, ${order}, on failure: ${failure}, monitor ${formatDuration(num(c.Monitor, 5e9))}${ratio > 0 ? `, max failure ratio ${ratio}` : ''}`;
}

/** Whether a changed path replaces tasks: 'all' (rolling update), 'placement' (only misplaced ones) or 'none'. */
export function replacementOf(path: string): 'all' | 'placement' | 'none' {
  if (path.startsWith('TaskTemplate.Placement')) return 'placement';
  if (path.startsWith('TaskTemplate') || path.startsWith('EndpointSpec')) return 'all';
  return 'none';
}

function replicas(spec: unknown): number | null {
  const r = obj(obj(obj(spec).Mode).Replicated).Replicas;
  return typeof r === 'number' ? r : null;
}

export interface SpecImpactContext {
  name: string;
  /** Tasks meant to run now (what a rolling update replaces). */
  liveTasks: number;
  /** The stack the service belongs to, if any (its next deploy sets the fields back). */
  stack: string | null;
}

export interface SpecImpact {
  changes: FieldChange[];
  /** The diff lines, secret-looking values masked: for the dialog and the audit log. */
  diff: string[];
  /** What the change costs (rolling update or not, stack warning). */
  notes: string[];
  replacesTasks: boolean;
}

function paths(changes: readonly FieldChange[]): string[] {
  return [...new Set(changes.map((c) => c.path.replace(/\[.*$/, '')))];
}

export function specImpact(before: Spec, after: Spec, ctx: SpecImpactContext): SpecImpact {
  const changes = diffSpecs(before, after);
  const diff = redactChanges(changes).map(formatChange);
  const all = changes.filter((c) => replacementOf(c.path) === 'all');
  const placement = changes.filter((c) => replacementOf(c.path) === 'placement');
  const none = changes.filter((c) => replacementOf(c.path) === 'none');
  const notes: string[] = [];
  if (all.length > 0) {
    notes.push(`Every task of ${ctx.name} (${ctx.liveTasks}) is replaced, rolling ${policyText(after.UpdateConfig)} — because of ${listSome(paths(all), 4)}.`);
  } else if (placement.length > 0) {
    notes.push(`Placement only: tasks on nodes that no longer meet it are moved; the others keep running (${listSome(paths(placement), 4)}).`);
  }
  if (none.length > 0) {
    const from = replicas(before);
    const to = replicas(after);
    const scale = from !== null && to !== null && from !== to ? ` (replicas ${from} → ${to}: ${to > from ? count(to - from, 'task', 'starts', 'start') : count(from - to, 'task', 'stops', 'stop')})` : '';
    notes.push(`${all.length > 0 ? 'Also changed, replacing no task by itself' : 'No running task is replaced'}: ${listSome(paths(none), 4)}${scale}.`);
  }
  if (ctx.stack !== null) notes.push(`${ctx.name} belongs to stack ${ctx.stack}: the next \`docker stack deploy\` of its file sets ${plural(changes.length, 'changed field')} back.`);
  return { changes, diff, notes, replacesTasks: all.length > 0 };
}
