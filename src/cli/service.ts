import { createInterface } from 'node:readline/promises';
import { fileAuditLog, guardedActions } from '../actions/index.js';
import { watchConvergence } from '../actions/converge.js';
import { isSpecPlan } from '../actions/spec/plan.js';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget, Prepared } from '../actions/types.js';
import { createConnector, interactiveConnectOptions } from '../docker/connect/index.js';
import type { ClusterState } from '../store/state.js';
import { createStore, type Store } from '../store/store.js';
import { emptyState } from '../store/state.js';
import { printable } from '../ui/format.js';
import { UsageError, parseGroupArgs } from './args.js';
import { progressPrinter, verdict } from './converge.js';
import type { CommandGroup, GroupInvocation } from './groups.js';
import { startLive } from './live-session.js';
import { resolveTarget } from './target.js';

/**
 * `swarmtop service set-image NAME IMAGE [--detach]` and `swarmtop service edit NAME [--detach]`: the
 * console's own actions (same plan, same checks, same audit line, read-only refused), for scripts and
 * runbooks. Without --detach the rollout is followed as `docker service update` does, and the exit code
 * says how it ended: 0 converged, 1 paused, rolled back or failed, 2 bad usage.
 */

const FIRST_CONTACT_MS = 20_000;
const CONVERGE_TIMEOUT_MS = 30 * 60_000;

const OPTIONS = { detach: { type: 'boolean', short: 'd' }, yes: { type: 'boolean', short: 'y' } } as const;

export const serviceGroup: CommandGroup = {
  usage: [
    'service set-image NAME IMAGE [--detach]   roll a service to another image; follows the rollout unless --detach',
    'service edit NAME [--detach]              edit the spec in $EDITOR: diff, confirm, update',
  ],
  run: runService,
};

function say(inv: GroupInvocation, text: string): void {
  inv.stderr.write(`${text}\n`);
}

/** Asks a y/N question on the terminal; anything but y is no. */
async function ask(inv: GroupInvocation, question: string): Promise<boolean> {
  const rl = createInterface({ input: inv.stdin, output: inv.stderr, terminal: false });
  try {
    inv.stderr.write(`${question} [y/N] `);
    const answer = await Promise.race([rl.question(''), new Promise<string>((r) => rl.once('close', () => r('')))]);
    return answer.trim().toLowerCase() === 'y';
  } finally {
    rl.close();
  }
}

function findService(state: ClusterState, name: string): ActionTarget | string {
  const all = [...state.services.values()];
  const svc = all.find((s) => s.name === name) ?? all.find((s) => s.id === name) ?? (name.length >= 6 ? all.find((s) => s.id.startsWith(name)) : undefined);
  return svc ? { kind: 'service', id: svc.id, name: svc.name, version: svc.version } : `no service named ${name}`;
}

async function waitLive(store: Store, live: { whenLive(ms: number): Promise<boolean> }): Promise<string | null> {
  await live.whenLive(FIRST_CONTACT_MS);
  const c = store.getState().connection;
  return c.status === 'live' ? null : `could not reach the cluster (${c.context}): ${c.error ?? c.status}`;
}

/** prepare(), with questions (re-open the editor?) asked on the terminal, until a plan or an end. */
async function planInteractively(inv: GroupInvocation, action: ActionSpec, ctx: ActionContext, store: Store, target: ActionTarget, input: string | null, resume?: unknown): Promise<Prepared> {
  let prepared = await action.prepare!(ctx, store.getState(), target, input, { resume });
  while (prepared.kind === 'ask') {
    say(inv, `${action.label}: ${prepared.title}`);
    for (const l of prepared.lines) say(inv, `  ${printable(l)}`);
    if (!inv.stdin.isTTY || !(await ask(inv, `${prepared.question}?`))) return { kind: 'nothing', message: 'cancelled: nothing was changed' };
    prepared = await action.prepare!(ctx, store.getState(), target, input, { resume: prepared.resume });
  }
  return prepared;
}

async function runVerb(inv: GroupInvocation, action: ActionSpec, ctx: ActionContext, store: Store, target: ActionTarget, input: string | null, confirm: boolean, detach: boolean): Promise<number> {
  let prepared = await planInteractively(inv, action, ctx, store, target, input);
  for (let round = 0; round < 5; round++) {
    if (prepared.kind !== 'plan') {
      say(inv, `${action.label}: ${printable(prepared.kind === 'ask' ? prepared.title : prepared.message)}`);
      return prepared.kind === 'nothing' ? 0 : 1;
    }
    say(inv, `${action.label} — service ${target.name ?? target.id}:`);
    for (const l of prepared.impact) say(inv, `  ${printable(l)}`);
    if (confirm && !(await ask(inv, 'Apply these changes?'))) {
      const kept = action.abandon ? await action.abandon(target, prepared.plan).catch(() => null) : null;
      say(inv, `${action.label}: cancelled; nothing was changed${kept ? ` — ${kept}` : ''}`);
      return 1;
    }
    const plan = prepared.plan;
    const outcome: ActionOutcome = await action.run(ctx, target, input, plan);
    if (outcome.kind === 'stale' && outcome.ask && confirm) {
      say(inv, `${action.label}: ${outcome.ask.title}`);
      for (const l of outcome.ask.lines) say(inv, `  ${printable(l)}`);
      if (!inv.stdin.isTTY || !(await ask(inv, `${outcome.ask.question}?`))) return 1;
      prepared = await planInteractively(inv, action, ctx, store, target, input, outcome.ask.resume);
      continue;
    }
    say(inv, `${action.label}: ${printable(outcome.message)}`);
    if (outcome.kind !== 'done') return 1;
    inv.stdout.write(`${target.name ?? target.id}\n`);
    if (detach || !isSpecPlan(plan)) return 0;
    return follow(inv, store, target, plan.version, plan.replacesTasks);
  }
  say(inv, `${action.label}: the service keeps changing; nothing more was sent`);
  return 1;
}

async function follow(inv: GroupInvocation, store: Store, target: ActionTarget, version: number, expectUpdate: boolean): Promise<number> {
  const svc = store.getState().services.get(target.id);
  const printer = progressPrinter(inv.stdout);
  const watched = await watchConvergence(store, { serviceId: target.id, afterVersion: version, expectUpdate }, {
    monitorMs: Math.max(0, (svc?.updateConfig?.monitorNs ?? 5e9) / 1e6),
    timeoutMs: CONVERGE_TIMEOUT_MS,
    onChange: (c, left) => printer.update(c, left),
  });
  const { line, code } = verdict(target.name ?? target.id, watched);
  (code === 0 ? inv.stdout : inv.stderr).write(`${line}\n`);
  return code;
}

async function runService(inv: GroupInvocation): Promise<number> {
  const args = parseGroupArgs(inv.options, inv.argv, OPTIONS);
  const [verb, name, image, ...extra] = args.positionals;
  const detach = args.values.detach === true;
  let actionId: string;
  let input: string | null = null;
  if (verb === 'set-image') {
    if (!name || !image || extra.length > 0) throw new UsageError('service set-image NAME IMAGE [--detach]');
    actionId = 'service.set-image';
    input = image;
  } else if (verb === 'edit') {
    if (!name || image !== undefined) throw new UsageError('service edit NAME [--detach]');
    if (!inv.stdin.isTTY && args.values.yes !== true) {
      say(inv, 'swarmtop: service edit opens $EDITOR and asks before sending: it needs a terminal (or --yes to apply what the editor saved)');
      return 2;
    }
    actionId = 'service.edit';
  } else {
    throw new UsageError(verb ? `service ${verb}: unknown verb (set-image, edit)` : 'service: set-image or edit');
  }
  const target = resolveTarget(args.connection);
  const action = guardedActions({ readOnly: target.readOnly, audit: fileAuditLog() }).find((a) => a.id === actionId)!;
  const store = createStore(emptyState());
  const live = startLive(target, createConnector(interactiveConnectOptions()), store);
  try {
    const unreachable = await waitLive(store, live);
    const connection = live.connection();
    if (unreachable !== null || connection === null) {
      say(inv, `swarmtop: ${unreachable ?? 'no connection'}`);
      return 1;
    }
    const ctx: ActionContext = { connection, context: target.context, readOnly: target.readOnly };
    if (target.readOnly) {
      // Refused before anything is read, and audited, as in the console.
      const out = await action.run(ctx, { kind: 'service', id: '', name, version: 0 }, input);
      say(inv, `swarmtop: ${out.message}`);
      return 1;
    }
    const svc = findService(store.getState(), name);
    if (typeof svc === 'string') {
      say(inv, `swarmtop: ${svc}`);
      return 1;
    }
    const invalid = action.input?.validate(input ?? '', store.getState(), svc) ?? null;
    if (invalid !== null) {
      say(inv, `swarmtop: ${invalid}`);
      return 2;
    }
    return await runVerb(inv, action, ctx, store, svc, input, actionId === 'service.edit' && args.values.yes !== true, detach);
  } finally {
    await live.stop();
  }
}
