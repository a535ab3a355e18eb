import { manualClock } from '../fixtures/manual-clock.js';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { ActionContext } from '../../src/actions/types.js';
import type { ClusterState } from '../../src/store/state.js';
import { ConsoleRoot } from '../../src/ui/fleet/ConsoleRoot.js';
import type { FleetControl, FleetMember } from '../../src/ui/fleet/types.js';
import { loadTheme } from '../../src/ui/theme.js';
import { clusterState, makeManager, makeNode, makeService, sampleCluster } from '../fixtures/cluster.js';
import { KEY, fakeReaders, testAction, testStore, tick, type Calls } from './ui-support.js';

afterEach(() => cleanup());

function named(state: ClusterState, context: string, readOnly = false): ClusterState {
  return { ...state, connection: { ...state.connection, context, readOnly } };
}

function fleetOf(states: Record<string, ClusterState>, readOnly: Record<string, boolean> = {}) {
  const log: string[] = [];
  const members: FleetMember[] = Object.entries(states).map(([name, state]) => ({
    name, store: testStore(named(state, name, readOnly[name] ?? false)), readOnly: readOnly[name] ?? false, readers: fakeReaders,
    actionContext: (): ActionContext => ({ connection: null as never, context: name, readOnly: readOnly[name] ?? false }),
    refresh: () => void log.push(`refresh ${name}`),
  }));
  const control: FleetControl = {
    members: () => members,
    subscribe: () => () => undefined,
    open: () => void log.push('open'),
    focus: (name) => {
      log.push(`focus ${name}`);
      return Promise.resolve();
    },
    unfocus: () => void log.push('unfocus'),
  };
  return { control, members, log };
}

const theme = loadTheme('no-color');

function renderFleet(control: FleetControl, o: { startInFleet?: boolean; first?: string; calls?: Calls; actions?: ReturnType<typeof testAction>[] } = {}) {
  // Input timers move only when a test presses a key: a confirmation then accepts the next key (see ui-support).
  const clock = manualClock();
  const r = render(
    <ConsoleRoot inputClock={clock} fleet={control} first={o.first ?? control.members()[0]!.name} startInFleet={o.startInFleet ?? true}
      actions={o.actions ?? []} themeFor={() => theme} readOnly={false} contexts={control.members().map((m) => m.name)}
      copy={() => undefined} onQuit={() => undefined} width={200} height={24} now={() => 1000} />,
  );
  const press = async (...keys: string[]): Promise<void> => {
    for (const k of keys) {
      const before = r.frames.length;
      r.stdin.write(k);
      for (let i = 0; i < 150 && r.frames.length === before; i++) await tick(2);
      await tick(5);
      clock.advance(1000);
    }
  };
  const frame = (): string => r.lastFrame() ?? '';
  /** Bounded wait for a frame showing text (an action's dialog comes a render after its key). */
  const waitFor = async (text: string): Promise<string> => {
    for (let i = 0; i < 200 && !frame().includes(text); i++) await tick(5);
    return frame();
  };
  return { ...r, press, frame, waitFor };
}

function degraded(): ClusterState {
  const nodes = [makeManager('d1', true), makeManager('d2'), makeManager('d3', false, { manager: { leader: false, reachability: 'unreachable', addr: '' }, state: 'down' }), makeNode({ id: 'dw', engineVersion: '24.0.7' })];
  return clusterState({ nodes, services: [makeService({ id: 'pay', runningTasks: 1, desiredTasks: 2 })] });
}

function stale(): ClusterState {
  const s = sampleCluster();
  return { ...s, connection: { ...s.connection, status: 'reconnecting', staleSince: 500, error: 'unix:///x.sock: connect ENOENT' } };
}

describe('the fleet screen', () => {
  it('one row per context, worst first, with every figure', async () => {
    const { control } = fleetOf({ alpha: sampleCluster(), beta: degraded(), gamma: stale() });
    const app = renderFleet(control);
    await tick();
    const lines = app.frame().split('\n');
    expect(lines[0]).toContain('swarmtop fleet 3 contexts  2 live  1 stale');
    const rows = lines.filter((l) => /^(alpha|beta|gamma)\s+\S+/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[0])).toEqual(['gamma', 'beta', 'alpha']);
    expect(rows[0]).toMatch(/gamma\s+STALE 0s\s+m1\s+3\/3\s+1\s+4\/4\s+2\/2/);
    expect(rows[1]).toMatch(/beta\s+live\s+d1\s+2\/3\s+0\s+3\/4\s+0\/1/);
    expect(rows[1]).toContain('20.10.24 +1 MIXED');
    expect(rows[1]).toContain('no manager may fail, 1 node not ready');
    expect(rows[2]).toMatch(/alpha\s+live\s+m1\s+3\/3\s+1\s+4\/4\s+2\/2/);
  });

  it('enter opens that context\'s console; esc comes back to the fleet; 0 opens it from a console', async () => {
    const { control, log } = fleetOf({ alpha: sampleCluster(), beta: degraded() });
    const app = renderFleet(control);
    await tick();
    await app.press('j'); // beta is first (worse): j selects alpha
    await app.press(KEY.enter);
    expect(log).toContain('focus alpha');
    expect(app.frame()).toContain('ctx alpha');
    expect(app.frame()).toContain('Services [2]');
    await app.press('3');
    expect(app.frame()).toContain('Tasks [');
    await app.press(KEY.esc);
    expect(log.at(-1)).toBe('unfocus');
    expect(app.frame()).toContain('swarmtop fleet');
    expect(app.frame().split('\n').at(-1)).toBe('alpha'); // the cursor is where it was
    await app.press('2'); // a pane key opens the selected context on that pane
    expect(app.frame()).toContain('ctx alpha');
    await app.press('1');
    expect(app.frame()).toContain('Nodes [4]');
    await app.press('0');
    expect(app.frame()).toContain('Fleet [2]');
  });

  it('a console started on one context: 0 opens the fleet (every context watched), :ctx keeps the others', async () => {
    const { control, log } = fleetOf({ alpha: sampleCluster(), beta: degraded() });
    const app = renderFleet(control, { startInFleet: false, first: 'alpha' });
    await tick();
    expect(app.frame()).toContain('ctx alpha');
    await app.press(KEY.esc); // nothing to go back to: the fleet was never opened
    expect(app.frame()).toContain('ctx alpha');
    await app.press('0');
    expect(log).toEqual(['open', 'unfocus']);
    expect(app.frame()).toContain('Fleet [2]');
  });
});

describe('combined panes', () => {
  it(':svc --all lists every context\'s services with a CONTEXT column; filter and sort as usual', async () => {
    const { control } = fleetOf({ alpha: sampleCluster(), beta: degraded() });
    const app = renderFleet(control);
    await tick();
    await app.press(':');
    for (const ch of 'svc --all') await app.press(ch);
    await app.press(KEY.enter);
    const f = app.frame();
    expect(f).toContain('Services of every context [3]');
    expect(f).toMatch(/CONTEXT↑\s+NAME\s+MODE\s+REPLICAS/);
    expect(f).toMatch(/alpha\s+agent\s+global/);
    expect(f).toMatch(/beta\s+pay\s+replicated\s+1\/2/);
    await app.press('/', 'b', 'e', 't', 'a');
    expect(app.frame()).toContain('Services of every context [1/3]');
    await app.press(KEY.esc, KEY.esc);
    await app.press(':');
    for (const ch of 'nodes --all') await app.press(ch);
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Nodes of every context [8]');
    expect(app.frame()).not.toContain('TASKS');
  });

  it('an action acts on the row\'s own context, and its dialog names it', async () => {
    const calls: Calls = { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
    const seen: string[] = [];
    const scale = testAction({ id: 'scale', key: 's', targets: 'service', dangerous: true, run: (ctx, target) => {
      seen.push(`${ctx.context} ${target.id}`);
      return Promise.resolve({ kind: 'done', message: 'scaled' });
    } }, calls);
    const { control } = fleetOf({ alpha: sampleCluster(), beta: degraded() });
    const app = renderFleet(control, { actions: [scale] });
    await tick();
    await app.press(':');
    for (const ch of 'svc --all') await app.press(ch);
    await app.press(KEY.enter, 'G', 's');
    expect(await app.waitFor('context beta')).toContain('context beta');
    expect(app.frame()).toContain('target: service pay');
    await app.press('y');
    for (let i = 0; i < 50 && seen.length === 0; i++) await tick(10);
    expect(seen).toEqual(['beta pay']);
    expect(await app.waitFor('scale: scaled')).toContain('scale: scaled');
  });

  it('a read-only context refuses the action, the others do not', async () => {
    const seen: string[] = [];
    const scale = testAction({ id: 'scale', key: 's', targets: 'service', run: (ctx) => {
      seen.push(ctx.context);
      return Promise.resolve({ kind: 'done', message: 'ok' });
    } });
    const { control } = fleetOf({ alpha: sampleCluster(), beta: degraded() }, { beta: true });
    const app = renderFleet(control, { actions: [scale] });
    await tick();
    await app.press(':');
    for (const ch of 'svc --all') await app.press(ch);
    await app.press(KEY.enter, 'G', 's');
    expect(await app.waitFor('refused')).toContain('refused');
    expect(seen).toEqual([]);
  });
});
