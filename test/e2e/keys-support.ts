/**
 * Shared by the keys-* e2e files: operator moves on the real console (pick a pane, pick a row, answer a
 * dialog) and docker CLI checks of what the cluster really did.
 */
import { expect } from 'vitest';
import type { Lab } from '../../lab/lab.js';
import type { LabNode } from '../../lab/layout.js';
import { waitFor } from '../../lab/sh.js';
import { waitForReady } from '../../lab/swarm.js';
import type { ConsoleHarness } from './setup/console-harness.js';
import { dockerCli } from './setup/lab-handle.js';

export { waitFor };

/** Every wait on the screen is bounded; the CLI side has its own deadlines. */
export const SCREEN_MS = 30_000;

export async function cli(via: LabNode, args: readonly string[]): Promise<string> {
  return (await dockerCli(via, args)).trim();
}

export async function nodeField(via: LabNode, node: string, format: string): Promise<string> {
  return cli(via, ['node', 'inspect', node, '--format', format]);
}

export async function serviceField(via: LabNode, name: string, format: string): Promise<string> {
  return cli(via, ['service', 'inspect', name, '--format', format]);
}

/** Switches pane with its digit and waits for its title ("Nodes [", "Services [", "Swarm"). */
export async function pane(c: ConsoleHarness, key: '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8', title: string): Promise<void> {
  await c.press(key);
  await c.waitFor(new RegExp(`^${title}`, 'm'), SCREEN_MS);
}

/** `/` filter narrowed to one row; the footer then names the selected row. */
export async function selectByFilter(c: ConsoleHarness, text: string): Promise<void> {
  await c.press('/');
  // The prompt opens with the current filter: erase it first.
  await c.press(...Array<string>(30).fill('backspace'));
  await c.type(text);
  await c.press('enter');
  await c.waitFor(new RegExp(`filter: ${escapeRe(text)}\\s+${escapeRe(text)}\\s*$`), SCREEN_MS);
}

/** Esc clears the filter (a second Esc would leave a drill-down). */
export async function clearFilter(c: ConsoleHarness): Promise<void> {
  await c.press('esc');
  await c.waitForGone(/filter: /, SCREEN_MS);
}

/** What a confirmation shows until it accepts keys (typed-ahead keys are ignored, see src/ui/keys/typeahead.ts). */
const NOT_READY = 'keys typed before this dialog are ignored';

/** Waits for a dialog and, for a confirmation, until it accepts keys, as an operator reads it first. */
export async function dialogReady(c: ConsoleHarness, title: string | RegExp): Promise<string> {
  await c.waitFor(title, SCREEN_MS);
  return c.waitForGone(NOT_READY, SCREEN_MS);
}

/** Presses an action key and waits for its dialog, ready for an answer; returns the screen with the dialog. */
export async function openDialog(c: ConsoleHarness, key: string, title: string | RegExp): Promise<string> {
  await c.press(key);
  return dialogReady(c, title);
}

/** The footer message of an action's outcome ("Drain: lab-w1 set to drain"). */
export async function outcome(c: ConsoleHarness, text: string | RegExp, timeoutMs = 60_000): Promise<string> {
  return c.waitFor(text, timeoutMs);
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The row of a table that starts with this name (hostname, service name), as drawn. */
export function rowOf(frame: string, name: string): string {
  return frame.split('\n').find((l) => l.startsWith(`${name} `)) ?? '';
}

/** Waits for the row of `name` to match (e.g. a node's STATE column reading "down"). */
export async function waitRow(c: ConsoleHarness, name: string, match: RegExp, timeoutMs = SCREEN_MS): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  // Bounded by the deadline; each round waits for the next frame (or 1 s).
  for (;;) {
    const row = rowOf(c.frame(), name);
    if (match.test(row)) return row;
    if (Date.now() > deadline) throw new Error(`row ${name} never matched ${String(match)}; the screen shows:\n${c.frame()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function createService(via: LabNode, name: string, args: readonly string[]): Promise<void> {
  await dockerCli(via, ['service', 'create', '--detach', '--no-resolve-image', '--name', name, ...args]);
}

/** `docker service ps` rows meant to run: node hostname and current state. */
export async function runningTasks(via: LabNode, service: string): Promise<{ node: string; state: string }[]> {
  const out = await dockerCli(via, ['service', 'ps', service, '--filter', 'desired-state=running', '--format', '{{.Node}}|{{.CurrentState}}']);
  return out.split('\n').filter((l) => l.trim() !== '').map((l) => {
    const [node = '', state = ''] = l.split('|');
    return { node, state };
  });
}

export async function waitRunning(via: LabNode, name: string, count: number, timeoutMs = 90_000): Promise<void> {
  await waitFor(`${name}: ${count} tasks running`, timeoutMs, async () => {
    const rows = await runningTasks(via, name);
    return rows.length === count && rows.every((r) => r.state.startsWith('Running'));
  }, 500);
}

/** Brings a stopped worker back (a removed node must leave and join again) and waits for every node Ready. */
export async function restoreWorker(lab: Lab, name: string, via: LabNode): Promise<void> {
  const w = lab.node(name);
  await lab.startEngine(name).catch(() => undefined);
  await waitFor(`${name} engine answers`, 60_000, async () => (await cli(w, ['info', '--format', '{{.ID}}']).catch(() => '')) !== '', 500);
  const selfId = await cli(w, ['info', '--format', '{{.Swarm.NodeID}}']);
  const ids = await cli(via, ['node', 'ls', '--format', '{{.ID}}']);
  if (selfId === '' || !ids.split('\n').includes(selfId)) {
    await dockerCli(w, ['swarm', 'leave', '--force']).catch(() => undefined);
    const token = await cli(via, ['swarm', 'join-token', '-q', 'worker']);
    await dockerCli(w, ['swarm', 'join', '--token', token, '--advertise-addr', w.ip, '--listen-addr', `${w.ip}:2377`, `${via.ip}:2377`]);
  }
  await waitForReady(via, lab.nodes.length, 120_000);
}

/** Restarts a stopped manager engine and waits until it is Ready and reachable again. */
export async function restoreManager(lab: Lab, name: string, via: LabNode): Promise<void> {
  const m = lab.node(name);
  await lab.startEngine(name).catch(() => undefined);
  await waitForReady(via, lab.nodes.length, 120_000);
  await waitFor(`${name} reachable`, 120_000, async () => (await nodeField(via, m.hostname, '{{.ManagerStatus.Reachability}}').catch(() => '')) === 'reachable', 500);
}

/** The audit log has exactly these actions (in order), every one with this result. */
export function expectAudit(c: ConsoleHarness, actions: readonly string[], result = 'done'): void {
  const entries = c.audit();
  expect(entries.map((e) => e.action)).toEqual(actions);
  for (const e of entries) expect(e.result).toBe(result);
}

/** The text inside the open dialog's border, wrapped lines joined with one space (a long value reads whole). */
export function dialogText(frame: string): string {
  return frame.split('\n')
    .map((l) => /^[│║](.*)[│║]\s*$/.exec(l)?.[1]?.trim())
    .filter((l): l is string => l !== undefined && l !== '')
    .join(' ');
}
