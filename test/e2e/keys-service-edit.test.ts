/**
 * Service changes driven by keys through the real console: set image (i) opens the rollout view, which
 * follows the update to completion while `docker service inspect` agrees; E edits the spec in a scripted
 * $EDITOR with the console suspended and shows the field diff before anything is sent; a quick edit masks
 * secret-looking env values in the confirmation and the audit log; n creates a service from the form.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { SCREEN_MS, clearFilter, createService, dialogReady, dialogText, openDialog, outcome, pane, selectByFilter, serviceField, waitFor, waitRunning } from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const created: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'keys-edit-'));
const savedEditor = process.env.EDITOR;
let c: ConsoleHarness;

async function newService(prefix: string, replicas = 2): Promise<string> {
  const name = uniqueName(`keys-${prefix}`);
  created.push(name);
  await createService(m1, name, ['--replicas', String(replicas), '--update-delay', '0s', '--update-monitor', '1s', 'local/busybox:1', 'sleep', '1d']);
  await waitRunning(m1, name, replicas);
  return name;
}

beforeAll(async () => {
  c = startConsole({ via: m1 });
  await pane(c, '2', 'Services');
});
beforeEach(async () => {
  await c.press('esc', 'esc', 'esc');
  await pane(c, '2', 'Services');
});
afterAll(async () => {
  process.env.EDITOR = savedEditor;
  await c?.stop();
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('service changes by keys', () => {
  it('i sets the image: the plan, then the rollout view follows the update to completion; docker service inspect agrees', async () => {
    const name = await newService('image');
    await selectByFilter(c, name);
    const prompt = await openDialog(c, 'i', `Set image — service ${name}`);
    expect(prompt).toContain('image: local/busybox:1');
    // The suggestion is selected: typing replaces it.
    await c.type('local/busybox:2');
    await c.press('enter');
    const plan = dialogText(await dialogReady(c, 'Set image?'));
    expect(plan).toContain(`${name}: image local/busybox:1 → local/busybox:2`);
    expect(plan).toMatch(/Every task of .* \(2\) is replaced, rolling 1 at a time, 0s apart, stop-first, on failure: pause, monitor 1s/);
    expect(plan).toContain('TaskTemplate.ContainerSpec.Image: local/busybox:1 → local/busybox:2');
    await c.press('y');
    await c.waitFor(new RegExp(`^Tasks of service ${name} \\(rollout\\)`, 'm'), SCREEN_MS);
    await c.waitFor(/overall progress: 2 out of 2 tasks/, 120_000);
    await c.waitFor(`${name}  completed`, 120_000);
    expect(await serviceField(m1, name, '{{.Spec.TaskTemplate.ContainerSpec.Image}} {{.UpdateStatus.State}}')).toBe('local/busybox:2 completed');
    const images = await dockerCli(m1, ['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.Image}} {{.CurrentState}}']);
    expect(images.trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['local/busybox:2', 'local/busybox:2']);
    const audit = c.audit().filter((e) => e.action === 'service.set-image');
    expect(audit.at(-1)).toMatchObject({ result: 'done', changes: ['TaskTemplate.ContainerSpec.Image: local/busybox:1 → local/busybox:2'] });
  });

  it('E edits the spec in $EDITOR (the console suspended meanwhile), then shows the field diff; y sends it', async () => {
    const name = await newService('edit', 1);
    const script = join(dir, 'edit.sh');
    writeFileSync(script, `#!/bin/sh\nsed -i 's/Replicas: 1/Replicas: 2/' "$1"\nsed -i 's/^Labels: {}$/Labels:\\n  edited: "yes"/' "$1"\n`, { mode: 0o700 });
    process.env.EDITOR = `sh ${script}`;
    await selectByFilter(c, name);
    await c.press('E');
    const plan = dialogText(await dialogReady(c, 'Edit spec in $EDITOR?'));
    expect(plan).toContain('Mode.Replicated.Replicas: 1 → 2');
    expect(plan).toContain('Labels.edited: + yes');
    expect(plan).toContain('No running task is replaced: Labels.edited, Mode.Replicated.Replicas (replicas 1 → 2: 1 task starts).');
    await c.press('y');
    await outcome(c, `Edit spec in $EDITOR: ${name} updated (2 fields)`);
    expect(await serviceField(m1, name, '{{.Spec.Mode.Replicated.Replicas}} {{index .Spec.Labels "edited"}}')).toBe('2 yes');
    // Still on the services pane, the row still selected.
    expect(c.frame()).toMatch(/^Services \[/m);
    await clearFilter(c);
  });

  it('e (env): a secret-looking value is masked in the confirmation and in the audit log', async () => {
    const name = await newService('env', 1);
    await selectByFilter(c, name);
    await openDialog(c, 'e', `Environment (KEY=VAL, -KEY) — service ${name}`);
    await c.type('API_TOKEN=s3cr3t-value LOG=debug');
    await c.press('enter');
    const plan = dialogText(await dialogReady(c, 'Environment (KEY=VAL, -KEY)?'));
    // The service had no env: the list is added whole, each secret-looking value masked.
    expect(plan).toContain('TaskTemplate.ContainerSpec.Env: + ["API_TOKEN=•••","LOG=debug"]');
    expect(plan).toContain('y: confirm · any other key: cancel (default)');
    expect(plan).not.toContain('s3cr3t-value');
    await c.press('y');
    await outcome(c, `${name} updated (1 field)`);
    await waitFor('the env set', 30_000, async () => (await serviceField(m1, name, '{{json .Spec.TaskTemplate.ContainerSpec.Env}}')).includes('API_TOKEN=s3cr3t-value'), 500);
    expect(c.auditRaw()).not.toContain('s3cr3t-value');
    expect(c.audit().at(-1)).toMatchObject({ action: 'service.env', input: 'API_TOKEN=••• LOG=debug', changes: ['TaskTemplate.ContainerSpec.Env: + ["API_TOKEN=•••","LOG=debug"]'] });
  });

  it('n creates a service from the one-line form: the dry run shows the spec, the result equals docker service create\'s', async () => {
    const ours = uniqueName('keys-new');
    const theirs = uniqueName('keys-cli');
    created.push(ours, theirs);
    await c.press('n');
    await c.waitFor('Create a service — service (new)', SCREEN_MS);
    await c.type(`${ours} local/busybox:1 replicas=2 env=LOG=info publish=18090:80 -- sleep 1d`);
    await c.press('enter');
    const dry = dialogText(await dialogReady(c, 'Create a service?'));
    expect(dry).toContain('Dry run — the spec that will be sent');
    expect(dry).toContain(`Name: ${ours}`);
    await c.press('y');
    await outcome(c, `Create a service: ${ours} created`);
    await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', theirs, '--replicas', '2', '--env', 'LOG=info', '--publish', '18091:80', 'local/busybox:1', 'sleep', '1d']);
    const pick = async (n: string): Promise<string> => serviceField(m1, n, '{{json .Spec.TaskTemplate.ContainerSpec.Image}} {{json .Spec.TaskTemplate.ContainerSpec.Args}} {{json .Spec.TaskTemplate.ContainerSpec.Env}} {{json .Spec.Mode}} {{(index .Spec.EndpointSpec.Ports 0).TargetPort}}');
    expect(await pick(ours)).toBe(await pick(theirs));
    await waitRunning(m1, ours, 2);
  });
});
