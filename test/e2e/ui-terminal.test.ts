import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';

/**
 * The console in a real pty (tmux): whatever ends it — q, Ctrl-C, SIGTERM, SIGHUP — the terminal must be
 * back in the normal screen, cursor visible, line discipline cooked (echo, icanon).
 */
const socket = `swarmtop-ui-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'swarmtop-ui-pty-'));
const root = resolve(import.meta.dirname, '..', '..');
const app = join(root, 'test', 'e2e', 'support', 'ui-pty-app.tsx');

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
}

const display = (fmt: string): string => tmux('display-message', '-p', '-t', 't', fmt).trim();
const screen = (): string => tmux('capture-pane', '-p', '-t', 't');

beforeAll(() => {
  tmux('new-session', '-d', '-s', 't', '-x', '100', '-y', '30', 'env -u CI -u NO_COLOR TERM=xterm-256color bash --norc --noprofile');
});

afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  rmSync(dir, { recursive: true, force: true });
});

async function startConsole(run: number, env = ''): Promise<{ pid: number; codeFile: string }> {
  const pidFile = join(dir, `pid-${run}`);
  const codeFile = join(dir, `code-${run}`);
  tmux('send-keys', '-t', 't', `${env} UI_PTY_PID_FILE=${pidFile} UI_PTY_CODE_FILE=${codeFile} node --import tsx ${app}`, 'Enter');
  await waitFor('the console on the alternate screen', 60_000, () => Promise.resolve(display('#{alternate_on}') === '1' && screen().includes('Services [2]')), 100);
  return { pid: Number(readFileSync(pidFile, 'utf8')), codeFile };
}

async function expectRestored(codeFile: string, expectedCode: number): Promise<void> {
  await waitFor('the console to exit', 30_000, () => Promise.resolve(existsSync(codeFile)), 100);
  expect(Number(readFileSync(codeFile, 'utf8'))).toBe(expectedCode);
  await waitFor('the shell prompt back', 10_000, () => Promise.resolve(display('#{alternate_on}') === '0'), 100);
  expect(display('#{cursor_flag}')).toBe('1');
  const sttyFile = `${codeFile}.stty`;
  tmux('send-keys', '-t', 't', `stty -a > ${sttyFile}`, 'Enter');
  await waitFor('stty output', 10_000, () => Promise.resolve(existsSync(sttyFile) && readFileSync(sttyFile, 'utf8').includes('icanon')), 100);
  const stty = readFileSync(sttyFile, 'utf8');
  expect(stty).toMatch(/(^|\s)icanon(\s|$)/);
  expect(stty).toMatch(/(^|\s)echo(\s|$)/);
  expect(screen()).not.toContain('Services [2]');
}

describe('terminal restore in a real pty', () => {
  it('after q', async () => {
    const { codeFile } = await startConsole(1);
    tmux('send-keys', '-t', 't', 'q');
    await expectRestored(codeFile, 0);
  });

  it('after Ctrl-C', async () => {
    const { codeFile } = await startConsole(2);
    tmux('send-keys', '-t', 't', 'C-c');
    await expectRestored(codeFile, 0);
  });

  it('after SIGTERM', async () => {
    const { pid, codeFile } = await startConsole(3);
    process.kill(pid, 'SIGTERM');
    await expectRestored(codeFile, 143);
  });

  it('after SIGHUP', async () => {
    const { pid, codeFile } = await startConsole(5);
    process.kill(pid, 'SIGHUP');
    await expectRestored(codeFile, 129);
  });

  it('after an unhandled rejection', async () => {
    const { codeFile } = await startConsole(6, 'UI_PTY_CRASH=1');
    await expectRestored(codeFile, 70);
    expect(screen()).toContain('simulated crash');
  });

  it('redraws to the new size on resize', async () => {
    const { codeFile } = await startConsole(4);
    tmux('resize-window', '-t', 't', '-x', '70', '-y', '20');
    await waitFor('a frame at the new size', 10_000, () => Promise.resolve(screen().split('\n').every((l) => l.length <= 70) && screen().includes('Services [2]')), 100);
    tmux('resize-window', '-t', 't', '-x', '100', '-y', '30');
    tmux('send-keys', '-t', 't', 'q');
    await expectRestored(codeFile, 0);
  });
});
