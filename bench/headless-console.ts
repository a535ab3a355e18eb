/**
 * Runs the real console (live layer, store, Ink UI) against an engine socket with in-memory terminal
 * streams, so the benchmarks can time frames and keystrokes without a human or a pty.
 */
import { EventEmitter } from 'node:events';
import { guardedActions } from '../src/actions/index.js';
import { ConsoleTimeline } from '../src/cli/console-timeline.js';
import { FleetSession } from '../src/cli/fleet-session.js';
import { consoleReaders } from '../src/cli/readers.js';
import type { ResolvedTarget } from '../src/docker/endpoint.js';
import { createConnector } from '../src/docker/connect/index.js';
import { LiveCluster } from '../src/docker/live/index.js';
import { createStore } from '../src/store/store.js';
import { emptyConnection, emptyState } from '../src/store/state.js';
import { runConsole } from '../src/ui/run.js';

class FakeStdout extends EventEmitter {
  readonly isTTY = true;
  columns = 160;
  rows = 50;
  /** Everything written since the last take(). */
  private chunks: string[] = [];
  lastWriteAt = 0;
  writes = 0;
  write(chunk: string | Uint8Array): boolean {
    this.chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    this.lastWriteAt = performance.now();
    this.writes++;
    this.emit('written');
    return true;
  }
  take(): string {
    const all = this.chunks.join('');
    this.chunks = [];
    return all;
  }
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  setRawMode(): this {
    return this;
  }
  setEncoding(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  pause(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  read(): string | null {
    const d = this.data;
    this.data = null;
    return d;
  }
  send(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
}

/** Resolves with ms from t0 once what was written satisfies the predicate (bounded by timeoutMs). */
function frameWaiter(stdout: FakeStdout, t0: number): HeadlessConsole['waitForFrame'] {
  let seen = '';
  return (predicate, timeoutMs) => new Promise((resolve, reject) => {
    const check = (): void => {
      seen = (seen + stdout.take()).slice(-200_000);
      if (predicate(seen)) {
        clearTimeout(timer);
        stdout.off('written', check);
        resolve(stdout.lastWriteAt - t0);
      }
    };
    const timer = setTimeout(() => {
      stdout.off('written', check);
      reject(new Error(`no matching frame within ${timeoutMs} ms`));
    }, timeoutMs);
    stdout.on('written', check);
    check();
  });
}

export interface HeadlessConsole {
  /** Resolves with ms from start once a written frame satisfies the predicate (bounded by timeoutMs). */
  waitForFrame(predicate: (text: string) => boolean, timeoutMs: number): Promise<number>;
  /** Sends a key and resolves with ms until the next frame is written (null: no frame within 1 s). */
  press(key: string): Promise<number | null>;
  /** A full re-read now (the backstop resync), resolved when it is in the store. */
  resync(): Promise<void>;
  stop(): Promise<void>;
}

export function startHeadlessConsole(socketPath: string, t0 = performance.now()): HeadlessConsole {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const store = createStore(emptyState({ ...emptyConnection('bench', `unix://${socketPath}`) }));
  // As the console composes it: the timeline follows the store and the events (its cost is in the figures).
  const timeline = new ConsoleTimeline({ store });
  const live = new LiveCluster({ context: 'bench', endpoints: [{ kind: 'unix', socketPath }], connect: createConnector({ notice: () => undefined }), dispatch: (m) => store.dispatch(m), readOnly: true, onEvent: timeline.onEvent });
  live.start();
  void timeline.loadHistory(live);
  const exited = runConsole({
    store,
    actions: guardedActions({ readOnly: true, audit: () => Promise.resolve() }),
    actionContext: () => null,
    refresh: () => void live.refresh(),
    readers: consoleReaders(() => live.connection(), store),
    theme: 'no-color',
    readOnly: true,
    contexts: ['bench'],
    switchContext: () => undefined,
    timeline: timeline.timeline,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: process.stderr,
  });
  return {
    waitForFrame: frameWaiter(stdout, t0),
    press(key) {
      return new Promise((resolve) => {
        const sent = performance.now();
        const timer = setTimeout(() => {
          stdout.off('written', onWrite);
          resolve(null);
        }, 1000);
        const onWrite = (): void => {
          clearTimeout(timer);
          stdout.off('written', onWrite);
          resolve(performance.now() - sent);
        };
        stdout.on('written', onWrite);
        stdin.send(key);
      });
    },
    resync() {
      return live.refresh();
    },
    async stop() {
      stdin.send('q');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      timeline.stop();
      await live.stop();
    },
  };
}

export interface HeadlessFleet {
  waitForFrame(predicate: (text: string) => boolean, timeoutMs: number): Promise<number>;
  stop(): Promise<void>;
}

/** The real console on its fleet screen: one context per socket (sim-0, sim-1…), each light, side by side. */
export function startHeadlessFleet(sockets: readonly string[], t0 = performance.now()): HeadlessFleet {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const targets: ResolvedTarget[] = sockets.map((socketPath, i) => ({ context: `ctx-${i}`, endpoints: [{ kind: 'unix', socketPath }], readOnly: true, theme: null, insecure: false }));
  const fleet = new FleetSession(targets[0]!, targets.map((t) => t.context), (name) => targets.find((t) => t.context === name)!, createConnector({ notice: () => undefined }), true);
  fleet.open();
  const first = fleet.member('ctx-0')!;
  const exited = runConsole({
    store: first.store,
    actions: guardedActions({ readOnly: true, audit: () => Promise.resolve() }),
    actionContext: () => null,
    refresh: () => undefined,
    readers: first.readers,
    theme: 'no-color',
    readOnly: true,
    contexts: targets.map((t) => t.context),
    switchContext: () => undefined,
    fleet,
    startInFleet: true,
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: process.stderr,
  });
  return {
    waitForFrame: frameWaiter(stdout, t0),
    async stop() {
      stdin.send('q');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
      await fleet.stop();
    },
  };
}
