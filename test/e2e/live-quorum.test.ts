/**
 * The fault tolerance an operator reads during an incident is what the swarm tolerates now: with one of
 * three managers' engines stopped the header must not say "tolerates 1 loss" (one more loss stops the
 * swarm), the demote dialog says "fault tolerance 0 → 0", and `snapshot --json` gives both figures. With
 * two stopped, quorum is lost: the header turns red with the way back. The engines are restarted after.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSnapshot } from '../../src/cli/snapshot.js';
import type { SnapshotJson } from '../../src/cli/snapshot-json.js';
import { unixConnector } from '../../src/docker/live/index.js';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { testLab } from './setup/lab-handle.js';
import { SCREEN_MS, dialogText, nodeField, openDialog, outcome, pane, restoreManager, selectByFilter, waitFor } from './keys-support.js';
import { targetOf } from './live-helpers.js';

const lab = testLab();
const m1 = lab.node('m1');
const m2 = lab.node('m2');
const m3 = lab.node('m3');
let c: ConsoleHarness;

const reachability = (host: string): Promise<string> => nodeField(m1, host, '{{.ManagerStatus.Reachability}}').catch(() => '');

beforeAll(async () => {
  c = startConsole({ via: m1 });
  await c.waitFor('managers 3/3 (quorum 2, tolerates 1 loss)', 60_000);
});

afterAll(async () => {
  await c?.stop();
});

describe('fault tolerance now, with managers\' engines stopped', () => {
  it('one of three down: tolerates 0 more (header, demote impact, snapshot)', async () => {
    try {
      await lab.stopEngine('m3', 'SIGKILL');
      await waitFor('m3 unreachable', 120_000, async () => (await reachability(m3.hostname)) === 'unreachable', 1000);
      const header = await c.waitFor('managers 2/3 (quorum 2, tolerates 0 more: one more manager loss stops the swarm)', 60_000);
      expect(header).not.toContain('tolerates 1 loss');

      await pane(c, '1', 'Nodes');
      await selectByFilter(c, m2.hostname);
      const dialog = dialogText(await openDialog(c, '-', 'Demote to worker?'));
      expect(dialog).toContain('fault tolerance 0 → 0 (now: 1 unreachable manager already lost)');
      await c.press('esc');
      await outcome(c, 'Demote to worker: cancelled');

      let out = '';
      expect(await runSnapshot(targetOf(lab, ['m1']), unixConnector, { write: (t: string) => (out += t) })).toBe(0);
      const snap = JSON.parse(out) as SnapshotJson;
      expect(snap.swarm).toMatchObject({ managers: 3, managersReachable: 2, quorum: 2, hasQuorum: true, faultTolerance: 1, toleratesNow: 0 });
    } finally {
      await restoreManager(lab, 'm3', m1);
    }
    await c.waitFor('managers 3/3 (quorum 2, tolerates 1 loss)', 60_000);
  });

  it('two of three down: NO QUORUM in the header, with the way back (never run by us)', async () => {
    try {
      await lab.stopEngine('m3', 'SIGKILL');
      await waitFor('m3 unreachable', 120_000, async () => (await reachability(m3.hostname)) === 'unreachable', 1000);
      await c.waitFor('tolerates 0 more', 60_000);
      await lab.stopEngine('m2', 'SIGKILL');
      // Every swarm read now fails with the engine's "does not have a leader": the header says so in red.
      const screen = await c.waitFor('NO QUORUM (the swarm has no leader): bring managers back', 120_000);
      expect(screen).toContain('docker swarm init --force-new-cluster on a surviving manager');
      expect(screen).toMatch(/managers \d\/3 \(quorum 2\) NO QUORUM/);
    } finally {
      await lab.startEngine('m2').catch(() => undefined);
      await restoreManager(lab, 'm3', m1);
      await waitFor('m2 reachable', 120_000, async () => (await reachability(m2.hostname)) === 'reachable', 1000);
    }
    await c.waitFor('managers 3/3 (quorum 2, tolerates 1 loss)', 120_000);
    await c.waitForGone('NO QUORUM', SCREEN_MS);
  });
});
