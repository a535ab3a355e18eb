import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { testLab } from './setup/lab-handle.js';
import { cookedMode, startInPty, terminalRestored, type PtyRun } from './setup/pty.js';

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

async function consoleUp(): Promise<PtyRun> {
  const run = startInPty('faults-term', [process.execPath, BIN, '--host', `unix://${m1.socket}`], h.env, REPO);
  runs.push(run);
  await waitFor('the console showing the lab', 30_000, () => Promise.resolve(run.raw().includes('\x1b[?1049h') && lab.nodes.every((n) => run.screen().includes(n.hostname))), 200);
  return run;
}

function expectRestored(run: PtyRun, stty: string): void {
  expect(terminalRestored(run.raw())).toEqual({ leftAltScreen: true, cursorShown: true });
  expect(cookedMode(stty)).toBe(true);
}

describe('the terminal is restored on every exit path (real pty via tmux + script)', () => {
  it('q', async () => {
    const run = await consoleUp();
    run.keys('q');
    const { code, stty } = await run.exited(20_000);
    expect(code).toBe(0);
    expectRestored(run, stty);
  });

  it('Ctrl-C', async () => {
    const run = await consoleUp();
    run.keys('C-c');
    const { code, stty } = await run.exited(20_000);
    expect([0, 130]).toContain(code);
    expectRestored(run, stty);
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s', async (signal, expected) => {
    const run = await consoleUp();
    process.kill(await run.appPid(), signal);
    const { code, stty } = await run.exited(20_000);
    expect(code).toBe(expected);
    expectRestored(run, stty);
  });

  it('SIGTERM while a dialog is open and data is stale (the engine unreachable)', async () => {
    const run = await consoleUp();
    run.keys('?');
    await waitFor('help open', 10_000, () => Promise.resolve(/help/i.test(run.screen())), 200);
    process.kill(await run.appPid(), 'SIGTERM');
    const { code, stty } = await run.exited(20_000);
    expect(code).toBe(143);
    expectRestored(run, stty);
  });

  it('a crash while rendering (test-only entry: the store turns corrupt): restored, exit code 70, the error said', async () => {
    const tsx = join(REPO, 'node_modules', '.bin', 'tsx');
    const run = startInPty('faults-crash', [tsx, join(REPO, 'test', 'e2e', 'setup', 'crash-console.ts'), m1.socket], h.env, REPO);
    runs.push(run);
    const { code, stty } = await run.exited(60_000);
    expect(run.raw()).toContain('\x1b[?1049h');
    expect(code).toBe(70);
    expectRestored(run, stty);
  });
});
