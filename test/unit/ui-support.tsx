import { render } from 'ink-testing-library';
import type { ActionOutcome, ActionSpec, ActionTarget } from '../../src/actions/types.js';
import type { ClusterState, ReadableStore } from '../../src/store/state.js';
import { App, type AppProps } from '../../src/ui/App.js';
import type { ConsoleReaders, LogLine } from '../../src/ui/options.js';
import { loadTheme } from '../../src/ui/theme.js';
import { manualClock } from '../fixtures/manual-clock.js';

/** A tiny in-test store: set() replaces the state and notifies once. */
export function testStore(initial: ClusterState): ReadableStore & { set(s: ClusterState): void } {
  let state = initial;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    set(s) {
      state = s;
      for (const l of [...listeners]) l();
    },
  };
}

export const tick = (ms = 20): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A few turns of the event loop (timers due now, then I/O callbacks): no wall-clock time is waited for. */
async function nextTurns(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setImmediate(r));
  }
}

export interface Calls {
  runs: { id: string; target: ActionTarget; input: string | null }[];
  copied: string[];
  refreshes: number;
  quits: number;
  contexts: string[];
}

export function testAction(o: Partial<ActionSpec> & Pick<ActionSpec, 'id' | 'key' | 'targets'>, calls?: Calls, outcome: ActionOutcome | (() => ActionOutcome) = { kind: 'done', message: 'ok' }): ActionSpec {
  return {
    label: o.id, command: o.id, mutating: true, dangerous: false,
    available: () => true, impact: () => [`will ${o.id}`],
    run: (_ctx, target, input) => {
      calls?.runs.push({ id: o.id, target, input });
      return Promise.resolve(typeof outcome === 'function' ? outcome() : outcome);
    },
    ...o,
  };
}

export const fakeReaders: ConsoleReaders = {
  inspect: (kind, id) => Promise.resolve({ ID: id, Kind: kind, Spec: { Name: `obj-${id}`, Labels: { a: 'b' } } }),
  logs: async function* (): AsyncIterable<LogLine> {
    await Promise.resolve();
    for (let i = 0; i < 5; i++) yield { stream: 'stdout', timestamp: `2026-01-01T00:00:0${i}Z`, task: 'web.1', taskId: 't1xxxxxxxxxxyyyyyyyyyyzzz', node: 'm1', text: `line ${i}` };
  },
};

export function renderApp(state: ClusterState, o: Partial<AppProps> = {}) {
  const store = testStore(state);
  const calls: Calls = { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
  const theme = loadTheme('no-color');
  // Input timers move only when a test presses a key: a confirmation then accepts the next key, as it
  // would for an operator who reads it first (the typeahead guard's own tests write bursts directly).
  const clock = manualClock();
  const props: AppProps = {
    store, actions: [], actionContext: () => ({ connection: null as never, context: 'test', readOnly: false }),
    refresh: () => { calls.refreshes++; }, readers: fakeReaders, themeFor: () => theme, readOnly: false,
    contexts: ['default', 'prod'], switchContext: (name) => { calls.contexts.push(name); },
    copy: (t) => { calls.copied.push(t); }, onQuit: () => { calls.quits++; }, width: 120, height: 30, now: () => 1000,
    inputClock: clock,
    ...o,
  };
  const r = render(<App {...props} />);
  // Waits for the frame a key causes (bounded), so a loaded machine does not make tests flaky; then lets
  // what that frame started on the next turns (a filter applied after the typed character shows) land.
  const settle = async (before: number): Promise<void> => {
    for (let i = 0; i < 150 && r.frames.length === before; i++) await tick(2);
    await nextTurns();
  };
  /** A deliberate pause after a key: timers due by then fire (a confirmation becomes ready). */
  const pause = async (ms = 1000): Promise<void> => {
    if (clock.pending() === 0) return;
    const before = r.frames.length;
    clock.advance(ms);
    await settle(before);
  };
  /** One chunk, as the terminal delivers a burst (several keys, or a paste), without a pause after it. */
  const send = async (chunk: string): Promise<void> => {
    const before = r.frames.length;
    r.stdin.write(chunk);
    await settle(before);
  };
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) {
      await send(k);
      await pause();
    }
  };
  const type = async (text: string): Promise<void> => press(...text);
  return { ...r, store, calls, clock, press, type, send, pause, frame: () => r.lastFrame() ?? '' };
}

export const KEY = { enter: '\r', esc: '\x1b', down: '\x1b[B', up: '\x1b[A', backspace: '\x7f', ctrlC: '\x03', pgdn: '\x1b[6~' };
