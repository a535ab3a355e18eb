import { EventEmitter } from 'node:events';
import type { ForegroundTerminal } from '../actions/types.js';

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
export function installExitHandlers(
  restoreNow: () => void,
  onExit: (code: number, reason: ExitReason, error?: unknown) => void,
  /** True while a foreground program owns the terminal: its Ctrl-C (SIGINT to the whole group) is its own. */
  interruptBelongsToForeground: () => boolean = () => false,
): ExitHandlers {
  const listeners: [string, (...args: unknown[]) => void][] = [];
  const on = (event: string, fn: (...args: unknown[]) => void): void => {
    process.on(event, fn);
    listeners.push([event, fn]);
  };
  for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
    on(signal, () => {
      if (signal === 'SIGINT' && interruptBelongsToForeground()) return;
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

/**
 * The stream Ink draws to. It forwards to the terminal, except while a foreground program (an editor, an
 * exec shell) owns it: frames drawn meanwhile (the live store keeps changing, the terminal may be resized)
 * are dropped instead of being written over the program's screen.
 */
export class GatedOutput extends EventEmitter {
  private held = false;
  private readonly onResize = (): void => void this.emit('resize');

  constructor(private readonly out: NodeJS.WriteStream) {
    super();
    out.on('resize', this.onResize);
  }

  get isTTY(): boolean {
    return this.out.isTTY;
  }

  get columns(): number {
    return this.out.columns;
  }

  get rows(): number {
    return this.out.rows;
  }

  get holding(): boolean {
    return this.held;
  }

  write(chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void): boolean {
    if (!this.held) return typeof encoding === 'function' ? this.out.write(chunk, encoding) : this.out.write(chunk, encoding, cb);
    (typeof encoding === 'function' ? encoding : cb)?.();
    return true;
  }

  hold(): void {
    this.held = true;
  }

  release(): void {
    this.held = false;
  }

  dispose(): void {
    this.out.off('resize', this.onResize);
  }
}

export interface SuspendableUi {
  /**
   * Resolves once the UI has stopped (true: its input detached from stdin, raw mode off, an empty frame)
   * or started again (false: input attached, raw mode on, its frame drawn in full).
   */
  setSuspended(suspended: boolean): Promise<void>;
}

/**
 * Lends the terminal to a foreground program and takes it back exactly as it was: the UI's input is
 * detached first (no key typed into the program reaches the console), raw mode is turned off, the
 * alternate screen left and the cursor shown; afterwards the alternate screen is entered again (cleared)
 * and the UI redraws its whole frame on it, with its state (pane, row, dialog) untouched. The way back
 * runs whatever happened to the program: it failed to start, exited non-zero, was killed, or threw.
 */
export class ConsoleSuspender {
  private active = false;

  constructor(
    private readonly terminal: ForegroundTerminal,
    private readonly output: GatedOutput,
    private readonly ui: SuspendableUi,
  ) {}

  /** True while a foreground program owns the terminal. */
  get suspended(): boolean {
    return this.active;
  }

  async suspend<T>(fn: (terminal: ForegroundTerminal) => Promise<T>): Promise<T> {
    if (this.active) throw new Error('the terminal is already lent to another program');
    this.active = true;
    const { stdin, stdout } = this.terminal;
    try {
      await this.ui.setSuspended(true);
      this.output.hold();
      setRaw(stdin, false);
      // Not even one chunk may be read ahead of the program (a paused TTY stream reads nothing).
      stdin.pause();
      stdout.write(LEAVE_ALT_SCREEN);
      return await fn(this.terminal);
    } finally {
      // Bytes the stream buffered meanwhile (a terminal's late answer to the program) are not keys.
      if (stdin.readableLength > 0) stdin.read();
      stdout.write(ENTER_ALT_SCREEN);
      this.output.release();
      this.active = false;
      await this.ui.setSuspended(false);
    }
  }
}

function setRaw(input: RawModeInput, on: boolean): void {
  try {
    if (input.isTTY && input.setRawMode) input.setRawMode(on);
  } catch {
    // A closed stdin (SIGHUP) has no mode to set; the screen still matters.
  }
}
