import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

// Colours on (before chalk loads): the guard must tell the program's own styling from anything else.
vi.hoisted(() => {
  process.env.FORCE_COLOR = '3';
});

import { cleanup, render } from 'ink-testing-library';
import { guardedActions, type AuditEntry } from '../../src/actions/index.js';
import type { ActionContext } from '../../src/actions/types.js';
import { consoleReaders } from '../../src/cli/readers.js';
import { runSnapshot } from '../../src/cli/snapshot.js';
import { createConnector } from '../../src/docker/connect/index.js';
import { ConnectError } from '../../src/docker/connect/errors.js';
import { LiveCluster } from '../../src/docker/live/index.js';
import { createStore, type Store } from '../../src/store/store.js';
import { emptyConnection, emptyState } from '../../src/store/state.js';
import { App } from '../../src/ui/App.js';
import { Dialog } from '../../src/ui/components/Dialog.js';
import { Footer } from '../../src/ui/components/Footer.js';
import { TextView } from '../../src/ui/components/TextView.js';
import { loadTheme } from '../../src/ui/theme.js';
import { hostilePayloads, hostileSource, startHostileEngine, type HostileEngine } from '../fixtures/hostile-engine.js';
import { foreignControls } from '../fixtures/terminal-guard.js';
import { manualClock } from '../fixtures/manual-clock.js';
import type { ResolvedTarget } from '../../src/docker/endpoint.js';

/**
 * Text from the cluster must never drive the operator's terminal. A hostile engine (every string it
 * returns is attacker-chosen: OSC titles, OSC 52 clipboard writes, DCS, C1 CSI, bidi overrides,
 * zero-width characters) feeds the real connector, live layer, store and the whole App; every frame of a
 * tour through every pane, dialog, view and message, and the snapshot's stdout and stderr, may hold the
 * program's own SGR styling and nothing else.
 */

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean, ms = 5000): Promise<void> {
  for (let waited = 0; !ok(); waited += 10) {
    if (waited > ms) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

interface Live {
  engine: HostileEngine;
  store: Store;
  live: LiveCluster;
}

async function liveOn(seed: number): Promise<Live> {
  const engine = await startHostileEngine(hostilePayloads(hostileSource(seed)));
  const store = createStore(emptyState(emptyConnection('hostile', `unix://${engine.socket}`)));
  const live = new LiveCluster({ context: 'hostile', endpoints: [{ kind: 'unix', socketPath: engine.socket }], connect: createConnector({ notice: () => undefined }), dispatch: (m) => store.dispatch(m) });
  live.start();
  if (!(await live.whenLive(10_000))) throw new Error('the hostile engine never went live');
  await until('the snapshot', () => store.getState().nodes.size === 2);
  return { engine, store, live };
}

async function stop(l: Live): Promise<void> {
  await l.live.stop();
  await l.engine.close();
}

function renderConsole(l: Live, audit: AuditEntry[]) {
  const theme = loadTheme('default');
  const actionContext = (): ActionContext | null => {
    const connection = l.live.connection();
    return connection ? { connection, context: 'hostile', readOnly: false } : null;
  };
  // A confirmation accepts a key only after the operator could read it: the clock moves after each key.
  const clock = manualClock();
  const r = render(
    <App inputClock={clock} store={l.store} actions={guardedActions({ readOnly: false, audit: (e) => { audit.push(e); return Promise.resolve(); } })} actionContext={actionContext}
      refresh={() => undefined} readers={consoleReaders(() => l.live.connection(), l.store)} themeFor={() => theme} readOnly={false}
      contexts={['hostile']} switchContext={() => undefined} copy={() => undefined} onQuit={() => undefined} width={110} height={34} now={() => Date.parse('2026-01-03T00:00:00Z')} />,
  );
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) {
      const before = r.frames.length;
      r.stdin.write(k);
      for (let i = 0; i < 200 && r.frames.length === before; i++) await sleep(2);
      await sleep(15);
      clock.advance(1000);
    }
  };
  return { ...r, press };
}

function expectClean(what: string, out: string): void {
  const found = foreignControls(out);
  expect(found, `${what} let through: ${found.slice(0, 5).join(', ')}\n${out}`).toEqual([]);
}

afterEach(() => cleanup());

describe('a hostile cluster never drives the terminal', () => {
  let l: Live;
  beforeAll(async () => {
    l = await liveOn(0);
  });
  afterAll(async () => {
    await stop(l);
  });

  it('every frame of a tour through every pane, dialog, view and message holds only our own styling', async () => {
    const audit: AuditEntry[] = [];
    const app = renderConsole(l, audit);
    await sleep(30);
    const ESC = '\x1b';
    await app.press('1'); // nodes: hostnames, labels, addresses, the header's leader
    await app.press('e'); // label edit: the prompt starts with the current (hostile) labels
    await app.press(ESC);
    await app.press('d', 'y'); // drain: impact lines, then the engine's (hostile) error in the footer
    await until('the drain to fail', () => audit.some((e) => e.result === 'failed'));
    await app.press('j');
    await app.press('\r'); // drill down: the pane title names the node
    await app.press(ESC);
    await app.press('y'); // inspect: title and YAML lines
    await until('the inspect view', () => (app.lastFrame() ?? '').includes('Inspect'));
    await app.press(ESC);
    await app.press('2', 'r'); // the rollout view: task errors, node names, update message
    await app.press(ESC);
    await app.press('l'); // logs: hostile lines
    await sleep(150);
    await app.press(ESC);
    await app.press('s', '\r', 'y'); // scale: input, confirm, a hostile engine error
    await until('the scale to fail', () => audit.length > 3);
    for (const pane of ['3', '4', '5', '6', '7']) await app.press(pane, 'j');
    await app.press('8', 'W'); // the swarm pane, then a revealed join command
    await until('the join command', () => (app.lastFrame() ?? '').includes('join command'));
    await app.press('v');
    await app.press(ESC);
    await app.press('?');
    await app.press(ESC, ':');
    await app.press(ESC);
    if (process.env.DUMP_FRAMES) (await import('node:fs')).writeFileSync(process.env.DUMP_FRAMES, app.frames.join('\n=====\n'));
    expect(app.frames.length).toBeGreaterThan(20);
    expect(app.frames.join('\n')).toContain('Drain'); // the tour did reach the dialogs
    expectClean('a frame', app.frames.join('\n'));
    expect(audit.map((a) => a.result)).toEqual(['attempt', 'failed', 'attempt', 'failed', 'attempt', 'done']);
  }, 60_000);

  it('the snapshot prints clean JSON on stdout', async () => {
    let out = '';
    let err = '';
    const target: ResolvedTarget = { context: 'hostile', endpoints: [{ kind: 'unix', socketPath: l.engine.socket }], readOnly: false, theme: null, insecure: false };
    const code = await runSnapshot(target, createConnector({ notice: () => undefined }), { write: (t: string) => (out += t) }, { write: (t: string) => (err += t) });
    expect(code).toBe(0);
    expectClean('snapshot stdout', out);
    expectClean('snapshot stderr', err);
    // JSON.stringify escapes C0 controls itself; C1 controls and bidi overrides it leaves as they are.
    expect(JSON.parse(out)).toHaveProperty('nodes');
  });
});

describe('components that draw text from outside the parsed model', () => {
  // A plan's impact lines quote raw specs (prepare() diffs what the engine holds), a typed or pasted
  // value, a message quoting anything: these reach the dialog and the footer without passing the parsers.
  it('dialog impact, input, reveal; footer message and prompt; a view title', () => {
    const theme = loadTheme('default');
    const h = hostileSource(0);
    const target = { kind: 'service' as const, id: 's', name: 'web', version: 1 };
    const action = { id: 'x', label: 'Update', key: 'u', command: 'x', targets: 'service' as const, mutating: true, dangerous: true, available: () => true as const, impact: () => [], run: () => Promise.resolve({ kind: 'done' as const, message: '' }) };
    const out: string[] = [];
    for (let i = 0; i < 4; i++) {
      const lines = Array.from({ length: 6 }, h);
      for (const step of [
        { step: 'confirm' as const, action, target, input: h(), impact: lines, second: false },
        { step: 'input' as const, action, target, value: h(), error: h(), fresh: false },
        { step: 'reveal' as const, label: 'join', secrets: [{ label: 'token', value: h() }], shown: true, message: h() },
      ]) out.push(render(<Dialog step={step} theme={theme} width={90} />).lastFrame() ?? '');
      out.push(render(<Footer hints={[]} prompt={null} message={{ text: lines.join(' '), tone: 'error' }} status="" theme={theme} width={90} />).lastFrame() ?? '');
      out.push(render(<Footer hints={[]} prompt={null} message={{ text: h(), tone: 'info' }} status="" theme={theme} width={200} />).lastFrame() ?? '');
      out.push(render(<Footer hints={[]} prompt={{ label: '/', value: h() }} message={null} status={h()} theme={theme} width={90} />).lastFrame() ?? '');
      out.push(render(<TextView title={h()} status={h()} lines={[h(), h()]} offset={0} width={90} height={5} search="" wrap={false} theme={theme} />).lastFrame() ?? '');
    }
    expectClean('a component', out.join('\n'));
  });
});

describe('engine and connection errors are cleaned where they enter', () => {
  it('a connection error in the header', async () => {
    const h = hostileSource(0);
    const message = Array.from({ length: 16 }, h).join(' ');
    const store = createStore(emptyState(emptyConnection('hostile', 'tcp://evil:2375')));
    const live = new LiveCluster({
      context: 'hostile', endpoints: [{ kind: 'tcp', host: 'evil', port: 2375, tls: null }], dispatch: (m) => store.dispatch(m),
      connect: () => Promise.reject(new ConnectError('tcp://evil:2375', 'unreachable', message)),
    });
    live.start();
    await until('the error', () => store.getState().connection.error !== null);
    await live.stop();
    const error = store.getState().connection.error ?? '';
    expectClean('the connection error', error);
    // One line: a message of several must not draw lines of its own in the header.
    expect(error).not.toContain('\n');
    const theme = loadTheme('default');
    const r = render(
      <App store={store} actions={[]} actionContext={() => null} refresh={() => undefined} readers={consoleReaders(() => null, store)}
        themeFor={() => theme} readOnly={false} contexts={[]} switchContext={() => undefined} copy={() => undefined} onQuit={() => undefined} width={100} height={20} />,
    );
    await sleep(30);
    expectClean('the header', r.frames.join('\n'));
  });

  it('the snapshot prints a clean error on stderr when every read fails', async () => {
    const engine = await startHostileEngine({ ...hostilePayloads(hostileSource(0)), info: undefined });
    try {
      let err = '';
      const target: ResolvedTarget = { context: 'hostile', endpoints: [{ kind: 'unix', socketPath: engine.socket }], readOnly: false, theme: null, insecure: false };
      const code = await runSnapshot(target, createConnector({ notice: () => undefined }), { write: () => true }, { write: (t: string) => (err += t) });
      expect(code).toBe(1);
      expect(err).toContain('no manager answered');
      expectClean('snapshot stderr', err);
    } finally {
      await engine.close();
    }
  });
});

describe('fuzz: random hostile clusters (seeded)', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`seed ${seed}: every pane and the snapshot`, async () => {
      const l = await liveOn(seed);
      try {
        const app = renderConsole(l, []);
        await sleep(20);
        for (const pane of ['1', '2', '3', '4', '5', '6', '7', '8']) await app.press(pane);
        await app.press('2', 'r');
        expectClean(`seed ${seed}: a frame`, app.frames.join('\n'));
        let out = '';
        const target: ResolvedTarget = { context: 'hostile', endpoints: [{ kind: 'unix', socketPath: l.engine.socket }], readOnly: false, theme: null, insecure: false };
        await runSnapshot(target, createConnector({ notice: () => undefined }), { write: (t: string) => (out += t) }, { write: (t: string) => (out += t) });
        expectClean(`seed ${seed}: the snapshot`, out);
      } finally {
        await stop(l);
      }
    }, 30_000);
  }
});
