import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { startInPty, stopApp, type PtyRun } from './setup/pty.js';

/**
 * The logs of one task whose node the managers have lost (its link cut: the node is down for them, its
 * engine still runs the container): the managers cannot serve them, so they are read from that node's
 * own engine (its socket in the context's nodes: map), and the view says so first.
 */
const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const service = uniqueName('reach-logs');
let h: CliHome;
let run: PtyRun | null = null;
let taskId = '';

beforeAll(async () => {
  ensureBuilt();
  h = cliHome('reach-logs-');
  writeFileSync(h.contextsFile, `contexts:\n  - name: lab\n    managers: [unix://${m1.socket}]\n    nodes:\n      ${w1.hostname}: unix://${w1.socket}\n`);
  // Bounded: one line a second for ten minutes at most.
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', '1', '--constraint', 'node.role==worker',
    'local/busybox:1', 'sh', '-c', 'i=0; while [ $i -lt 600 ]; do echo "reach-line-$i"; i=$((i+1)); sleep 1; done']);
  taskId = await waitFor('the task running on the worker', 120_000, async () => {
    const out = (await dockerCli(m1, ['service', 'ps', service, '--no-trunc', '--filter', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}}'])).trim();
    return /^\w+ Running/.test(out) ? out.split(' ')[0]! : null;
  }, 1000);
});
afterAll(async () => {
  await stopApp(run);
  run?.close();
  h?.remove();
  await lab.setLink('w1', true).catch(() => undefined);
  await waitFor('w1 ready again', 120_000, async () => (await dockerCli(m1, ['node', 'inspect', w1.hostname, '--format', '{{.Status.State}}'])).trim() === 'ready', 1000).catch(() => undefined);
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
});

describe('a task\'s logs from its own node', () => {
  it('are read from the node\'s engine when the managers have lost the node', async () => {
    run = startInPty('reach-logs', [process.execPath, BIN, '--context', 'lab'], h.env, REPO);
    const r = run;
    const screen = (re: RegExp | string, what: string, ms = 60_000): Promise<void> => waitFor(what, ms, () => Promise.resolve(typeof re === 'string' ? r.screen().includes(re) : re.test(r.screen())), 250).then(() => undefined, (e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${r.screen()}`);
    });
    await screen('managers 3/3', 'the console live');
    try {
      await lab.setLink('w1', false);
      await waitFor('w1 down for the managers', 120_000, async () => (await dockerCli(m1, ['node', 'inspect', w1.hostname, '--format', '{{.Status.State}}'])).trim() === 'down', 1000);
      r.keys(':');
      r.keys('-l', 'tasks');
      r.keys('Enter');
      await screen(/^Tasks \[/m, 'the tasks pane');
      r.keys('/');
      r.keys('-l', taskId.slice(0, 12));
      r.keys('Enter');
      await screen(new RegExp(`^Tasks \\[1(/\\d+)?\\]`, 'm'), 'the task selected');
      r.keys('l');
      await screen(/reach-line-\d+/, 'the task\'s own lines');
      // The notice sorts among the lines by when it was said: found with the view's search.
      r.keys('f');
      await screen('follow:off', 'follow off');
      r.keys('/');
      r.keys('-l', 'own engine');
      r.keys('Enter');
      await screen(`the managers cannot fetch these logs (node ${w1.hostname} is down): read from`, 'the notice');
      expect(r.screen()).not.toMatch(/logs cannot be fetched: node/);
      r.keys('q');
      r.keys('q');
      const { code } = await r.exited(30_000);
      expect(code).toBe(0);
    } finally {
      await lab.setLink('w1', true);
    }
  });
});
