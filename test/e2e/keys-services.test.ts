/**
 * Service operations driven by keys through the real console (services pane, "2"), each checked with
 * the docker CLI: scale (prompt, garbage refused, global refused, `:scale N`), force update, roll back,
 * remove, the rollout view (r) during an update and a paused one (R / U from the view), and a stale
 * version: a change made meanwhile is never overwritten, the console re-reads and asks again.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sleep } from '../../lab/sh.js';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import {
  SCREEN_MS, cli, clearFilter, createService, dialogReady, escapeRe, openDialog, outcome, pane, rowOf, selectByFilter, serviceField,
  waitFor, waitRow, waitRunning,
} from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const created: string[] = [];
/** `action:result` of every run, in order (cancelled dialogs run nothing and are not audited). */
const ran: string[] = [];
let c: ConsoleHarness;

async function newService(prefix: string, args: readonly string[], replicas: number | null): Promise<string> {
  const name = uniqueName(`keys-${prefix}`);
  created.push(name);
  await createService(m1, name, [...(replicas === null ? [] : ['--replicas', String(replicas)]), ...args, 'local/busybox:1']);
  if (replicas !== null) await waitRunning(m1, name, replicas);
  return name;
}

async function runningIds(name: string): Promise<string[]> {
  const out = await cli(m1, ['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}} {{.Image}}']);
  return out.split('\n').filter((l) => l.trim() !== '');
}

const updateState = (name: string): Promise<string> => serviceField(m1, name, '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}');

/** Selects the service and waits for the console to show it with these replicas ("2/2"). */
async function selectService(name: string, replicas?: string): Promise<void> {
  // The filter prompt starts from whatever filter is set: selectByFilter erases it first.
  await selectByFilter(c, name);
  if (replicas !== undefined) await waitRow(c, name, new RegExp(`\\s${escapeRe(replicas)}\\s`), 60_000);
}

/**
 * y on an open confirmation, until `done` shows. A service still settling (an update completing bumps its
 * version) may answer "stale": the console then asks again, as designed, and y is pressed again. The
 * audit log tells which it was (the footer keeps an earlier message until the next outcome).
 */
async function confirmThrough(action: string, done: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    // The confirmation accepts y once it has been on screen a moment (typed-ahead keys are ignored).
    await c.waitFor(/y: confirm/, SCREEN_MS);
    const before = c.audit().length;
    await c.press('y');
    const entry = await waitFor(`${action} audited`, 60_000, async () => Promise.resolve(c.audit()[before]), 100);
    ran.push(`${action}:${entry.result}`);
    if (entry.result !== 'stale') {
      await c.waitFor(done, 60_000);
      return;
    }
  }
  throw new Error(`${action}: still stale after 3 confirmations`);
}

/** From the rollout view back to the services pane, filter cleared. */
async function leaveRollout(): Promise<void> {
  await c.press('esc');
  await c.waitFor(/^Services \[/m, SCREEN_MS);
  await clearFilter(c);
}

beforeAll(async () => {
  c = startConsole({ via: m1 });
  await pane(c, '2', 'Services');
});

// A test that failed half-way must not leave a dialog or a view open for the next one.
beforeEach(async () => {
  await c.press('esc', 'esc', 'esc');
  await pane(c, '2', 'Services');
});

afterAll(async () => {
  await c?.stop();
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
});

describe('service operations by keys', () => {
  it('s scales: the prompt starts at the current count, garbage is refused, the confirmation shows the change', async () => {
    const name = await newService('scale', [], 2);
    await selectService(name, '2/2');
    const dialog = await openDialog(c, 's', `Scale — service ${name}`);
    expect(dialog).toContain('replicas: 2');
    await c.press('backspace');
    await c.type('x1');
    await c.press('enter');
    const refused = await c.waitFor('enter a whole number of replicas', SCREEN_MS);
    expect(refused).toContain(`Scale — service ${name}`);
    await c.press('backspace', 'backspace');
    await c.type('3');
    await c.press('enter');
    const confirm = await dialogReady(c, 'Scale?');
    expect(confirm).toContain(`${name}: replicas 2 → 3`);
    expect(confirm).toContain('1 task starts.');
    // Enter is not yes.
    await c.press('enter');
    await outcome(c, 'Scale: cancelled');
    expect(await serviceField(m1, name, '{{.Spec.Mode.Replicated.Replicas}}')).toBe('2');

    await openDialog(c, 's', `Scale — service ${name}`);
    await c.press('backspace');
    await c.type('3');
    await c.press('enter');
    await dialogReady(c, 'Scale?');
    await confirmThrough('service.scale', `Scale: ${name} scaled to 3`);
    expect(await serviceField(m1, name, '{{.Spec.Mode.Replicated.Replicas}}')).toBe('3');
    await waitRunning(m1, name, 3);
    await waitRow(c, name, /\s3\/3\s/, 60_000);

    // The `:` form takes the count as its argument and goes straight to the confirmation.
    await c.press(':');
    await c.type('scale 1');
    await c.press('enter');
    const cmd = await dialogReady(c, 'Scale?');
    expect(cmd).toContain(`${name}: replicas 3 → 1`);
    expect(cmd).toContain('2 tasks stop.');
    await confirmThrough('service.scale', `Scale: ${name} scaled to 1`);
    expect(await serviceField(m1, name, '{{.Spec.Mode.Replicated.Replicas}}')).toBe('1');
    await waitRunning(m1, name, 1);
    await waitRow(c, name, /\s1\/1\s/, 60_000);
    await clearFilter(c);
  });

  it('s on a global service is refused with its reason, no dialog', async () => {
    const name = await newService('global', ['--mode', 'global'], null);
    await waitFor(`${name} runs on every node`, 90_000, async () => (await runningIds(name)).filter((l) => l.includes('Running')).length === lab.nodes.length, 500);
    await selectService(name);
    await c.press('s');
    await outcome(c, `Scale: not available — ${name} is a global service: it runs one task per eligible node and cannot be scaled`);
    expect(c.frame()).not.toContain('Scale —');
    await c.press(':');
    await c.type('scale 2');
    await c.press('enter');
    await outcome(c, `Scale: not available — ${name} is a global service`);
    expect(await serviceField(m1, name, '{{.Spec.Mode.Global}}')).not.toBe('<nil>');
    await clearFilter(c);
  });

  it('F force-updates: ForceUpdate goes up by one and every task is replaced', async () => {
    const name = await newService('force', [], 2);
    const before = Number(await serviceField(m1, name, '{{.Spec.TaskTemplate.ForceUpdate}}'));
    const tasksBefore = (await runningIds(name)).map((l) => l.split(' ')[0]);
    await selectService(name, '2/2');
    const dialog = await openDialog(c, 'F', 'Force update (rolling restart)?');
    expect(dialog).toContain(`Every task of ${name} (2) is replaced with an identical one.`);
    await confirmThrough('service.force-update', `Force update (rolling restart): rolling restart of ${name} started`);
    expect(Number(await serviceField(m1, name, '{{.Spec.TaskTemplate.ForceUpdate}}'))).toBe(before + 1);
    await waitFor('every task replaced', 120_000, async () => {
      const now = await runningIds(name);
      return now.length === 2 && now.every((l) => l.includes('Running') && !tasksBefore.includes(l.split(' ')[0]));
    }, 500);
    await waitFor('update completed', 60_000, async () => (await updateState(name)) === 'completed', 500);
    await waitRow(c, name, /\s2\/2\s+completed\s/, 60_000);
    await clearFilter(c);
  });

  it('R rolls back an image update: local/busybox:2 → :1 (docker CLI agrees)', async () => {
    const name = await newService('rollback', [], 2);
    await selectService(name, '2/2');
    // Nothing to roll back to yet.
    await c.press('R');
    await outcome(c, `Roll back to the previous spec: not available — ${name} has no previous spec to roll back to`);

    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', name]);
    await waitFor('update to :2 completed', 120_000, async () => (await updateState(name)) === 'completed', 500);
    await waitRow(c, name, /completed\s+local\/busybox:2/, 60_000);
    const dialog = await openDialog(c, 'R', 'Roll back to the previous spec?');
    expect(dialog).toContain(`${name}: image local/busybox:2 → local/busybox:1`);
    await confirmThrough('service.rollback', `Roll back to the previous spec: rollback of ${name} started`);
    await waitFor('rollback completed', 120_000, async () => (await updateState(name)) === 'rollback_completed', 500);
    expect(await serviceField(m1, name, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toBe('local/busybox:1');
    await waitFor('tasks on :1', 60_000, async () => {
      const rows = await runningIds(name);
      return rows.length === 2 && rows.every((l) => l.includes('Running') && l.endsWith('local/busybox:1'));
    }, 500);
    await waitRow(c, name, /rollback_complet\S*\s+local\/busybox:1/, 60_000);
    await clearFilter(c);
  });

  it('r shows the rollout per slot while an update converges, to "3 out of 3"', async () => {
    const name = await newService('rollout', ['--update-parallelism', '1', '--update-delay', '5s'], 3);
    await selectService(name, '3/3');
    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', name]);
    await c.press('r');
    await c.waitFor(`Tasks of service ${name} (rollout)`, SCREEN_MS);
    const during = await c.waitFor(/overall progress: [12] out of 3 tasks/, 120_000);
    expect(during).toMatch(new RegExp(`^${escapeRe(name)}  updating`, 'm'));
    for (const slot of ['1/3', '2/3', '3/3']) expect(during).toMatch(new RegExp(`^${slot}\\s+\\w+\\s+\\[`, 'm'));
    // Slots already on the new spec are marked ✓, the rest ·.
    expect(during).toMatch(/✓ lab-/);
    expect(during).toMatch(/· lab-/);
    const done = await c.waitFor(/overall progress: 3 out of 3 tasks/, 120_000);
    expect(done).not.toMatch(/· lab-/);
    await c.waitFor(new RegExp(`^${escapeRe(name)}  completed`, 'm'), 60_000);
    expect(await updateState(name)).toBe('completed');
    for (const l of await runningIds(name)) expect(l).toMatch(/Running.*local\/busybox:2$/);
    await leaveRollout();
  });

  it('a paused update: the rollout view offers R / U; R rolls it back to :1, U resumes the next one', async () => {
    const name = await newService('paused', ['--update-failure-action', 'pause', '--update-monitor', '5s', '--update-delay', '3s'], 3);
    await selectService(name, '3/3');
    await c.press('r');
    await c.waitFor(`Tasks of service ${name} (rollout)`, SCREEN_MS);
    const failingUpdate = async (): Promise<string> => {
      // A new task fails a second after it starts: the updater pauses on that failure with slots left.
      await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', '--args', "/bin/sh -c 'sleep 1; exit 1'", name]);
      await waitFor('update paused', 120_000, async () => (await updateState(name)) === 'paused', 500);
      const view = await c.waitFor('R roll back · U resume', 60_000);
      expect(view).toMatch(new RegExp(`^${escapeRe(name)}  paused: update paused due to failure`, 'm'));
      expect(view).toMatch(/^1\/3\s/m);
      return serviceField(m1, name, '{{.UpdateStatus.Message}}');
    };

    await failingUpdate();
    const rollback = await openDialog(c, 'R', 'Roll back to the previous spec?');
    expect(rollback).toContain(`${name}: image local/busybox:2 → local/busybox:1`);
    await confirmThrough('service.rollback', `Roll back to the previous spec: rollback of ${name} started`);
    await waitFor('rollback completed', 120_000, async () => (await updateState(name)) === 'rollback_completed', 500);
    expect(await serviceField(m1, name, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toBe('local/busybox:1');
    expect(await serviceField(m1, name, '{{json .Spec.TaskTemplate.ContainerSpec.Args}}')).not.toContain('exit 1');
    await waitRunning(m1, name, 3, 120_000);
    await c.waitFor(new RegExp(`^${escapeRe(name)}  rollback completed`, 'm'), 60_000);
    await c.waitFor(/rolling back: 3 out of 3 tasks/, 60_000);

    const pausedMessage = await failingUpdate();
    const versionBefore = Number(await serviceField(m1, name, '{{.Version.Index}}'));
    // swarmkit ignores a resume while the paused updater still sits in its delay: let it run out.
    await sleep(4000);
    const resume = await openDialog(c, 'U', 'Resume the paused update?');
    expect(resume).toContain(`The paused update of ${name} continues with the remaining tasks.`);
    expect(resume).toContain('It paused because: update paused due to failure');
    expect(resume).toContain('After resuming, R can no longer return to the spec before this update (local/busybox:1)');
    await confirmThrough('service.resume', `Resume the paused update: update of ${name} resumed`);
    await waitFor('update resumed', 30_000, async () => {
      const st = await updateState(name);
      return st === 'updating' || (st === 'paused' && (await serviceField(m1, name, '{{.UpdateStatus.Message}}')) !== pausedMessage);
    }, 200);
    expect(Number(await serviceField(m1, name, '{{.Version.Index}}'))).toBeGreaterThan(versionBefore);
    // Resuming re-submitted the spec unchanged.
    expect(await serviceField(m1, name, '{{json .Spec.TaskTemplate.ContainerSpec.Args}}')).toContain('exit 1');
    await leaveRollout();
  });

  it('a change made while the dialog is open is never overwritten: stale, re-read, asked again', async () => {
    const name = await newService('stale', [], 2);
    await selectService(name, '2/2');
    await openDialog(c, 's', `Scale — service ${name}`);
    // Meanwhile someone else scales it and adds an env variable.
    await dockerCli(m1, ['service', 'update', '--detach', '--replicas', '4', '--env-add', 'KEYS_STALE=1', name]);
    await waitRunning(m1, name, 4);
    await waitRow(c, name, /\s4\/4\s/, 60_000);
    await c.press('backspace');
    await c.type('5');
    await c.press('enter');
    await dialogReady(c, 'Scale?');
    const audited = c.audit().length;
    await c.press('y');
    await waitFor('the stale attempt audited', 60_000, async () => Promise.resolve(c.audit()[audited]), 100);
    ran.push('service.scale:stale');
    const again = await c.waitFor(/Scale\?[\s\S]*Scale: re-reading; confirm again — service \S+ changed since you looked/, SCREEN_MS);
    expect(again).toContain('nothing was changed');
    // Asked again with what the console now sees: 4 → 5.
    expect(again).toContain(`${name}: replicas 4 → 5`);
    expect(await serviceField(m1, name, '{{.Spec.Mode.Replicated.Replicas}}')).toBe('4');
    await confirmThrough('service.scale', `Scale: ${name} scaled to 5`);
    expect(await serviceField(m1, name, '{{.Spec.Mode.Replicated.Replicas}}')).toBe('5');
    // The other change survived.
    expect(await serviceField(m1, name, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).toContain('KEYS_STALE=1');
    await clearFilter(c);
  });

  it('X removes: Enter cancels (the default), y removes (docker service ls agrees)', async () => {
    const name = await newService('remove', [], 1);
    await selectService(name, '1/1');
    const dialog = await openDialog(c, 'X', 'Remove service?');
    expect(dialog).toContain(`${name} is deleted and its 1 task stops.`);
    await c.press('enter');
    await outcome(c, 'Remove service: cancelled');
    expect((await cli(m1, ['service', 'ls', '--format', '{{.Name}}'])).split('\n')).toContain(name);

    await openDialog(c, 'X', 'Remove service?');
    await confirmThrough('service.remove', `Remove service: ${name} removed`);
    expect((await cli(m1, ['service', 'ls', '--format', '{{.Name}}'])).split('\n')).not.toContain(name);
    await c.waitFor(/^Services \[0\/\d+\]/m, SCREEN_MS);
    expect(rowOf(c.frame(), name)).toBe('');
    await clearFilter(c);
  });

  it('the audit log has one line per action that ran, with its result', () => {
    const entries = c.audit();
    expect(entries.map((e) => `${e.action}:${e.result}`)).toEqual(ran);
    for (const e of entries) {
      expect(e.context).toBe('lab');
      expect(e.target.kind).toBe('service');
    }
  });
});
