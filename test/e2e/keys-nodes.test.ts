/**
 * Node operations driven by keys through the real console (nodes pane, "1"), each checked with the
 * docker CLI: select, promote, demote (and the second confirmation when quorum would be lost), drain,
 * pause, activate, edit labels, remove a down node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import {
  SCREEN_MS, clearFilter, createService, dialogReady, expectAudit, nodeField, openDialog, outcome, pane, restoreManager, restoreWorker,
  runningTasks, selectByFilter, waitFor, waitRow, waitRunning,
} from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const m2 = lab.node('m2');
const m3 = lab.node('m3');
const w1 = lab.node('w1');
const created: string[] = [];
/** Actions that ran (and must be in the audit log, in order). */
const ran: string[] = [];
let c: ConsoleHarness;

beforeAll(async () => {
  c = startConsole({ via: m1 });
  await pane(c, '1', 'Nodes');
  await c.waitFor(w1.hostname, SCREEN_MS);
});

afterAll(async () => {
  await c?.stop();
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  await dockerCli(m1, ['node', 'update', '--availability', 'active', w1.hostname]).catch(() => undefined);
  // Labels the label test may have left behind (the lab's nodes start without any).
  const labels = await nodeField(m1, w1.hostname, '{{json .Spec.Labels}}').catch(() => '{}');
  const keys = Object.keys(JSON.parse(labels === '' || labels === 'null' ? '{}' : labels) as Record<string, string>);
  if (keys.length > 0) await dockerCli(m1, ['node', 'update', ...keys.flatMap((k) => ['--label-rm', k]), w1.hostname]).catch(() => undefined);
});

describe('node operations by keys', () => {
  it('selects a node with j/k and with the / filter (the footer names the selection)', async () => {
    await c.press('g');
    // Sorted by hostname: m1, m2, m3, w1.
    await c.waitFor(new RegExp(`\\n${m1.hostname}$`), SCREEN_MS);
    await c.press('j', 'j', 'j');
    await c.waitFor(new RegExp(`\\n${w1.hostname}$`), SCREEN_MS);
    await c.press('k');
    await c.waitFor(new RegExp(`\\n${m3.hostname}$`), SCREEN_MS);

    await selectByFilter(c, m2.hostname);
    expect(c.frame()).toMatch(/^Nodes \[1\/4\]/m);
    await clearFilter(c);
    expect(c.frame()).toMatch(/^Nodes \[4\]/m);
  });

  it('a fresh confirmation cancels on Enter (the default) and on Esc: nothing changes', async () => {
    await selectByFilter(c, w1.hostname);
    await openDialog(c, 'd', 'Drain?');
    expect(c.frame()).toContain('any other key: cancel (default)');
    await c.press('enter');
    await outcome(c, 'Drain: cancelled');
    await openDialog(c, 'd', 'Drain?');
    await c.press('esc');
    await outcome(c, 'Drain: cancelled');
    expect(c.frame()).not.toContain('Drain?');
    expect(await nodeField(m1, w1.hostname, '{{.Spec.Availability}}')).toBe('active');
  });

  it('+ promotes the worker, - demotes it again (docker node inspect agrees)', async () => {
    await selectByFilter(c, w1.hostname);
    const dialog = await openDialog(c, '+', 'Promote to manager?');
    expect(dialog).toContain('managers 3 → 4');
    await c.press('y');
    ran.push('node.promote');
    await outcome(c, `Promote to manager: ${w1.hostname} promoted to manager`);
    expect(await nodeField(m1, w1.hostname, '{{.Spec.Role}}')).toBe('manager');
    await waitFor('w1 reachable manager', 60_000, async () => (await nodeField(m1, w1.hostname, '{{.ManagerStatus.Reachability}}')) === 'reachable', 500);
    await waitRow(c, w1.hostname, /manager\s+reachable/, 60_000);

    const demote = await openDialog(c, '-', 'Demote to worker?');
    expect(demote).toContain('managers 4 → 3');
    expect(demote).not.toContain('SECOND CONFIRMATION');
    await c.press('y');
    ran.push('node.demote');
    await outcome(c, `Demote to worker: ${w1.hostname} demoted to worker`);
    await waitFor('w1 worker again', 60_000, async () => (await nodeField(m1, w1.hostname, '{{.Spec.Role}} {{if .ManagerStatus}}m{{end}}')) === 'worker', 500);
    await waitRow(c, w1.hostname, /worker/, 60_000);
    await clearFilter(c);
  });

  it('- on a manager whose loss breaks quorum asks twice; cancelling the second changes nothing', async () => {
    try {
      await lab.stopEngine('m3', 'SIGKILL');
      await waitFor('m3 unreachable', 120_000, async () => (await nodeField(m1, m3.hostname, '{{.ManagerStatus.Reachability}}')) === 'unreachable', 1000);
      await c.waitFor(/managers 2\/3/, 60_000);

      await selectByFilter(c, m2.hostname);
      const first = await openDialog(c, '-', 'Demote to worker?');
      expect(first).toContain('QUORUM LOST');
      await c.press('y');
      const second = await dialogReady(c, 'SECOND CONFIRMATION — Demote to worker');
      expect(second).toContain('This is the second confirmation: are you really sure?');
      // Enter is "cancel" on the second dialog too.
      await c.press('enter');
      await outcome(c, 'Demote to worker: cancelled');
      expect(c.frame()).not.toContain('SECOND CONFIRMATION');

      // And once more, cancelled with n on the second dialog.
      await openDialog(c, '-', 'Demote to worker?');
      await c.press('y');
      await dialogReady(c, 'SECOND CONFIRMATION');
      await c.press('n');
      await outcome(c, 'Demote to worker: cancelled');

      expect(await nodeField(m1, m2.hostname, '{{.Spec.Role}}')).toBe('manager');
      expect(await nodeField(m1, m2.hostname, '{{.ManagerStatus.Reachability}}')).toBe('reachable');
      await clearFilter(c);
    } finally {
      await restoreManager(lab, 'm3', m1);
    }
    await c.waitFor(/managers 3\/3/, 60_000);
  });

  it('d drains the worker (its task moves), a activates, p pauses (new tasks avoid it), a again', async () => {
    const name = uniqueName('keys-drain');
    created.push(name);
    await createService(m1, name, ['--replicas', '4', 'local/busybox:1']);
    await waitRunning(m1, name, 4);
    await waitFor('a task on w1', 30_000, async () => (await runningTasks(m1, name)).some((t) => t.node === w1.hostname), 500);

    await selectByFilter(c, w1.hostname);
    // The impact names the task that will move (once the console has seen it).
    await waitRow(c, w1.hostname, /active\s+1\s/, 60_000);
    const dialog = await openDialog(c, 'd', 'Drain?');
    expect(dialog).toMatch(/1 task moves to other nodes/);
    await c.press('y');
    ran.push('node.drain');
    await outcome(c, `Drain: ${w1.hostname} set to drain`);
    expect(await nodeField(m1, w1.hostname, '{{.Spec.Availability}}')).toBe('drain');
    await waitFor('tasks moved off w1', 90_000, async () => {
      const rows = await runningTasks(m1, name);
      return rows.length === 4 && rows.every((r) => r.node !== w1.hostname && r.state.startsWith('Running'));
    }, 500);
    await waitRow(c, w1.hostname, /drain\s+0\s/, 60_000);

    // Not dangerous: runs at once, no dialog.
    await c.press('a');
    ran.push('node.activate');
    await outcome(c, `Activate: ${w1.hostname} set to active`);
    expect(await nodeField(m1, w1.hostname, '{{.Spec.Availability}}')).toBe('active');
    await waitRow(c, w1.hostname, /\sactive\s/);

    await c.press('p');
    ran.push('node.pause');
    await outcome(c, `Pause: ${w1.hostname} set to pause`);
    expect(await nodeField(m1, w1.hostname, '{{.Spec.Availability}}')).toBe('pause');
    await dockerCli(m1, ['service', 'scale', '--detach', `${name}=8`]);
    await waitRunning(m1, name, 8);
    expect((await runningTasks(m1, name)).filter((t) => t.node === w1.hostname)).toHaveLength(0);
    await waitRow(c, w1.hostname, /\spause\s/);

    await c.press('a');
    ran.push('node.activate');
    await outcome(c, `Activate: ${w1.hostname} set to active`);
    expect(await nodeField(m1, w1.hostname, '{{.Spec.Availability}}')).toBe('active');
    await clearFilter(c);
  });

  it('e edits labels: sets, then removes one; garbage is refused with the parser message', async () => {
    await selectByFilter(c, w1.hostname);
    await openDialog(c, 'e', `Edit labels — node ${w1.hostname}`);
    await c.type('zone=a,tier=web');
    await c.press('enter');
    ran.push('node.labels');
    await outcome(c, `Edit labels: labels of ${w1.hostname} updated`);
    expect(JSON.parse(await nodeField(m1, w1.hostname, '{{json .Spec.Labels}}'))).toMatchObject({ zone: 'a', tier: 'web' });

    // The prompt starts with the current labels as the console saw them: reopen until the node event arrived.
    let prompt = '';
    await waitFor('the label prompt shows the new labels', 30_000, async () => {
      await openDialog(c, 'e', `Edit labels — node ${w1.hostname}`);
      prompt = c.frame().split('\n').find((l) => l.includes('labels (k=v')) ?? '';
      if (/tier=web/.test(prompt) && /zone=a/.test(prompt)) return true;
      await c.press('esc');
      await outcome(c, 'Edit labels: cancelled');
      return false;
    }, 500);
    expect(prompt).toMatch(/tier=web/);
    expect(prompt).toMatch(/zone=a/);
    // Erase the initial value, then type garbage: the dialog stays with the validation message.
    await c.press(...Array<string>(40).fill('backspace'));
    await c.type('=oops');
    await c.press('enter');
    // The dialog stays, with the parser's message (waited for: on a loaded machine the frame comes later).
    const invalid = await c.waitFor('a label key cannot be empty', SCREEN_MS);
    expect(invalid).toMatch(/labels \(k=v,k2=v2,-k3 removes k3\): =oops/);
    expect(invalid).toContain('"=oops": a label key cannot be empty or contain spaces');

    await c.press(...Array<string>(10).fill('backspace'));
    await c.type('-zone');
    await c.press('enter');
    ran.push('node.labels');
    await outcome(c, `Edit labels: labels of ${w1.hostname} updated`);
    const labels = JSON.parse(await nodeField(m1, w1.hostname, '{{json .Spec.Labels}}')) as Record<string, string>;
    expect(labels.tier).toBe('web');
    expect(labels).not.toHaveProperty('zone');
    expect(await nodeField(m1, w1.hostname, '{{.Spec.Role}} {{.Spec.Availability}}')).toBe('worker active');
    await dockerCli(m1, ['node', 'update', '--label-rm', 'tier', w1.hostname]);
    await clearFilter(c);
  });

  it('X removes a down node only: refused while it is up, removed once its engine is stopped', async () => {
    const id = await nodeField(m1, w1.hostname, '{{.ID}}');
    try {
      await selectByFilter(c, w1.hostname);
      await c.press('X');
      await outcome(c, /Remove \(down node\): not available — lab-w1 is ready/);
      expect(c.frame()).not.toContain('Remove (down node)?');

      await lab.stopEngine('w1', 'SIGKILL');
      await waitFor('w1 Down', 120_000, async () => (await nodeField(m1, id, '{{.Status.State}}')) === 'down', 1000);
      await waitRow(c, w1.hostname, /\sdown\s/, 60_000);
      const dialog = await openDialog(c, 'X', 'Remove (down node)?');
      expect(dialog).toContain('is removed from the swarm for good');
      await c.press('y');
      ran.push('node.remove');
      await outcome(c, `Remove (down node): ${w1.hostname} removed from the swarm`);
      const ids = await dockerCli(m1, ['node', 'ls', '--format', '{{.ID}}']);
      expect(ids).not.toContain(id);
      await c.waitFor(/^Nodes \[0\/3\]/m, SCREEN_MS);
      await clearFilter(c);
    } finally {
      await restoreWorker(lab, 'w1', m1);
    }
    await c.waitFor(/^Nodes \[4\]/m, 60_000);
  });

  it('the audit log has one line per action that ran (none for cancelled dialogs)', () => {
    expectAudit(c, ran);
    for (const e of c.audit()) {
      expect(e.context).toBe('lab');
      expect(e.target.kind).toBe('node');
    }
  });
});
