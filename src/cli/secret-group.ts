import { fileAuditLog, guardedActions } from '../actions/index.js';
import { quoteWord } from '../actions/secrets/create-line.js';
import { findByName, findObject, findRotation, type SecretKind } from '../actions/secrets/names.js';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget } from '../actions/types.js';
import type { Writable } from 'node:stream';
import { TtyPrompter } from '../config/prompter.js';
import { printable } from '../ui/format.js';
import { parseGroupArgs, UsageError } from './args.js';
import type { CommandGroup, GroupInvocation } from './groups.js';
import { openLiveSession, type LiveSession } from './live-session.js';
import { rotationPrinter } from './rotation-progress.js';
import { resolveTarget } from './target.js';
import { readValueArg, ValueError } from './value-input.js';

const OPTIONS = {
  label: { type: 'string', multiple: true, short: 'l' },
  'template-driver': { type: 'string' },
  name: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  detach: { type: 'boolean', short: 'd' },
  'keep-old': { type: 'boolean' },
} as const;

/** Exit codes: 0 done, 1 failed or stopped, 2 usage, 3 not confirmed or refused (read-only). */
const FAILED = 1;
const NOT_CONFIRMED = 3;

interface Io {
  inv: GroupInvocation;
  out: (line: string) => void;
  err: (line: string) => void;
}

function exitOf(o: ActionOutcome): number {
  return o.kind === 'done' ? 0 : o.kind === 'refused' ? NOT_CONFIRMED : FAILED;
}

/** y/N at the terminal; null when there is none to ask (or standard input carried the value). */
async function ask(io: Io, question: string, stdinUsed: boolean): Promise<boolean | null> {
  if (stdinUsed || io.inv.stdin.isTTY !== true) return null;
  return new TtyPrompter(io.inv.stdin as NodeJS.ReadStream, io.inv.stderr as Writable).confirm(question);
}

function action(actions: readonly ActionSpec[], id: string): ActionSpec {
  const a = actions.find((x) => x.id === id);
  if (!a) throw new Error(`no action ${id}`);
  return a;
}

function targetByName(s: LiveSession, kind: SecretKind, name: string): ActionTarget | null {
  const state = s.store.getState();
  const o = findByName(state, kind, name) ?? findObject(state, kind, name);
  return o ? { kind, id: o.id, name: o.name, version: o.version } : null;
}

async function create(io: Io, kind: SecretKind, s: LiveSession, ctx: ActionContext, actions: readonly ActionSpec[], args: { name: string; file: string; labels: readonly string[]; driver: string | null }): Promise<number> {
  const a = action(actions, `${kind}.create`);
  const state = s.store.getState();
  const target: ActionTarget = { kind, id: '', name: args.name, version: 0 };
  // A file is named in the line (the action reads it, the plan says where the value comes from); `-` is read here.
  const piped = args.file === '-';
  const fileWord = piped ? [] : [args.file.includes('/') ? args.file : `./${args.file}`];
  const input = [args.name, ...fileWord, ...args.labels, ...(args.driver ? ['--template-driver', args.driver] : [])].map(quoteWord).join(' ');
  const bad = a.input?.validate(input, state, target) ?? null;
  if (bad !== null) {
    io.err(bad);
    return FAILED;
  }
  const value = piped ? await readValueArg('-', io.inv.stdin, io.inv.stderr, `value of ${kind} ${args.name}`) : null;
  const prepared = await a.prepare!(ctx, state, target, input, { value });
  if (prepared.kind !== 'plan') {
    value?.fill(0);
    io.err(prepared.kind === 'ask' ? prepared.title : prepared.message);
    return FAILED;
  }
  for (const l of prepared.impact) io.out(printable(l));
  // Creating changes nothing else and is what was typed: no question (as `docker secret create`).
  const outcome = await a.run(ctx, target, input, prepared.plan);
  (outcome.kind === 'done' ? io.out : io.err)(outcome.message);
  return exitOf(outcome);
}

async function remove(io: Io, kind: SecretKind, s: LiveSession, ctx: ActionContext, actions: readonly ActionSpec[], name: string, yes: boolean): Promise<number> {
  const a = action(actions, `${kind}.remove`);
  const target = targetByName(s, kind, name);
  if (!target) {
    io.err(`no ${kind} named ${name}`);
    return FAILED;
  }
  const state = s.store.getState();
  const available = a.available(state, target);
  if (available !== true) {
    // Told by what the cluster shows, then by the engine itself (its message names the services).
    io.err(`${kind} ${name}: ${available}`);
    const engine = await a.run(ctx, target, null);
    if (engine.kind !== 'done') io.err(engine.message);
    return engine.kind === 'done' ? 0 : FAILED;
  }
  for (const l of a.impact(state, target, null)) io.out(printable(l));
  const ok = yes || (await ask(io, `Remove ${kind} ${name}?`, false));
  if (ok !== true) {
    io.err(ok === null ? 'not removed: no terminal to confirm; add --yes' : 'not removed');
    return NOT_CONFIRMED;
  }
  const outcome = await a.run(ctx, target, null);
  (outcome.kind === 'done' ? io.out : io.err)(outcome.message);
  return exitOf(outcome);
}

interface RotateArgs {
  name: string;
  file: string | null;
  newName: string | null;
  yes: boolean;
  detach: boolean;
  keepOld: boolean;
}

async function rotate(io: Io, kind: SecretKind, s: LiveSession, ctx: ActionContext, actions: readonly ActionSpec[], args: RotateArgs): Promise<number> {
  const a = action(actions, `${kind}.rotate`);
  const target = targetByName(s, kind, args.name);
  const state = s.store.getState();
  const selected = target ? findObject(state, kind, target.id) : undefined;
  if (!target || !selected) {
    io.err(`no ${kind} named ${args.name}`);
    return FAILED;
  }
  const found = findRotation(state, kind, selected);
  const newName = args.newName ?? a.input!.initial(state, target);
  const bad = a.input!.validate(newName, state, target);
  if (bad !== null) {
    io.err(bad);
    return FAILED;
  }
  let value: Buffer | null = null;
  if (found.next === null) {
    if (args.file === null) throw new UsageError(`${kind} rotate ${args.name}: the new value is needed: FILE, or - for standard input`);
    value = await readValueArg(args.file, io.inv.stdin, io.inv.stderr, `new value of ${kind} ${args.name}`);
  } else {
    io.out(`A rotation of ${found.old.name} to ${found.next.name} is half done: it continues${args.file !== null ? ` (${args.file} is not read: ${found.next.name} exists)` : ''}.`);
  }
  const prepared = await a.prepare!(ctx, state, target, newName, { value });
  if (prepared.kind !== 'plan') {
    io.err(prepared.kind === 'ask' ? prepared.title : prepared.message);
    return FAILED;
  }
  io.out(`Plan: rotate ${kind} ${found.old.name} → ${newName}`);
  for (const l of prepared.impact) io.out(`  • ${printable(l)}`);
  const ok = args.yes || (await ask(io, 'Carry out this rotation?', args.file === '-'));
  if (ok !== true) {
    a.release?.(prepared.plan);
    io.err(ok === null ? 'not carried out: no terminal to confirm the plan; run again with --yes to confirm it' : 'not carried out: nothing was changed');
    return NOT_CONFIRMED;
  }
  const printer = rotationPrinter(s.store, io.inv.stdout);
  const stop = new AbortController();
  const onSigint = (): void => {
    io.err('stopping after the current step (nothing is undone)…');
    stop.abort();
  };
  process.once('SIGINT', onSigint);
  let outcome: ActionOutcome;
  try {
    outcome = await a.run({ ...ctx, live: args.detach ? undefined : s.store, signal: stop.signal, progress: (p) => printer.progress(p) }, target, newName, prepared.plan);
  } finally {
    process.off('SIGINT', onSigint);
    printer.stop();
  }
  // A stop goes to stderr (scripts read their errors there) even when the progress already showed it.
  if (outcome.kind !== 'done') io.err(printable(outcome.message));
  else if (outcome.message !== printer.lastPhase()) io.out(printable(outcome.message));
  if (outcome.kind !== 'done' || !outcome.next) return exitOf(outcome);
  const next = outcome.next;
  if (args.keepOld) {
    io.out(`${next.target.name ?? ''} kept (--keep-old).`);
    return 0;
  }
  const remove = action(actions, next.actionId);
  const available = remove.available(s.store.getState(), next.target);
  if (available !== true) {
    io.err(`${next.target.name ?? ''} kept: ${available}`);
    return FAILED;
  }
  const yes = args.yes || (await ask(io, `Every rollout converged. Remove the old ${kind} ${next.target.name ?? ''} now?`, args.file === '-'));
  if (yes !== true) {
    io.out(`${next.target.name ?? ''} kept${yes === null ? ' (no terminal to confirm)' : ''}: remove it with \`swarmtop ${kind} rm ${next.target.name ?? ''}\`.`);
    return 0;
  }
  const removed = await remove.run(ctx, next.target, null);
  (removed.kind === 'done' ? io.out : io.err)(printable(removed.message));
  return exitOf(removed);
}

async function runSecretCommand(kind: SecretKind, inv: GroupInvocation): Promise<number> {
  const parsed = parseGroupArgs(inv.options, inv.argv, OPTIONS);
  const [verb, name, file, ...extra] = parsed.positionals;
  const v = parsed.values;
  if (extra.length > 0) throw new UsageError(`${kind} ${verb ?? ''}: unexpected ${extra.join(' ')}`);
  if (verb !== 'create' && verb !== 'rm' && verb !== 'rotate') throw new UsageError(`${kind}: create, rm or rotate`);
  if (!name) throw new UsageError(`${kind} ${verb}: the ${kind}'s NAME is needed`);
  if (verb === 'create' && !file) throw new UsageError(`${kind} create ${name}: FILE, or - for standard input`);
  if (verb === 'rm' && file) throw new UsageError(`${kind} rm: one NAME`);
  const driver = typeof v['template-driver'] === 'string' ? v['template-driver'] : null;
  if (driver !== null && (kind !== 'config' || verb !== 'create')) throw new UsageError('--template-driver: for config create only');
  const labels = Array.isArray(v.label) ? v.label.filter((l): l is string => typeof l === 'string') : [];
  if (labels.length > 0 && verb !== 'create') throw new UsageError('--label: for create only (a rotation keeps the labels)');

  const io: Io = { inv, out: (l) => inv.stdout.write(`${l}\n`), err: (l) => inv.stderr.write(`swarmtop: ${l}\n`) };
  const target = resolveTarget(parsed.connection);
  const session = await openLiveSession(target);
  if (typeof session === 'string') {
    io.err(session);
    return FAILED;
  }
  const actions = guardedActions({ readOnly: target.readOnly, audit: fileAuditLog() });
  const ctx: ActionContext = { connection: session.connection, context: target.context, readOnly: target.readOnly };
  try {
    switch (verb) {
      case 'create': return await create(io, kind, session, ctx, actions, { name, file: file!, labels, driver });
      case 'rm': return await remove(io, kind, session, ctx, actions, name, v.yes === true);
      case 'rotate':
        return await rotate(io, kind, session, ctx, actions, {
          name, file: file ?? null, newName: typeof v.name === 'string' ? v.name : null, yes: v.yes === true, detach: v.detach === true, keepOld: v['keep-old'] === true,
        });
    }
  } catch (err) {
    if (err instanceof ValueError) {
      io.err(err.message);
      return FAILED;
    }
    throw err;
  } finally {
    await session.close();
  }
}

export function secretGroup(kind: SecretKind): CommandGroup {
  const template = kind === 'config' ? ' [--template-driver golang]' : '';
  return {
    usage: [
      `${kind} create NAME FILE|- [--label k=v]…${template}   create (- reads standard input: typed unseen at a terminal)`,
      `${kind} rm NAME [--yes]                    remove (refused while a service uses it)`,
      `${kind} rotate NAME [FILE|-] [--name NEW] [--yes] [--detach] [--keep-old]   new version, services moved one by one, old removed`,
    ],
    run: (inv) => runSecretCommand(kind, inv),
  };
}
