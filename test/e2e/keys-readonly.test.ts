/**
 * A read-only console (--read-only): every mutating key of every pane, and one `:` command, is pressed
 * once on a real target. Each is refused on screen before any dialog, audited as refused, and the docker
 * CLI shows the cluster exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/registry.js';
import type { ActionSpec, TargetKind } from '../../src/actions/types.js';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { SCREEN_MS, cli, createService, pane, selectByFilter, waitFor, waitRunning } from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const service = uniqueName('keys-ro');
const secret = uniqueName('keys-ro-secret');
const config = uniqueName('keys-ro-config');
// The service belongs to a stack (labelled as `docker stack deploy` does), so the stacks pane has a row.
const stack = uniqueName('keys-ro-stack');
let c: ConsoleHarness;

/** Everything a mutating action could change, as the docker CLI reports it. */
async function clusterFacts(): Promise<string> {
  return [
    await cli(m1, ['node', 'inspect', ...lab.nodes.map((n) => n.hostname), '--format', '{{.ID}} {{.Version.Index}} {{json .Spec}}']),
    await cli(m1, ['service', 'inspect', service, '--format', '{{.Version.Index}} {{json .Spec}} {{json .UpdateStatus}}']),
    await cli(m1, ['info', '--format', '{{.Swarm.Cluster.Version.Index}} {{json .Swarm.Cluster.Spec}}']),
    await cli(m1, ['swarm', 'join-token', '-q', 'worker']),
    await cli(m1, ['swarm', 'join-token', '-q', 'manager']),
    await cli(m1, ['secret', 'ls', '--format', '{{.ID}} {{.Name}}']),
    await cli(m1, ['config', 'ls', '--format', '{{.ID}} {{.Name}}']),
  ].join('\n');
}

/** Presses a key and waits for its refusal on screen and in the audit log. */
async function refused(keys: readonly string[], action: ActionSpec): Promise<void> {
  const before = c.audit().length;
  await c.press(...keys);
  await waitFor(`${action.id} audited`, SCREEN_MS, async () => Promise.resolve(c.audit().length > before), 100);
  const screen = await c.waitFor(`${action.label}: refused — the console is read-only`, SCREEN_MS);
  // No dialog opened.
  expect(screen).not.toContain('y: confirm');
  expect(screen).not.toContain('enter: continue');
  expect(c.audit().slice(before).map((e) => [e.action, e.result])).toEqual([[action.id, 'refused']]);
}

const mutating = (kind: TargetKind): ActionSpec[] => ACTIONS.filter((a) => a.mutating && a.targets === kind);

beforeAll(async () => {
  await createService(m1, service, ['--replicas', '2', '--label', `com.docker.stack.namespace=${stack}`, 'local/busybox:1']);
  await waitRunning(m1, service, 2);
  // A previous spec, so that roll back would be possible if it were allowed.
  await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', service]);
  await waitFor('update completed', 120_000, async () => (await cli(m1, ['service', 'inspect', service, '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}'])) === 'completed', 500);
  await dockerCli(m1, ['secret', 'create', secret, '/etc/hostname']);
  await dockerCli(m1, ['config', 'create', config, '/etc/hostname']);
  c = startConsole({ via: m1, readOnly: true });
  await c.waitFor('READ-ONLY', SCREEN_MS);
});

afterAll(async () => {
  await c?.stop();
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
  await dockerCli(m1, ['secret', 'rm', secret]).catch(() => undefined);
  await dockerCli(m1, ['config', 'rm', config]).catch(() => undefined);
});

describe('read-only console: every mutating key refused, audited, nothing changed', () => {
  it('offers no mutating key in the footer; the help lists them greyed under "Disabled: read-only"', async () => {
    // The footer's hints line: the last one made of <key>label pairs.
    const footer = (): string => c.frame().split('\n').filter((l) => l.startsWith('<')).at(-1) ?? '';
    for (const [key, title, kind] of [['1', 'Nodes', 'node'], ['2', 'Services', 'service'], ['8', 'Swarm', 'swarm']] as const) {
      await pane(c, key, title);
      expect(footer()).toContain('<?>help');
      for (const a of mutating(kind)) expect(footer(), `${a.id} in the ${title} footer`).not.toContain(`<${a.key}>`);
    }
    // What changes nothing stays offered (the worker join command; the keys come from the actions' flag).
    for (const a of ACTIONS.filter((x) => !x.mutating && x.targets === 'swarm')) expect(footer()).toContain(`<${a.key}>`);
    await c.press('?');
    await c.waitFor('Help — keys', SCREEN_MS);
    await c.type('j'.repeat(120));
    const help = await c.waitFor('Disabled: read-only', SCREEN_MS);
    const disabled = help.slice(help.indexOf('Disabled: read-only'));
    for (const a of ACTIONS.filter((x) => x.mutating)) expect(disabled).toContain(a.label);
    await c.press('esc');
    await c.waitForGone('Help — keys', SCREEN_MS);
  });

  it('every mutating key of the nodes, services, tasks, stacks, secrets, configs and swarm panes, and :scale, is refused', async () => {
    const before = await clusterFacts();
    const pressed: string[] = [];

    await pane(c, '1', 'Nodes');
    await selectByFilter(c, w1.hostname);
    for (const a of mutating('node')) {
      await refused([a.key], a);
      pressed.push(a.id);
    }

    await pane(c, '2', 'Services');
    await selectByFilter(c, service);
    for (const a of mutating('service')) {
      await refused([a.key], a);
      pressed.push(a.id);
    }
    const scale = ACTIONS.find((a) => a.id === 'service.scale');
    if (!scale) throw new Error('no scale action');
    await refused([':', ...'scale 5', 'enter'], scale);
    pressed.push(scale.id);

    for (const [key, title, kind, name] of [['3', 'Tasks', 'task', `${service}.1`], ['4', 'Stacks', 'stack', stack], ['5', 'Secrets', 'secret', secret], ['6', 'Configs', 'config', config]] as const) {
      await pane(c, key, title);
      await selectByFilter(c, name);
      for (const a of mutating(kind)) {
        await refused([a.key], a);
        pressed.push(a.id);
      }
    }

    await pane(c, '8', 'Swarm');
    for (const a of mutating('swarm')) {
      await refused([a.key], a);
      pressed.push(a.id);
    }

    // Every mutating action of the registry was tried.
    expect(new Set(pressed)).toEqual(new Set(ACTIONS.filter((a) => a.mutating).map((a) => a.id)));
    const audit = c.audit();
    expect(audit.map((e) => e.action)).toEqual(pressed);
    for (const e of audit) {
      expect(e.result).toBe('refused');
      expect(e.context).toBe('lab');
    }
    expect(await clusterFacts()).toBe(before);
  });
});
