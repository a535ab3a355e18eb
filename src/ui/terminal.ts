/**
 * The terminal as the console leaves it matters more than as it finds it: an operator whose shell is
 * left in the alternate screen with no cursor after a crash during an incident will not forgive us.
 * Every exit path (quit key, Ctrl-C, SIGTERM, SIGHUP, uncaught exception or rejection, process.exit)
 * goes through restore(), which is idempotent and synchronous.
 */

/**
 * Alternate screen, cleared, cursor hidden, and bracketed paste on: the terminal then marks pasted text
 * (ESC[200~ … ESC[201~) so a paste goes into a prompt whole and its newlines never submit it.
 */
export const ENTER_ALT_SCREEN = '\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l\x1b[?2004h';
/** Bracketed paste off (the shell after us sets its own), show the cursor, reset attributes, leave the alternate screen. */
export const LEAVE_ALT_SCREEN = '\x1b[?2004l\x1b[0m\x1b[?25h\x1b[?1049l';

export interface Writable {
  write(s: string): unknown;
}

export interface RawModeInput {
  isTTY?: boolean;
  setRawMode?: (mode: boolean) => unknown;
}

export interface TerminalGuard {
  restore(): void;
  readonly restored: boolean;
}

export function enterFullscreen(out: Writable, input: RawModeInput): TerminalGuard {
  let restored = false;
  out.write(ENTER_ALT_SCREEN);
  const guard: TerminalGuard = {
    get restored() {
      return restored;
    },
    restore() {
      if (restored) return;
      restored = true;
      try {
        if (input.isTTY && input.setRawMode) input.setRawMode(false);
      } catch {
        // stdin may already be closed (SIGHUP): leaving the screen still matters.
      }
      out.write(LEAVE_ALT_SCREEN);
    },
  };
  return guard;
}

export type ExitReason = 'SIGTERM' | 'SIGHUP' | 'SIGINT' | 'uncaughtException' | 'unhandledRejection';

const SIGNAL_CODES: Readonly<Record<'SIGTERM' | 'SIGHUP' | 'SIGINT', number>> = { SIGTERM: 143, SIGHUP: 129, SIGINT: 130 };

export interface ExitHandlers {
  dispose(): void;
}

/**
 * Routes signals and crashes to `onExit(code, reason, error)`; `restoreNow` runs first and synchronously
 * (also on process 'exit'), so the terminal is back even if the rest of the shutdown fails.
 */
export function installExitHandlers(restoreNow: () => void, onExit: (code: number, reason: ExitReason, error?: unknown) => void): ExitHandlers {
  const listeners: [string, (...args: unknown[]) => void][] = [];
  const on = (event: string, fn: (...args: unknown[]) => void): void => {
    process.on(event, fn);
    listeners.push([event, fn]);
  };
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    on(signal, () => {
      restoreNow();
      onExit(SIGNAL_CODES[signal], signal);
    });
  }
  on('uncaughtException', (err) => {
    restoreNow();
    onExit(70, 'uncaughtException', err);
  });
  on('unhandledRejection', (err) => {
    restoreNow();
    onExit(70, 'unhandledRejection', err);
  });
  on('exit', () => restoreNow());
  return {
    dispose() {
      for (const [event, fn] of listeners) process.off(event, fn);
      listeners.length = 0;
    },
  };
}
