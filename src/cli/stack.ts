import { guardAction } from '../actions/guard.js';
import { fileAuditLog, type AuditSink } from '../actions/audit.js';
import { describePlan, hasChanges } from '../actions/stack-describe.js';
import { composeMessage, deployStack, prepareDeploy, removeStack, validateStackName } from '../actions/stacks.js';
import { exportStack } from '../actions/stack-export.js';
import type { ResolveImage } from '../actions/stack-plan.js';
import type { ActionContext, ActionOutcome, ActionSpec } from '../actions/types.js';
import type { DockerConnection } from '../docker/connection.js';
import { connectTarget, createConnector, interactiveConnectOptions } from '../docker/connect/index.js';
import { toDockerApiError } from '../docker/errors.js';
import { waitConverged } from './stack-wait.js';
import { UsageError, parseGroupArgs } from './args.js';
import type { CommandGroup, GroupInvocation } from './groups.js';
import { resolveTarget } from './target.js';
import { emptyConnection, emptyState } from '../store/state.js';

/**
 * `swarmtop stack deploy|rm|export`: the docker CLI's stack commands over swarmtop's own connections
 * (SSH, TLS, contexts), with the console's plan printed before anything is sent, read-only mode
 * honoured and every object changed written to the audit log.
 */

const RESOLVE: readonly ResolveImage[] = ['always', 'changed', 'never'];

interface Env {
  conn: DockerConnection;
  ctx: ActionContext;
  guard: (a: ActionSpec) => ActionSpec;
}

async function withConnection<T>(inv: GroupInvocation, options: GroupInvocation['options'], audit: AuditSink | undefined, body: (env: Env) => Promise<T>): Promise<T> {
  const target = resolveTarget(options);
  const conn = await connectTarget(target, createConnector(interactiveConnectOptions()));
  const ctx: ActionContext = { connection: conn, context: target.context, readOnly: target.readOnly };
  try {
    return await body({ conn, ctx, guard: (a) => guardAction(a, { readOnly: target.readOnly, audit: audit ?? fileAuditLog() }) });
  } finally {
    await conn.close().catch(() => undefined);
  }
}

function print(out: NodeJS.WritableStream, lines: readonly string[]): void {
  for (const l of lines) out.write(`${l}\n`);
}

function finish(inv: GroupInvocation, outcome: ActionOutcome): number {
  if (outcome.kind === 'done') {
    inv.stdout.write(`${outcome.message.split('; ').join('\n')}\n`);
    return 0;
  }
  inv.stderr.write(`swarmtop: ${outcome.message.split('; ').join('\n')}\n`);
  return 1;
}

/** `--detach=false` as the docker CLI spells it; node's parser only knows bare booleans. */
function normalizeDetach(argv: readonly string[]): string[] {
  return argv.map((a) => (a === '--detach=false' || a === '-d=false' ? '--no-detach' : a === '--detach=true' ? '--detach' : a));
}

async function deploy(inv: GroupInvocation, argv: readonly string[]): Promise<number> {
  const { connection, values, positionals } = parseGroupArgs(inv.options, normalizeDetach(argv), {
    'compose-file': { type: 'string', short: 'c', multiple: true },
    prune: { type: 'boolean' },
    detach: { type: 'boolean', short: 'd' },
    'no-detach': { type: 'boolean' },
    'resolve-image': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  const files = (values['compose-file'] as string[] | undefined) ?? [];
  if (positionals.length !== 1) throw new UsageError('stack deploy: exactly one STACK name (swarmtop stack deploy -c FILE NAME)');
  const stack = positionals[0] as string;
  const bad = validateStackName(stack);
  if (bad) throw new UsageError(bad);
  if (files.length === 0) throw new UsageError('Specify a Compose file (with --compose-file)');
  const resolveImage = (values['resolve-image'] as string | undefined) ?? 'always';
  if (!RESOLVE.includes(resolveImage as ResolveImage)) throw new UsageError(`Invalid option ${resolveImage} for flag --resolve-image`);
  return withConnection(inv, connection, undefined, async ({ conn, ctx, guard }) => {
    let plan;
    try {
      plan = await prepareDeploy(conn, { files, stack, prune: values.prune === true, resolveImage: resolveImage as ResolveImage });
    } catch (err) {
      inv.stderr.write(`swarmtop: ${composeMessage(err)}\n`);
      return 1;
    }
    for (const w of plan.warnings) inv.stderr.write(`${w}\n\n`);
    if (plan.blockers.length > 0) {
      print(inv.stderr, describePlan(plan));
      return 1;
    }
    if (values.quiet !== true) print(inv.stdout, describePlan(plan).filter((l) => !l.startsWith('warning: ')));
    if (!hasChanges(plan)) return 0;
    const outcome = await guard(deployStack).run(ctx, { kind: 'stack', id: stack, name: stack, version: 0 }, null, plan);
    const code = finish(inv, outcome);
    if (code !== 0 || values['no-detach'] !== true || outcome.kind !== 'done') return code;
    return waitConverged(conn, outcome.follow?.services ?? [], inv.stdout, inv.stderr);
  });
}

async function remove(inv: GroupInvocation, argv: readonly string[]): Promise<number> {
  const { connection, positionals } = parseGroupArgs(inv.options, argv, {});
  if (positionals.length === 0) throw new UsageError('stack rm: at least one STACK name');
  return withConnection(inv, connection, undefined, async ({ ctx, guard }) => {
    let code = 0;
    for (const stack of positionals) {
      const action = guard(removeStack);
      const target = { kind: 'stack' as const, id: stack, name: stack, version: 0 };
      const prepared = await action.prepare?.(ctx, emptyState(emptyConnection(ctx.context, '')), target, null);
      if (!prepared || prepared.kind === 'failed') {
        inv.stderr.write(`swarmtop: ${prepared?.message ?? 'cannot read the stack'}\n`);
        code = 1;
        continue;
      }
      if (prepared.kind === 'nothing') {
        inv.stderr.write(`${prepared.message}\n`);
        continue;
      }
      if (prepared.kind === 'ask') {
        // Removing a stack never asks to re-plan; a question here is a bug, not something to answer.
        inv.stderr.write(`swarmtop: ${prepared.title}: nothing was removed\n`);
        code = 1;
        continue;
      }
      print(inv.stdout, prepared.impact);
      code = Math.max(code, finish(inv, await action.run(ctx, target, null, prepared.plan)));
    }
    return code;
  });
}

async function exportCmd(inv: GroupInvocation, argv: readonly string[]): Promise<number> {
  const { connection, positionals } = parseGroupArgs(inv.options, argv, {});
  if (positionals.length > 1) throw new UsageError('stack export: at most one STACK name (none: the services in no stack)');
  return withConnection(inv, connection, undefined, async ({ conn }) => {
    try {
      const { yaml, notes } = await exportStack(conn, positionals[0] ?? null);
      for (const n of notes) inv.stderr.write(`# ${n}\n`);
      inv.stdout.write(yaml);
      return 0;
    } catch (err) {
      inv.stderr.write(`swarmtop: ${toDockerApiError(err).message}\n`);
      return 1;
    }
  });
}

export const stackGroup: CommandGroup = {
  usage: [
    'stack deploy -c FILE [-c FILE2] NAME [--prune] [--detach=false] [--resolve-image always|changed|never]',
    'stack rm NAME...                      remove stacks (services, secrets, configs, networks)',
    'stack export [NAME]                   print a stack (or the services in no stack) as a compose file',
  ],
  async run(inv) {
    const [verb, ...rest] = inv.argv;
    switch (verb) {
      case 'deploy':
      case 'up':
        return deploy(inv, rest);
      case 'rm':
      case 'remove':
      case 'down':
        return remove(inv, rest);
      case 'export':
        return exportCmd(inv, rest);
      default:
        throw new UsageError(`stack ${verb ?? ''}: unknown verb (deploy, rm, export)`);
    }
  },
};

