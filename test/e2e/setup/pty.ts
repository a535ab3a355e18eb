/**
 * A real pty for exit-path tests: tmux runs `script`, which records every byte the app writes, and a
 * wrapper shell that records the exit code and the pty's modes (stty -a) after the app is gone.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../../lab/sh.js';

export interface PtyRun {
  session: string;
  dir: string;
  /** Raw bytes written to the terminal so far. */
  raw(): string;
  screen(): string;
  keys(...keys: string[]): void;
  /** Pastes text as the terminal does: wrapped in ESC[200~ … ESC[201~ when the app asked for bracketed paste. */
  paste(text: string): void;
  /** tmux's own view of the pane: alternate screen on, cursor visible (tmux parsed every byte too). */
  paneModes(): { alternateOn: boolean; cursorShown: boolean };
  resize(columns: number, rows: number): void;
  /** Pid of the app (the wrapper shell's child). */
  appPid(): Promise<number>;
  /** Waits (bounded) for the app to exit: its code, and `stty -a` of the pty afterwards. */
  exited(timeoutMs: number): Promise<{ code: number; stty: string }>;
  close(): void;
}

function tmux(args: readonly string[]): string {
  return execFileSync('env', ['-u', 'CI', '-u', 'TMUX', 'tmux', ...args], { encoding: 'utf8' });
}

let sessions = 0;

/** Starts `command` (argv) in a fresh 120x32 tmux pty with `env` as its whole environment. */
export function startInPty(name: string, command: readonly string[], env: NodeJS.ProcessEnv, cwd: string): PtyRun {
  const dir = mkdtempSync(join(tmpdir(), `pty-${name}-`));
  sessions += 1;
  const session = `${name}-${process.pid}-${sessions}`;
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const envs = Object.entries(env).filter(([, v]) => v !== undefined).map(([k, v]) => q(`${k}=${v}`)).join(' ');
  writeFileSync(
    join(dir, 'run.sh'),
    // Like an interactive shell, the wrapper outlives a Ctrl-C its job's group receives (a trap, not an
    // ignore: the app and its children start with SIGINT at its default).
    [`trap ':' INT`, `echo $$ > ${q(join(dir, 'shpid'))}`, `cd ${q(cwd)}`, `env -i ${envs} ${command.map(q).join(' ')}`, `echo $? > ${q(join(dir, 'exit.tmp'))}`, `stty -a > ${q(join(dir, 'stty'))}`, `mv ${q(join(dir, 'exit.tmp'))} ${q(join(dir, 'exit'))}`, ''].join('\n'),
  );
  tmux(['new-session', '-d', '-s', session, '-x', '120', '-y', '32', `script -q -f -c ${q(`sh ${join(dir, 'run.sh')}`)} ${q(join(dir, 'typescript'))}; sleep 120`]);
  const file = (f: string): string => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  return {
    session,
    dir,
    raw: () => file('typescript'),
    screen: () => tmux(['capture-pane', '-p', '-t', session]),
    keys: (...keys) => void tmux(['send-keys', '-t', session, ...keys]),
    paste: (text) => {
      tmux(['set-buffer', '-b', session, text]);
      // -p: bracketed only if the app enabled it; -r: line feeds stay line feeds; -d: the buffer is deleted.
      tmux(['paste-buffer', '-p', '-r', '-d', '-b', session, '-t', session]);
    },
    paneModes: () => {
      const [alt, cursor] = tmux(['display-message', '-p', '-t', session, '#{alternate_on} #{cursor_flag}']).trim().split(' ');
      return { alternateOn: alt === '1', cursorShown: cursor === '1' };
    },
    resize: (columns, rows) => void tmux(['resize-window', '-t', session, '-x', String(columns), '-y', String(rows)]),
    appPid: async () =>
      waitFor('the app process', 10_000, () => {
        const sh = file('shpid').trim();
        if (sh === '') return Promise.resolve(null);
        try {
          const out = execFileSync('pgrep', ['-P', sh], { encoding: 'utf8' }).trim().split('\n')[0];
          return Promise.resolve(out ? Number(out) : null);
        } catch {
          return Promise.resolve(null);
        }
      }, 100),
    exited: async (timeoutMs) => {
      await waitFor('the app to exit', timeoutMs, () => Promise.resolve(existsSync(join(dir, 'exit'))), 100);
      return { code: Number(file('exit').trim()), stty: file('stty') };
    },
    close: () => {
      try {
        tmux(['kill-session', '-t', session]);
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The terminal is back: alternate screen left, cursor shown and bracketed paste off after the last time
 * they were taken (paste mode left on would wrap every paste into the shell in ESC[200~ … ESC[201~).
 */
export function terminalRestored(raw: string): { leftAltScreen: boolean; cursorShown: boolean; pasteModeOff: boolean } {
  const enter = raw.lastIndexOf('\x1b[?1049h');
  const leave = raw.lastIndexOf('\x1b[?1049l');
  const hide = raw.lastIndexOf('\x1b[?25l');
  const show = raw.lastIndexOf('\x1b[?25h');
  const pasteOn = raw.lastIndexOf('\x1b[?2004h');
  const pasteOff = raw.lastIndexOf('\x1b[?2004l');
  return { leftAltScreen: enter >= 0 && leave > enter, cursorShown: show > hide, pasteModeOff: pasteOn >= 0 && pasteOff > pasteOn };
}

/** Cooked mode again: line editing and echo on (raw mode shows as -icanon -echo). */
export function cookedMode(stty: string): boolean {
  return /(^|\s)icanon(\s|$)/.test(stty) && /(^|\s)echo(\s|$)/.test(stty);
}

/**
 * Ends the app a failed test left running: killing the tmux session does not end `script` and its
 * child, which would outlive the test run. Nothing to do when the app has exited.
 */
export async function stopApp(r: PtyRun | null): Promise<void> {
  if (r === null || existsSync(join(r.dir, 'exit'))) return;
  try {
    process.kill(await r.appPid(), 'SIGTERM');
  } catch {
    // Already gone.
  }
}
