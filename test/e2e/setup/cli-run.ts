/**
 * Runs the real CLI binary (bin/swarmtop → dist/, built by `pretest`) in a throwaway home: its own
 * HOME, XDG config/state dirs, no DOCKER_* and no D-Bus, so nothing of the operator's leaks in.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');
export const BIN = join(REPO, 'bin', 'swarmtop');

export interface CliHome {
  dir: string;
  home: string;
  configHome: string;
  stateHome: string;
  contextsFile: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

export function cliHome(prefix = 'swarmtop-cli-'): CliHome {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const home = join(dir, 'home');
  const configHome = join(dir, 'config');
  const stateHome = join(dir, 'state');
  for (const d of [home, configHome, stateHome, join(configHome, 'swarmtop')]) mkdirSync(d, { recursive: true });
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: configHome, XDG_STATE_HOME: stateHome, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  return { dir, home, configHome, stateHome, contextsFile: join(configHome, 'swarmtop', 'contexts.yaml'), env, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** dist/ is built by `npm test`'s pretest; a direct vitest run builds it once here. */
export function ensureBuilt(): void {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'ignore' });
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when the deadline passed and the process had to be killed (a hang). */
  killed: boolean;
  ms: number;
}

/** Runs `node bin/swarmtop ...args` with no stdin (or `stdin` piped in), killed (and reported) after `deadlineMs`. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv, deadlineMs = 60_000, stdin: string | null = null): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, cwd: REPO, stdio: [stdin === null ? 'ignore' : 'pipe', 'pipe', 'pipe'] as ['pipe', 'pipe', 'pipe'] });
    if (stdin !== null) child.stdin.end(stdin);
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, deadlineMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, killed, ms: Date.now() - started });
    });
  });
}

/** A stack trace line ("    at fn (file:1:2)") must never reach the operator. */
export const STACK_LINE = /^\s+at .+[:(]/m;
