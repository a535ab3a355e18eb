/**
 * Keys that arrive together, in a real terminal: tmux writes `send-keys jjj` to the pty in one write (what
 * fast typing over a slow SSH link, key repeat or a paste delivers), the real binary reads it as one
 * chunk. Each key must act in turn; a paste must go into a prompt whole; and typeahead must never confirm
 * a dangerous action — checked against the lab with the docker CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab } from './setup/lab-handle.js';
import { startInPty, terminalRestored, type PtyRun } from './setup/pty.js';

const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
let h: CliHome;
let run: PtyRun;

const screen = (): string => run.screen();
const lines = (): string[] => screen().trimEnd().split('\n');
/** The footer's last line: the selected row's name, an open prompt, or a message. */
const footer = (): string => lines().at(-1)?.trim() ?? '';
const see = (what: string, check: () => boolean, ms = 15_000): Promise<true> =>
  waitFor(what, ms, () => Promise.resolve(check() ? true : null), 100).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${screen()}`);
  });
const availability = async (): Promise<string> => (await dockerCli(m1, ['node', 'inspect', w1.hostname, '--format', '{{.Spec.Availability}}'])).trim();

beforeAll(async () => {
  ensureBuilt();
  h = cliHome('keys-burst-');
  run = startInPty('keys-burst', [process.execPath, BIN, '--host', `unix://${m1.socket}`], h.env, REPO);
  await see('the console live on the lab', () => screen().includes('● live') && screen().includes('managers 3/3'), 60_000);
  run.keys('1');
  await see('the nodes pane', () => /^Nodes \[4\]/m.test(screen()) && screen().includes(w1.hostname));
});

afterAll(async () => {
  await dockerCli(m1, ['node', 'update', '--availability', 'active', w1.hostname]).catch(() => undefined);
  run?.close();
  h?.remove();
});

describe('keys in one write act one by one (real pty)', () => {
  it('send-keys jjj moves the selection three rows, kk two back', async () => {
    run.keys('g');
    // Sorted by hostname: m1, m2, m3, w1.
    await see('the first node selected', () => footer() === lab.node('m1').hostname);
    run.keys('jjj');
    await see('three rows down: the worker', () => footer() === w1.hostname);
    run.keys('kk');
    await see('two rows up', () => footer() === lab.node('m2').hostname);
  });

  it('a paste goes into the / filter whole: its newline does not submit it', async () => {
    run.keys('/');
    await see('the filter prompt', () => footer().startsWith('/'));
    run.paste(`${w1.hostname}\nlab\n`);
    await see('the pasted text in the prompt, still open', () => footer() === `/${w1.hostname} lab` && /^Nodes \[1\/4\]/m.test(screen()));
    run.keys('Enter');
    await see('the filter applied', () => footer().startsWith(`filter: ${w1.hostname} lab`) && footer().endsWith(w1.hostname));
  });

  it('"dy" in one write on the worker: the dialog stays open, ignoring the y, and the node stays active', async () => {
    run.keys('dy');
    await see('the drain confirmation, saying it ignored the typed-ahead key', () => screen().includes('Drain?') && /ignored 1 key typed before the dialog was shown/.test(screen()));
    // The dialog offers y once it has been on screen long enough; nothing was sent meanwhile.
    await see('y offered', () => screen().includes('y: confirm'));
    expect(await availability()).toBe('active');
    run.keys('Escape');
    await see('cancelled', () => footer().includes('Drain: cancelled'));
    expect(await availability()).toBe('active');
  });

  it('d, a pause (the dialog read), y: drains (docker node inspect agrees)', async () => {
    run.keys('d');
    await see('y offered', () => screen().includes('Drain?') && screen().includes('y: confirm'));
    run.keys('y');
    await see('drained', () => footer().includes(`Drain: ${w1.hostname} set to drain`), 60_000);
    expect(await availability()).toBe('drain');
  });

  it('quits with the terminal restored, bracketed paste off', async () => {
    run.keys('q');
    const { code } = await run.exited(30_000);
    expect(code).toBe(0);
    expect(terminalRestored(run.raw())).toEqual({ leftAltScreen: true, cursorShown: true, pasteModeOff: true });
  });
});
