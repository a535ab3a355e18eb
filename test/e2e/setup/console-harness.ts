/**
 * The real console (live layer, store, guarded actions with a file audit log, Ink UI) against a lab
 * manager, with in-memory terminal streams: tests press keys as an operator would and read the screen
 * the operator would see. Nothing in the UI or the actions is replaced.
 */
import { Console } from 'node:console';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileAuditLog, guardedActions, type AuditEntry } from '../../../src/actions/index.js';
import type { ActionContext } from '../../../src/actions/types.js';
import { ConsoleTimeline } from '../../../src/cli/console-timeline.js';
import { FleetSession, fleetAuditSink } from '../../../src/cli/fleet-session.js';
import { consoleReaders } from '../../../src/cli/readers.js';
import type { ResolvedTarget } from '../../../src/docker/endpoint.js';
import { createConnector } from '../../../src/docker/connect/index.js';
import { LiveCluster } from '../../../src/docker/live/index.js';
import { createStore } from '../../../src/store/store.js';
import { emptyConnection, emptyState } from '../../../src/store/state.js';
import { runConsole } from '../../../src/ui/run.js';
import type { LabNode } from '../../../lab/layout.js';
import { VirtualScreen } from './virtual-screen.js';

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  constructor(readonly columns: number, readonly rows: number, private readonly sink: (s: string) => void) {
    super();
  }
  write(chunk: string | Uint8Array, ...rest: unknown[]): boolean {
    this.sink(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const cb = rest.find((r): r is () => void => typeof r === 'function');
    cb?.();
    this.emit('written');
    return true;
  }
}

/** A TTY stdin: Ink reads it through 'readable' + read(), one key per chunk. */
class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private queue: string[] = [];
  setRawMode(): this { return this; }
  setEncoding(): this { return this; }
  resume(): this { return this; }
  pause(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
  read(): string | null {
    return this.queue.shift() ?? null;
  }
  send(data: string): void {
    this.queue.push(data);
    this.emit('readable');
  }
}

/** Key names as in the keymap table; anything else is sent as typed. */
const KEY_BYTES: Readonly<Record<string, string>> = {
  esc: '\x1b', enter: '\r', backspace: '\x7f', tab: '\t', up: '\x1b[A', down: '\x1b[B', right: '\x1b[C', left: '\x1b[D',
  pgup: '\x1b[5~', pgdn: '\x1b[6~', home: '\x1b[H', end: '\x1b[F', 'ctrl-c': '\x03', 'ctrl-d': '\x04', 'ctrl-u': '\x15',
};

/** Pause between keys so a lone ESC is flushed as a key (Ink waits one tick for a sequence to follow). */
const KEY_GAP_MS = 30;

export interface ConsoleHarnessOptions {
  /** The manager the console connects to. */
  via: LabNode;
  /** --read-only: the console, the connection and the action guard all refuse changes. */
  readOnly?: boolean;
  columns?: number;
  rows?: number;
  /**
   * Several contexts live (the fleet): the console starts on `via` (context "lab") or, with
   * startInFleet, on the fleet screen; each target is one context with its own store and live layer.
   */
  fleet?: { targets: readonly ResolvedTarget[]; startInFleet?: boolean };
}

export interface ConsoleHarness {
  /** The screen as it is now (no colours), one line per terminal row. */
  frame(): string;
  /** The footer's last line: the message, the open prompt, or the selected row's name. */
  statusLine(): string;
  /** Each argument is a key name (esc, enter, up, …) or one typed character. */
  press(...keys: string[]): Promise<void>;
  /** Types text, one key per character. */
  type(text: string): Promise<void>;
  /** Resolves with the screen once it shows text (or matches); rejects after timeoutMs with the screen. */
  waitFor(match: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves once the screen no longer shows text (or match). */
  waitForGone(match: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Everything ever written to the terminal, OSC sequences removed (what could have been seen). */
  everDrawn(): string;
  /** Everything ever written to the terminal, byte for byte (escape sequences included). */
  raw(): string;
  /** Texts copied to the clipboard with OSC 52. */
  clipboard(): readonly string[];
  auditFile: string;
  /** The outcome line of every action (a run's `attempt` line, written before it is sent, left out). */
  audit(): AuditEntry[];
  /** Every audit line, attempts included. */
  auditAll(): AuditEntry[];
  /** The audit file as written (to prove what is not in it). */
  auditRaw(): string;
  stop(): Promise<void>;
}

function matches(text: string, match: string | RegExp): boolean {
  return typeof match === 'string' ? text.includes(match) : match.test(text);
}

/**
 * Ink patches the console (patchConsole: true) through `console.Console`, which the global console of a
 * vitest worker lacks (it is a Console instance, not node's global console): give it the class.
 */
function consoleForInk(): void {
  const c = console as unknown as { Console?: typeof Console };
  if (typeof c.Console !== 'function') c.Console = Console;
}

export function startConsole(opts: ConsoleHarnessOptions): ConsoleHarness {
  consoleForInk();
  const columns = opts.columns ?? 160;
  const rows = opts.rows ?? 50;
  const readOnly = opts.readOnly ?? false;
  const screen = new VirtualScreen(columns, rows);
  let drawn = '';
  const stdout = new FakeStdout(columns, rows, (s) => {
    screen.write(s);
    drawn += s;
  });
  const stdin = new FakeStdin();
  const stateDir = mkdtempSync(join(tmpdir(), 'swarmtop-keys-'));
  const auditFile = join(stateDir, 'swarmtop', 'audit.jsonl');
  const context = 'lab';
  const store = createStore(emptyState({ ...emptyConnection(context, `unix://${opts.via.socket}`), readOnly }));
  const timeline = new ConsoleTimeline({ store, auditFile });
  const live = new LiveCluster({
    context, endpoints: [{ kind: 'unix', socketPath: opts.via.socket }], connect: createConnector({ notice: () => undefined }),
    dispatch: (m) => store.dispatch(m), readOnly, onEvent: timeline.onEvent,
  });
  if (!opts.fleet) {
    live.start();
    void timeline.loadHistory(live);
  }
  const actionContext = (): ActionContext | null => {
    const connection = live.connection();
    return connection ? { connection, context, readOnly } : null;
  };
  const fleetTargets: ResolvedTarget[] = [
    { context, endpoints: [{ kind: 'unix', socketPath: opts.via.socket }], readOnly, theme: null, insecure: false },
    ...(opts.fleet?.targets ?? []),
  ];
  const fleet = opts.fleet
    ? new FleetSession(fleetTargets[0]!, fleetTargets.map((t) => t.context), (name) => fleetTargets.find((t) => t.context === name)!, createConnector({ notice: () => undefined }), opts.fleet.startInFleet, { auditFile })
    : null;
  if (fleet && opts.fleet?.startInFleet) fleet.open();
  // With a fleet, the console's first context is the fleet's own member (the live above is not started).
  const exited = runConsole({
    fleet: fleet ?? undefined,
    startInFleet: opts.fleet?.startInFleet ?? false,
    store: fleet?.member(context)?.store ?? store,
    actions: guardedActions({ readOnly, audit: fleet ? fleetAuditSink(fleet, fileAuditLog(auditFile)) : timeline.auditSink(fileAuditLog(auditFile)) }),
    actionContext,
    refresh: () => void live.refresh(),
    readers: consoleReaders(() => live.connection(), store),
    theme: 'no-color',
    readOnly,
    contexts: [context],
    switchContext: () => undefined,
    timeline: timeline.timeline,
    bundle: timeline.bundler(() => live.connection()),
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: process.stderr,
  });

  const waitUntil = (ok: (text: string) => boolean, what: string, timeoutMs: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const text = screen.text();
        if (!ok(text)) return;
        cleanup();
        resolve(text);
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        stdout.off('written', check);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${what} within ${timeoutMs} ms; the screen shows:\n${screen.text()}`));
      }, timeoutMs);
      // Writes drive the check; the poll covers a frame that was already drawn.
      const poll = setInterval(check, 100);
      stdout.on('written', check);
      check();
    });

  const sendKey = async (key: string): Promise<void> => {
    stdin.send(KEY_BYTES[key] ?? key);
    await new Promise((r) => setTimeout(r, KEY_GAP_MS));
  };

  let stopped = false;
  return {
    frame: () => screen.text(),
    statusLine() {
      const lines = screen.text().split('\n');
      return lines[lines.length - 1] ?? '';
    },
    async press(...keys) {
      for (const k of keys) await sendKey(k);
    },
    async type(text) {
      for (const ch of text) await sendKey(ch);
    },
    waitFor: (match, timeoutMs = 30_000) => waitUntil((t) => matches(t, match), `the screen did not show ${String(match)}`, timeoutMs),
    waitForGone: (match, timeoutMs = 30_000) => waitUntil((t) => !matches(t, match), `the screen still shows ${String(match)}`, timeoutMs),
    // OSC sequences (title, clipboard) are stripped so tests search only what was drawn.
    // eslint-disable-next-line no-control-regex
    everDrawn: () => drawn.replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, ''),
    raw: () => drawn,
    clipboard: () => screen.clipboard,
    auditFile,
    auditRaw() {
      try {
        return readFileSync(auditFile, 'utf8');
      } catch {
        return '';
      }
    },
    audit() {
      return this.auditAll().filter((e) => e.result !== 'attempt');
    },
    auditAll() {
      let text = '';
      try {
        text = readFileSync(auditFile, 'utf8');
      } catch {
        return [];
      }
      return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as AuditEntry);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      stdin.send('\x03');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      timeline.stop();
      await live.stop();
      await fleet?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
