import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { testLab } from './setup/lab-handle.js';
import { cookedMode, startInPty, terminalRestored, type PtyRun } from './setup/pty.js';

/**
 * Whatever ends the console — q, Ctrl-C, SIGTERM, SIGHUP, a crash — the operator's terminal is back: the
 * alternate screen left, the cursor shown, the line discipline cooked (icanon, echo). Checked three ways
 * in a real pty (tmux running `script`): the bytes the app wrote, tmux's own view of the pane, and
 * `stty -a` of the pty after the app is gone. The real binary (bin/swarmtop against the lab) wherever
 * possible; crashes need a test-only entry (setup/crash-console.ts) since the product has no crash switch.
 */
const lab = testLab();
const m1 = lab.managers[0]!;
let h: CliHome;
const runs: PtyRun[] = [];

beforeAll(() => {
  ensureBuilt();
  h = cliHome('faults-term-');
});
afterAll(() => {
  runs.forEach((r) => r.close());
  h?.remove();
});

const isLive = (run: PtyRun): boolean => run.raw().includes('\x1b[?1049h') && run.screen().includes('● live') && run.screen().includes('managers 3/3');

/** The real binary in a fresh 120x32 pty, waited until it shows the lab live. */
async function consoleUp(extraEnv: NodeJS.ProcessEnv = {}): Promise<PtyRun> {
  const run = startInPty('faults-term', [process.execPath, BIN, '--host', `unix://${m1.socket}`], { ...h.env, ...extraEnv }, REPO);
  runs.push(run);
  await waitFor('the console showing the lab live', 60_000, () => Promise.resolve(isLive(run)), 200);
  return run;
}

async function expectRestoredAfterExit(run: PtyRun, expectedCode: number): Promise<void> {
  const { code, stty } = await run.exited(30_000).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${run.screen()}`);
  });
  expect(code).toBe(expectedCode);
  expect(terminalRestored(run.raw())).toEqual({ leftAltScreen: true, cursorShown: true, pasteModeOff: true });
  expect(run.paneModes()).toEqual({ alternateOn: false, cursorShown: true });
  expect(cookedMode(stty)).toBe(true);
  // The console's frame is gone from the screen the operator is left with.
  expect(run.screen()).not.toContain('● live');
}

describe('the terminal is restored on every exit path (real pty: tmux + script)', () => {
  it('q', async () => {
    const run = await consoleUp();
    run.keys('q');
    await expectRestoredAfterExit(run, 0);
  });

  it('q, with CI=true in the environment (Ink would otherwise draw only the last frame, at exit)', async () => {
    const run = await consoleUp({ CI: 'true', CONTINUOUS_INTEGRATION: '1' });
    run.keys('q');
    await expectRestoredAfterExit(run, 0);
  });

  it('Ctrl-C (the console quits; exitOnCtrlC is off so the same path as q)', async () => {
    const run = await consoleUp();
    run.keys('C-c');
    await expectRestoredAfterExit(run, 0);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s', async (signal, expected) => {
    const run = await consoleUp();
    process.kill(await run.appPid(), signal);
    await expectRestoredAfterExit(run, expected);
  });

  it('SIGTERM while the help overlay is open', async () => {
    const run = await consoleUp();
    run.keys('?');
    await waitFor('help open', 10_000, () => Promise.resolve(/quit \(anywhere\)/.test(run.screen())), 200);
    process.kill(await run.appPid(), 'SIGTERM');
    await expectRestoredAfterExit(run, 143);
  });

  it('resize: the frame is redrawn at the new size, and again when it grows back', async () => {
    const run = await consoleUp();
    run.resize(70, 20);
    const lines = (): string[] => run.screen().split('\n');
    // Drawn for 70 columns (not cut by tmux): the live badge kept, nothing wider, the table's columns
    // chosen for the width (PORTS dropped), the footer on one of the 20 rows.
    const tableHead = (): string => lines().find((l) => l.startsWith('NAME')) ?? '';
    await waitFor('a frame at 70x20', 15_000, () => Promise.resolve(lines()[0]!.includes('● live') && lines().every((l) => l.length <= 70) && tableHead() !== '' && !tableHead().includes('PORTS') && lines().slice(0, 20).some((l) => l.startsWith('<'))), 200);
    run.resize(120, 32);
    // Redrawn for 120x32: the whole header, and the footer on a row the 20-row frame never had.
    await waitFor('a frame at 120x32 again', 15_000, () => Promise.resolve(lines()[0]!.includes('● live') && tableHead().includes('PORTS') && lines().findIndex((l) => l.includes('<?>help')) >= 20), 200);
    run.keys('q');
    await expectRestoredAfterExit(run, 0);
  });

  it.each([
    ['render', 'the UI throws while rendering (the store turns corrupt)'],
    ['rejection', 'a promise nobody awaits rejects'],
  ] as const)('a crash — %s: %s — restored, exit code 70, the error said after the screen is left', async (mode, _what) => {
    const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
    const run = startInPty(`faults-crash-${mode}`, [tsx, join(REPO, 'test', 'e2e', 'setup', 'crash-console.ts'), m1.socket, mode], h.env, REPO);
    runs.push(run);
    await expectRestoredAfterExit(run, 70);
    const raw = run.raw();
    expect(raw).toContain('\x1b[?1049h');
    // The error reaches the operator on the normal screen, not inside the alternate one that is wiped.
    const message = raw.slice(raw.lastIndexOf('\x1b[?1049l'));
    expect(message).toMatch(/swarmtop: (uncaughtException|unhandledRejection)/);
    if (mode === 'rejection') expect(message).toContain('simulated crash');
  });
});
