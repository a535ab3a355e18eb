import { basename, dirname, resolve } from 'node:path';
import { ComposeError, ComposeErrors } from '../compose/model.js';
import type { DockerConnection } from '../docker/connection.js';
import { toDockerApiError } from '../docker/errors.js';
import { applyPlan, describeReport, type ApplyReport } from './stack-apply.js';
import { describePlan, hasChanges } from './stack-describe.js';
import { planDeploy, type DeployPlan, type ResolveImage } from './stack-plan.js';
import { planRemoval, removeStackObjects, describeRemoval, type RemovalPlan } from './stack-remove.js';
import type { ActionSpec, ObjectOutcome, Prepared } from './types.js';

/**
 * Stack operations: deploy/update a compose file (plan first, then exactly that plan), and remove a
 * stack. The same functions serve the console (`:deploy`, X on the stacks pane) and `swarmtop stack`.
 */

/** The docker CLI's rule for stack names. */
export function validateStackName(name: string): string | null {
  if (name === '') return 'a stack name is required';
  if (/[\s]/.test(name) || /[^a-zA-Z0-9_.-]/.test(name) || !/^[a-zA-Z0-9]/.test(name)) return `invalid stack name "${name}": letters, digits, _ . - only, starting with a letter or digit`;
  return null;
}

export interface DeployRequest {
  files: readonly string[];
  stack: string;
  prune: boolean;
  resolveImage: ResolveImage;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

/** Load errors as the operator should read them: every located problem, one a line. */
export function composeMessage(err: unknown): string {
  if (err instanceof ComposeErrors || err instanceof ComposeError) return err.message;
  return toDockerApiError(err).message;
}

export async function prepareDeploy(conn: DockerConnection, req: DeployRequest): Promise<DeployPlan> {
  // Loaded on first use: the schemas and ajv cost the console's start nothing until a deploy.
  const { loadCompose } = await import('../compose/load.js');
  const loaded = await loadCompose(req.files, { ...(req.env ? { env: req.env } : {}), ...(req.cwd ? { cwd: req.cwd } : {}) });
  return planDeploy(conn, req.stack, loaded.config, { prune: req.prune, resolveImage: req.resolveImage, warnings: loaded.warnings });
}

function objectOutcomes(report: ApplyReport): ObjectOutcome[] {
  return report.results
    .filter((r) => r.result !== 'skipped')
    .map((r) => ({ kind: r.step.kind, id: r.id ?? r.step.id ?? '', name: r.step.name, result: r.result === 'done' ? 'done' : r.result === 'stale' ? 'stale' : 'failed', message: r.message }));
}

/** `:deploy FILE[,FILE2] [NAME]`: NAME defaults to the first file's directory name, as compose names a project. */
export function parseDeployInput(raw: string): { files: string[]; stack: string } | string {
  const words = raw.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0 || words.length > 2) return 'usage: FILE[,FILE2...] [STACK]';
  const files = (words[0] as string).split(',').filter((f) => f !== '');
  const stack = words[1] ?? basename(dirname(resolve(files[0] ?? '.')));
  const bad = validateStackName(stack);
  return bad ?? { files, stack };
}

export const deployStack: ActionSpec = {
  id: 'stack.deploy',
  label: 'Deploy a compose file',
  key: 'D',
  command: 'deploy',
  targets: 'swarm',
  mutating: true,
  dangerous: true,
  available: () => true,
  input: {
    kind: 'text',
    prompt: 'compose file[,file2] [stack]',
    initial: () => '',
    validate: (raw) => {
      const p = parseDeployInput(raw);
      return typeof p === 'string' ? p : null;
    },
  },
  impact: () => ['The plan is read from the file and the cluster first.'],
  async prepare(ctx, _state, _target, input): Promise<Prepared> {
    const p = parseDeployInput(input ?? '');
    if (typeof p === 'string') return { kind: 'failed', message: p };
    try {
      const plan = await prepareDeploy(ctx.connection, { files: p.files, stack: p.stack, prune: false, resolveImage: 'never' });
      if (plan.blockers.length > 0) return { kind: 'failed', message: describePlan(plan).join('\n') };
      if (!hasChanges(plan)) return { kind: 'nothing', message: `stack ${plan.stack} is up to date with ${p.files.join(', ')}` };
      return { kind: 'plan', impact: describePlan(plan), plan };
    } catch (err) {
      return { kind: 'failed', message: composeMessage(err) };
    }
  },
  async run(ctx, _target, _input, plan) {
    if (!isPlan(plan)) return { kind: 'refused', message: 'no confirmed plan to apply' };
    const report = await applyPlan(ctx.connection, plan);
    const message = describeReport(report).join('; ');
    const objects = objectOutcomes(report);
    if (!report.ok) return { kind: 'failed', message, objects };
    return { kind: 'done', message, objects, follow: { services: report.changedServices } };
  },
};

function isPlan(p: unknown): p is DeployPlan {
  return p !== null && typeof p === 'object' && Array.isArray((p as DeployPlan).steps) && typeof (p as DeployPlan).stack === 'string';
}

function isRemoval(p: unknown): p is RemovalPlan {
  return p !== null && typeof p === 'object' && Array.isArray((p as RemovalPlan).services) && typeof (p as RemovalPlan).stack === 'string';
}

export const removeStack: ActionSpec = {
  id: 'stack.remove',
  label: 'Remove stack',
  key: 'X',
  command: 'stack-rm',
  targets: 'stack',
  mutating: true,
  dangerous: true,
  available: () => true,
  impact: (_state, target) => [`Stack ${target.name ?? target.id} is read first.`],
  async prepare(ctx, _state, target): Promise<Prepared> {
    const stack = target.name ?? target.id;
    try {
      const plan = await planRemoval(ctx.connection, stack);
      if (plan.services.length + plan.networks.length + plan.secrets.length + plan.configs.length === 0) return { kind: 'nothing', message: `Nothing found in stack: ${stack}` };
      return { kind: 'plan', impact: describeRemoval(plan), plan };
    } catch (err) {
      return { kind: 'failed', message: toDockerApiError(err).message };
    }
  },
  async run(ctx, _target, _input, plan) {
    if (!isRemoval(plan)) return { kind: 'refused', message: 'no confirmed plan to apply' };
    const results = await removeStackObjects(ctx.connection, plan);
    const objects: ObjectOutcome[] = results.map((r) => ({ kind: r.kind, id: r.id, name: r.name, result: r.ok ? 'done' : 'failed', message: r.message }));
    const failed = results.filter((r) => !r.ok);
    const message = failed.length === 0 ? `stack ${plan.stack} removed (${results.length} objects)` : `failed to remove some resources from stack: ${plan.stack}: ${failed.map((f) => f.message).join('; ')}`;
    return failed.length === 0 ? { kind: 'done', message, objects } : { kind: 'failed', message, objects };
  },
};

export const STACK_ACTIONS: readonly ActionSpec[] = [deployStack, removeStack];
