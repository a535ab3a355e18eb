import { convertService } from '../compose/convert-service.js';
import type { DockerConnection } from '../docker/connection.js';
import { toDockerApiError } from '../docker/errors.js';
import {
  createConfig, createNetwork, createSecret, createService, listAll, removeObject, replaceServiceSpec, updateFileObject,
} from '../docker/api/stack.js';
import { asObject, type JsonObject } from '../docker/api/specs.js';
import { idsFrom, type DeployPlan, type PlanStep } from './stack-plan.js';

/**
 * Applies a confirmed plan, one object at a time, in the docker CLI's order (networks, secrets, configs,
 * services; removals last), except that secrets and configs that already exist are sent first: the
 * engine refuses a changed content there, and it is better refused before anything was created.
 * Each update carries the version the plan read. The first failure stops everything: nothing is retried
 * and the report says what was done and what was not.
 */

export interface StepResult {
  step: PlanStep;
  result: 'done' | 'failed' | 'stale' | 'skipped';
  message: string;
  /** The object's id after the step (created objects get theirs here). */
  id?: string;
}

export interface ApplyReport {
  results: StepResult[];
  /** Service ids created or updated (their rollouts are worth watching). */
  changedServices: { id: string; name: string }[];
  warnings: string[];
  ok: boolean;
}

const PHASE: Readonly<Record<string, number>> = { 'secret:update': 0, 'config:update': 0, 'network:create': 1, 'secret:create': 2, 'config:create': 3, 'service:create': 4, 'service:update': 4, 'service:remove': 5 };

export function applyOrder(steps: readonly PlanStep[]): PlanStep[] {
  return steps.filter((s) => s.op !== 'unchanged').map((s, i) => ({ s, i })).sort((a, b) => (PHASE[`${a.s.kind}:${a.s.op}`] ?? 9) - (PHASE[`${b.s.kind}:${b.s.op}`] ?? 9) || a.i - b.i).map((x) => x.s);
}

function verb(step: PlanStep): string {
  return step.op === 'create' ? 'create' : step.op === 'remove' ? 'remove' : 'update';
}

async function applyStep(conn: DockerConnection, plan: DeployPlan, step: PlanStep, secretIds: Map<string, string>, configIds: Map<string, string>, warnings: string[]): Promise<string> {
  const spec = step.spec ?? {};
  switch (`${step.kind}:${step.op}`) {
    case 'network:create':
      return createNetwork(conn, spec);
    case 'secret:create': {
      const id = await createSecret(conn, spec);
      secretIds.set(step.name, id);
      return id;
    }
    case 'config:create': {
      const id = await createConfig(conn, spec);
      configIds.set(step.name, id);
      return id;
    }
    case 'secret:update':
    case 'config:update':
      await updateFileObject(conn, step.kind as 'secret' | 'config', step.id ?? '', step.version ?? 0, spec);
      return step.id ?? '';
    case 'service:create':
    case 'service:update': {
      const svc = plan.config.services.find((x) => x.name === step.service);
      // Re-made with the IDs of the secrets and configs this deploy created; the image and ForceUpdate
      // stay as the plan chose them (the running image is kept when the file names the same one).
      const body = svc ? keepPlanChoices(convertService(plan.stack, plan.config, svc, idsFrom(secretIds, configIds)), spec) : spec;
      const res = step.op === 'create' ? await createService(conn, body) : await replaceServiceSpec(conn, step.id ?? '', step.version ?? 0, body);
      warnings.push(...res.warnings.map((w) => `${step.name}: ${w}`));
      return res.id;
    }
    case 'service:remove':
      await removeObject(conn, 'service', step.id ?? '');
      return step.id ?? '';
    default:
      throw new Error(`nothing to do for ${step.kind} ${step.op}`);
  }
}

function keepPlanChoices(fresh: JsonObject, planned: JsonObject): JsonObject {
  const task = asObject(fresh.TaskTemplate);
  const plannedTask = asObject(planned.TaskTemplate);
  const container = { ...asObject(task.ContainerSpec), Image: asObject(plannedTask.ContainerSpec).Image };
  return { ...fresh, TaskTemplate: { ...task, ContainerSpec: container, ...(plannedTask.ForceUpdate !== undefined ? { ForceUpdate: plannedTask.ForceUpdate } : {}) } };
}

export async function applyPlan(conn: DockerConnection, plan: DeployPlan): Promise<ApplyReport> {
  const [secrets, configs] = await Promise.all([listAll(conn, 'secret'), listAll(conn, 'config')]);
  const secretIds = new Map(secrets.map((s) => [s.name, s.id]));
  const configIds = new Map(configs.map((c) => [c.name, c.id]));
  const results: StepResult[] = [];
  const warnings: string[] = [];
  const changedServices: { id: string; name: string }[] = [];
  let stopped = false;
  for (const step of applyOrder(plan.steps)) {
    if (stopped) {
      results.push({ step, result: 'skipped', message: `not ${step.op === 'create' ? 'created' : step.op === 'remove' ? 'removed' : 'updated'}: stopped at the failure above` });
      continue;
    }
    try {
      const id = await applyStep(conn, plan, step, secretIds, configIds, warnings);
      results.push({ step, result: 'done', message: `${step.kind} ${step.name} ${verb(step)}d`, id });
      if (step.kind === 'service' && step.op !== 'remove') changedServices.push({ id, name: step.name });
    } catch (err) {
      const e = toDockerApiError(err);
      stopped = true;
      if (e.outOfSequence) results.push({ step, result: 'stale', message: `${step.kind} ${step.name} changed since the plan was made (version ${step.version ?? 0}): not updated; re-read and deploy again` });
      else results.push({ step, result: 'failed', message: `failed to ${verb(step)} ${step.kind} ${step.name}: ${e.message}` });
    }
  }
  return { results, changedServices, warnings, ok: !stopped };
}

/** The report as lines: what was done, what failed, what was not done. */
export function describeReport(report: ApplyReport): string[] {
  const done = report.results.filter((r) => r.result === 'done');
  const failed = report.results.filter((r) => r.result === 'failed' || r.result === 'stale');
  const skipped = report.results.filter((r) => r.result === 'skipped');
  const lines: string[] = [];
  if (done.length > 0) lines.push(`done: ${done.map((r) => `${verb(r.step)} ${r.step.kind} ${r.step.name}`).join(', ')}`);
  for (const f of failed) lines.push(f.message);
  if (skipped.length > 0) lines.push(`not done: ${skipped.map((r) => `${verb(r.step)} ${r.step.kind} ${r.step.name}`).join(', ')}`);
  if (report.results.length === 0) lines.push('nothing to change');
  return [...lines, ...report.warnings];
}
