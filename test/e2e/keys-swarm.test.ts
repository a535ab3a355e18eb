/**
 * Swarm operations driven by keys through the real console (swarm pane, "8"), each checked with the
 * docker CLI: rotate the worker / manager join token (t / T), reveal the join commands (W / M: masked,
 * v shows, c copies with OSC 52), rotate the unlock key (K, autolock on), rotate the root CA (C) with its
 * progress per node. No token or key ever reaches the audit file.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab } from './setup/lab-handle.js';
import { SCREEN_MS, cli, dialogText, escapeRe, openDialog, outcome, pane, restoreWorker, waitFor } from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
/** `action:result` of every run, in order. */
const ran: string[] = [];
/** Every token and key seen, to prove none reached the audit file. */
const secrets: string[] = [];
let c: ConsoleHarness;

const token = async (role: 'worker' | 'manager'): Promise<string> => cli(m1, ['swarm', 'join-token', '-q', role]);
const autolock = async (): Promise<string> => cli(m1, ['info', '--format', '{{.Swarm.Cluster.Spec.EncryptionConfig.AutoLockManagers}}']);

/**
 * y on an open confirmation until the action ran. The swarm's version moves with every swarm change
 * (a rotation just before): an attempt may come back "stale", and the console asks again, as designed.
 * The audit log tells which it was.
 */
async function confirmThrough(action: string): Promise<string> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const before = c.audit().length;
    await c.press('y');
    const entry = await waitFor(`${action} audited`, 60_000, async () => Promise.resolve(c.audit()[before]), 100);
    ran.push(`${action}:${entry.result}`);
    if (entry.result !== 'stale') return entry.result;
    await c.waitFor(/y: confirm/, SCREEN_MS);
  }
  throw new Error(`${action}: still stale after 3 confirmations`);
}

/** The reveal dialog: masked first, v shows the value, c copies it (OSC 52), esc closes and forgets. */
async function revealAndCopy(expected: string): Promise<void> {
  const masked = c.frame();
  expect(masked).toContain('••••••••');
  expect(masked).not.toContain(expected);
  expect(c.everDrawn()).not.toContain(expected);
  await c.press('v');
  await c.waitFor('v: mask', SCREEN_MS);
  // A join command is longer than the dialog is wide: it wraps at its spaces.
  expect(dialogText(c.frame())).toContain(expected);
  const copies = c.clipboard().length;
  await c.press('c');
  await c.waitFor('copied to the clipboard (OSC 52)', SCREEN_MS);
  expect(c.clipboard().length).toBe(copies + 1);
  expect(c.clipboard()[copies]).toBe(expected);
  await c.press('esc');
  await c.waitForGone('esc: close and forget', SCREEN_MS);
  expect(c.frame()).not.toContain(expected);
}

beforeAll(async () => {
  c = startConsole({ via: m1 });
  await pane(c, '8', 'Swarm');
  await c.waitFor(/Worker join token\s+present/, SCREEN_MS);
});

// A test that failed half-way must not leave a dialog open for the next one.
beforeEach(async () => {
  await c.press('esc', 'esc');
  await pane(c, '8', 'Swarm');
});

afterAll(async () => {
  await c?.stop();
  await dockerCli(m1, ['swarm', 'update', '--autolock=false']).catch(() => undefined);
});

describe('swarm operations by keys', () => {
  for (const [role, rotateKey, revealKey] of [['worker', 't', 'W'], ['manager', 'T', 'M']] as const) {
    it(`${rotateKey} rotates the ${role} join token (the CLI's token changes); ${revealKey} reveals the new join command`, async () => {
      const before = await token(role);
      secrets.push(before);
      const dialog = await openDialog(c, rotateKey, `Rotate the ${role} join token?`);
      expect(dialog).toContain(`The current ${role} join token stops working at once`);
      await c.press('enter');
      await outcome(c, `Rotate the ${role} join token: cancelled`);
      expect(await token(role)).toBe(before);

      await openDialog(c, rotateKey, `Rotate the ${role} join token?`);
      expect(await confirmThrough(`swarm.rotate-${role}-token`)).toBe('done');
      await outcome(c, `Rotate the ${role} join token: ${role === 'worker' ? 'Worker' : 'Manager'} join token rotated`);
      const after = await token(role);
      secrets.push(after);
      expect(after).not.toBe(before);

      await c.press(revealKey);
      await c.waitFor(`${role} join command fetched (masked until revealed; c copies it)`, SCREEN_MS);
      ran.push(`swarm.reveal-${role}-join:done`);
      await revealAndCopy(`docker swarm join --token ${after} ${m1.ip}:2377`);
    });
  }

  it('K rotates the unlock key only with autolock on; the new key is revealed masked, v shows it, c copies it', async () => {
    await c.press('K');
    await outcome(c, 'Rotate the unlock key: not available — autolock is off');

    await dockerCli(m1, ['swarm', 'update', '--autolock=true']);
    try {
      // No event tells of a swarm change: the console sees it on its next heartbeat (slower when busy).
      await c.waitFor(/Autolock\s+enabled \(K rotates the unlock key\)/, 120_000);
      const before = await cli(m1, ['swarm', 'unlock-key', '-q']);
      secrets.push(before);
      const dialog = await openDialog(c, 'K', 'Rotate the unlock key?');
      expect(dialog).toContain('Store it before you close this');
      expect(await confirmThrough('swarm.rotate-unlock-key')).toBe('done');
      await c.waitFor('unlock key rotated: store the new key now', SCREEN_MS);
      const after = await cli(m1, ['swarm', 'unlock-key', '-q']);
      secrets.push(after);
      expect(after).toMatch(/^SWMKEY-/);
      expect(after).not.toBe(before);
      await revealAndCopy(after);
    } finally {
      await dockerCli(m1, ['swarm', 'update', '--autolock=false']);
    }
    expect(await autolock()).toBe('false');
    await c.waitFor(/Autolock\s+disabled/, 120_000);
  });

  it('C rotates the root CA: the pane shows each node while it runs, a down one holds the rotation until it is back', async () => {
    const n = lab.nodes.length;
    const w1 = lab.node('w1');
    const rootBefore = await cli(m1, ['swarm', 'ca']);
    await c.waitFor(new RegExp(`CA rotation\\s+none \\(${n}/${n} nodes on the current CA`), SCREEN_MS);
    const dialog = await openDialog(c, 'C', 'Rotate the root CA?');
    expect(dialog).toContain(`${n} nodes must renew; down nodes renew when they come back`);
    await c.press('n');
    await outcome(c, 'Rotate the root CA: cancelled');

    // A down worker cannot renew: the rotation stays in progress, and the pane says who it waits for.
    const id = await cli(m1, ['node', 'inspect', w1.hostname, '--format', '{{.ID}}']);
    try {
      await lab.stopEngine('w1', 'SIGKILL');
      await waitFor('w1 down', 120_000, async () => (await cli(m1, ['node', 'inspect', id, '--format', '{{.Status.State}}'])) === 'down', 1000);
      await openDialog(c, 'C', 'Rotate the root CA?');
      expect(await confirmThrough('swarm.rotate-ca')).toBe('done');
      await outcome(c, 'Rotate the root CA: root CA rotation started');
      const during = await c.waitFor(new RegExp(`CA rotation\\s+IN PROGRESS \\[[#.]+\\] ${n - 1}/${n} nodes on the new CA`), 120_000);
      expect(during).toMatch(new RegExp(`^\\s+${escapeRe(w1.hostname)}\\s+waiting for a new certificate \\(node down\\)`, 'm'));
      for (const m of ['m1', 'm2', 'm3'] as const) {
        expect(during).toMatch(new RegExp(`^\\s+${escapeRe(lab.node(m).hostname)}\\s+new certificate`, 'm'));
      }
      expect(await cli(m1, ['info', '--format', '{{.Swarm.Cluster.RootRotationInProgress}}'])).toBe('true');
      // Not offered twice.
      await c.press('C');
      await outcome(c, 'Rotate the root CA: not available — a root CA rotation is already in progress');
    } finally {
      await restoreWorker(lab, 'w1', m1);
    }

    await waitFor('CA rotation complete (docker CLI)', 240_000, async () => {
      if ((await cli(m1, ['info', '--format', '{{.Swarm.Cluster.RootRotationInProgress}}'])) !== 'false') return false;
      const issuer = await cli(m1, ['info', '--format', '{{.Swarm.Cluster.TLSInfo.CertIssuerPublicKey}}']);
      const ids = (await cli(m1, ['node', 'ls', '-q'])).split('\n').filter(Boolean);
      const keys = (await cli(m1, ['node', 'inspect', ...ids, '--format', '{{.Description.TLSInfo.CertIssuerPublicKey}}'])).split('\n');
      return keys.length === n && keys.every((k) => k === issuer);
    }, 1000);
    expect(await cli(m1, ['swarm', 'ca'])).not.toBe(rootBefore);
    const done = await c.waitFor(new RegExp(`CA rotation\\s+none \\(${n}/${n} nodes on the current CA`), 120_000);
    // Once complete the per-node lines go away: nothing is waiting.
    expect(done).not.toContain('waiting for a new certificate');
  });

  it('the audit log has every action, and no token or key', () => {
    const entries = c.audit();
    expect(entries.map((e) => `${e.action}:${e.result}`)).toEqual(ran);
    for (const e of entries) expect(e.target.kind).toBe('swarm');
    const raw = c.auditRaw();
    expect(raw).not.toMatch(/SWMTKN-|SWMKEY-/);
    for (const s of secrets) expect(raw).not.toContain(s);
  });
});
