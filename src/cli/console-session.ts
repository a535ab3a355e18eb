import { ACTIONS, fileAuditLog, guardedActions } from '../actions/index.js';
import { OsKeychain } from '../config/keychain.js';
import { keysFile } from '../config/paths.js';
import { createConnector } from '../docker/connect/connector.js';
import type { KeyOverrides } from '../ui/keymap.js';
import { loadKeysFile } from '../ui/keys/user.js';
import { runConsole, themeResolver } from '../ui/run.js';
import type { CliOptions } from './args.js';
import { FleetSession, fleetAuditSink, type Member } from './fleet-session.js';
import { GatedPrompter } from './gated-prompter.js';
import { listContexts, resolveTarget, targetForContext } from './target.js';

/** Longest the console waits for the first connection before drawing (it then shows the error live). */
const FIRST_CONTACT_MS = 20_000;
/** The fleet draws sooner: a silent context shows as connecting, the others as they come. */
const FLEET_FIRST_CONTACT_MS = 3000;

/** Resolves once every member's first connection is live or has failed (bounded), and no question is being answered. */
async function firstContact(members: readonly Member[], prompter: GatedPrompter, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  const settled = (): boolean => members.every((m) => m.store.getState().connection.status !== 'connecting');
  // Bounded: at most limitMs, plus however long the operator takes to type an answer.
  while ((!settled() || !prompter.idle()) && (Date.now() < deadline || !prompter.idle())) {
    await Promise.race([...members.map((m) => m.live.whenLive(250)), new Promise((r) => setTimeout(r, 250))]);
  }
}

/**
 * `swarmtop` (and `swarmtop --fleet`): resolves the target, connects (asking questions on the terminal
 * first), then runs the console; the fleet (every context at once) is one key away.
 */
export async function runConsoleSession(opts: CliOptions): Promise<number> {
  const first = resolveTarget(opts);
  // A wrong keys.yaml is said first, before anything connects: keys that silently did something else would be worse.
  let keys: KeyOverrides;
  try {
    keys = loadKeysFile(keysFile(), ACTIONS);
  } catch (err) {
    process.stderr.write(`swarmtop: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('swarmtop: the console needs a terminal; for scripts use `swarmtop snapshot --json`\n');
    return 2;
  }
  const contexts = listContexts();
  const contextThemes = Object.fromEntries(contexts.filter((c) => c.theme !== null).map((c) => [c.name, c.theme as string]));
  // The theme this context starts with is checked before anything connects (a context's own theme too).
  try {
    themeResolver({ theme: opts.theme, contextThemes })(first.context);
  } catch (err) {
    process.stderr.write(`swarmtop: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const prompter = new GatedPrompter();
  const connect = createConnector({ prompter, keychain: new OsKeychain() });
  const names = contexts.some((c) => c.name === first.context) ? contexts.map((c) => c.name) : [first.context, ...contexts.map((c) => c.name)];
  const fleet = new FleetSession(first, names, (name) => targetForContext(name, opts), connect, opts.fleet);
  if (opts.fleet) fleet.open();
  await firstContact(fleet.members(), prompter, opts.fleet ? FLEET_FIRST_CONTACT_MS : FIRST_CONTACT_MS);
  prompter.close();

  // The audit log and read-only guard see every action, whatever the context (read-only is per context too).
  // The audit log fails closed: an action whose attempt cannot be written is refused, unless --no-audit.
  // Each context's timeline sees the operator's actions on it either way.
  const actions = guardedActions({ readOnly: opts.readOnly, audit: fleetAuditSink(fleet, opts.noAudit ? () => Promise.resolve() : fileAuditLog()) });
  const start = fleet.member(first.context) as Member;
  try {
    return await runConsole({
      store: start.store,
      actions,
      actionContext: () => start.actionContext(),
      refresh: () => start.refresh(),
      readers: start.readers,
      theme: opts.theme,
      contextThemes,
      readOnly: first.readOnly,
      keys,
      auditOff: opts.noAudit,
      contexts: names,
      watchStats: start.watchStats,
      switchContext: (name) => fleet.focus(name),
      timeline: start.timeline,
      bundle: start.bundle,
      fleet,
      startInFleet: opts.fleet,
    });
  } finally {
    await fleet.stop();
  }
}
