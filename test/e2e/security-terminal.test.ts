/**
 * Anyone who can set a node label can put escape sequences in it; on a real swarm such a label used to
 * retitle the operator's terminal (OSC 0) and could write its clipboard (OSC 52) as soon as the label
 * prompt opened. Here the labels are set with the docker CLI on the lab, the console shows them and edits
 * them, and every byte it wrote to the terminal is checked; the engine keeps the raw values the operator
 * did not touch, and `snapshot --json` prints the cleaned text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foreignControls } from '../fixtures/terminal-guard.js';
import { cliHome, ensureBuilt, runCli } from './setup/cli-run.js';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab } from './setup/lab-handle.js';
import { SCREEN_MS, clearFilter, nodeField, openDialog, outcome, pane, selectByFilter } from './keys-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const RAW: Readonly<Record<string, string>> = {
  evil: 'x\x1b]0;PWNED\x07y',
  clip: 'a\x1b]52;c;ZWNobyBvd25lZAo=\x07b',
  list: 'a,b',
  bidi: 'ev\u202elive',
};
let c: ConsoleHarness;

async function labels(): Promise<Record<string, string>> {
  return JSON.parse(await nodeField(m1, w1.hostname, '{{json .Spec.Labels}}')) as Record<string, string>;
}

beforeAll(async () => {
  await dockerCli(m1, ['node', 'update', ...Object.entries(RAW).flatMap(([k, v]) => ['--label-add', `${k}=${v}`]), w1.hostname]);
  expect(await labels()).toMatchObject(RAW);
  c = startConsole({ via: m1 });
  await pane(c, '1', 'Nodes');
  await c.waitFor(w1.hostname, SCREEN_MS);
});

afterAll(async () => {
  await c?.stop();
  await dockerCli(m1, ['node', 'update', ...[...Object.keys(RAW), 'added'].flatMap((k) => ['--label-rm', k]), w1.hostname]).catch(() => undefined);
});

describe('hostile node labels on a real swarm', () => {
  it('the label prompt shows them cleaned; nothing but our own drawing reaches the terminal', async () => {
    await selectByFilter(c, w1.hostname);
    const screen = await openDialog(c, 'e', `Edit labels — node ${w1.hostname}`);
    const prompt = screen.split('\n').find((l) => l.includes('labels (k=v')) ?? '';
    expect(prompt).toContain('bidi=ev<U+202E>live,clip=ab,evil=xy,list=a,b');
    const raw = c.raw();
    expect(raw).not.toContain('PWNED');
    // eslint-disable-next-line no-control-regex
    expect(raw).not.toMatch(/\x1b[\]P_^X]|[\x80-\x9f]|\u202e/);
    expect(c.clipboard()).toEqual([]);
    // Ink's own cursor moves and screen modes are CSI sequences; every other byte is text or our SGR.
    // eslint-disable-next-line no-control-regex
    expect(foreignControls(raw.replace(/\x1b\[[0-9;?]*[A-HJKSTfhlsu]/g, ''))).toEqual([]);
  });

  it('an edit sends what the operator typed and keeps every untouched label as the engine holds it', async () => {
    // The prompt's last character is the "b" of list=a,b: backspace edits the suggestion instead of replacing it.
    await c.press('backspace');
    await c.type('b,added=1');
    await c.press('enter');
    await outcome(c, `Edit labels: labels of ${w1.hostname} updated`);
    expect(await labels()).toEqual({ ...RAW, added: '1' });
    expect(c.audit().map((e) => [e.action, e.result])).toEqual([['node.labels', 'done']]);
    await clearFilter(c);
  });

  it('snapshot --json prints the labels cleaned, nothing foreign on stdout or stderr', async () => {
    ensureBuilt();
    const h = cliHome('security-terminal-');
    try {
      const r = await runCli(['snapshot', '--json', '--host', `unix://${m1.socket}`], h.env);
      expect(r.code).toBe(0);
      expect(foreignControls(r.stdout)).toEqual([]);
      expect(foreignControls(r.stderr)).toEqual([]);
      const snap = JSON.parse(r.stdout) as { nodes: { hostname: string; labels: Record<string, string> }[] };
      expect(snap.nodes.find((n) => n.hostname === w1.hostname)?.labels).toMatchObject({ evil: 'xy', clip: 'ab', bidi: 'ev<U+202E>live', list: 'a,b' });
    } finally {
      h.remove();
    }
  });
});
