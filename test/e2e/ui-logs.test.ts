/**
 * The logs view on the lab, checked against `docker service logs`: every line names its task as the CLI
 * does (service.slot.task-id@node), p hides the prefix, and a task whose logs cannot be read (its node
 * down, or a log driver that keeps nothing) gets one line saying so where the CLI stays silent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { SCREEN_MS, clearFilter, createService, escapeRe, pane, restoreWorker, selectByFilter, waitFor, waitRunning } from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const chatty = uniqueName('logs-chat');
const silent = uniqueName('logs-none');
const onWorker = uniqueName('logs-w1');
const created = [chatty, silent, onWorker];
let c: ConsoleHarness;

const SCRIPT = "trap 'exit 0' TERM INT; i=0; while :; do echo out-$i; i=$((i+1)); sleep 0.5; done";

/** The prefixes `docker service logs` prints ("name.1.abcdefabcdef@lab-m1"), one per task. */
async function cliPrefixes(service: string): Promise<Set<string>> {
  const out = await dockerCli(m1, ['service', 'logs', '--tail', '3', service]);
  return new Set(out.split('\n').filter((l) => l.includes(' | ')).map((l) => l.slice(0, l.indexOf(' | ')).trim()));
}

async function openLogs(service: string): Promise<void> {
  await pane(c, '2', 'Services');
  await selectByFilter(c, service);
  await c.press('l');
  await c.waitFor(`Logs service ${service}`, SCREEN_MS);
}

async function closeLogs(): Promise<void> {
  await c.press('q');
  await c.waitForGone('Logs service', SCREEN_MS);
  await clearFilter(c);
}

beforeAll(async () => {
  await createService(m1, chatty, ['--replicas', '2', 'local/busybox:1', 'sh', '-c', SCRIPT]);
  await createService(m1, silent, ['--replicas', '2', '--log-driver', 'none', 'local/busybox:1', 'sh', '-c', SCRIPT]);
  await createService(m1, onWorker, ['--replicas', '1', '--constraint', `node.hostname==${w1.hostname}`, 'local/busybox:1', 'sh', '-c', SCRIPT]);
  for (const s of created) await waitRunning(m1, s, s === onWorker ? 1 : 2);
  c = startConsole({ via: m1 });
  await c.waitFor('● live', SCREEN_MS);
});

afterAll(async () => {
  await c?.stop();
  for (const s of created) await dockerCli(m1, ['service', 'rm', s]).catch(() => undefined);
});

describe('the logs view names each line\'s task as docker service logs does', () => {
  it('service.slot.task-id@node on every line, the same prefixes as the CLI; p hides them', async () => {
    const expected = await waitFor('the CLI printing both tasks', 30_000, async () => {
      const p = await cliPrefixes(chatty);
      return p.size === 2 ? p : null;
    }, 500);
    await openLogs(chatty);
    for (const prefix of expected) {
      await c.waitFor(new RegExp(`^${escapeRe(prefix)} \\| out-\\d+\\s*$`, 'm'), SCREEN_MS);
    }
    // Nothing but those two tasks speaks.
    const shown = c.frame().split('\n').filter((l) => / \| out-\d+\s*$/.test(l)).map((l) => l.slice(0, l.indexOf(' | ')));
    expect(new Set(shown)).toEqual(expected);
    await c.press('p');
    await c.waitFor(/prefix:off/, SCREEN_MS);
    await c.waitFor(/^out-\d+\s*$/m, SCREEN_MS);
    await c.press('p');
    await c.waitFor(/prefix:on/, SCREEN_MS);
    await closeLogs();
  });

  it('a log driver that keeps nothing: one line per task says so (the CLI prints nothing)', async () => {
    expect((await dockerCli(m1, ['service', 'logs', '--tail', '5', silent])).trim()).toBe('');
    const tasks = (await dockerCli(m1, ['service', 'ps', silent, '--no-trunc', '--format', '{{.Name}}.{{.ID}}@{{.Node}}'])).trim().split('\n');
    await openLogs(silent);
    for (const t of tasks) {
      const [name = '', rest = ''] = t.split(/\.(?=[a-z0-9]{25}@)/);
      const prefix = `${name}.${rest.slice(0, 12)}${rest.slice(rest.indexOf('@'))}`;
      await c.waitFor(`${prefix} | no logs to read: the log driver "none" keeps none the engine can read back`, SCREEN_MS);
    }
    await closeLogs();
  });

  it('a task on a node that is down: one line says its logs cannot be fetched', async () => {
    const task = (await dockerCli(m1, ['service', 'ps', onWorker, '-q', '--no-trunc'])).trim().split('\n')[0] ?? '';
    try {
      await lab.stopEngine('w1', 'SIGKILL');
      await waitFor('w1 down', 120_000, async () => (await dockerCli(m1, ['node', 'inspect', w1.hostname, '--format', '{{.Status.State}}'])).trim() === 'down', 1000);
      await pane(c, '1', 'Nodes');
      await c.waitFor(new RegExp(`^${escapeRe(w1.hostname)}\\s.*\\sdown\\s`, 'm'), 60_000);
      await openLogs(onWorker);
      await c.waitFor(`${onWorker}.1.${task.slice(0, 12)}@${w1.hostname} | logs cannot be fetched: node ${w1.hostname} is down`, SCREEN_MS);
      await closeLogs();
    } finally {
      await restoreWorker(lab, 'w1', m1);
    }
  });
});
