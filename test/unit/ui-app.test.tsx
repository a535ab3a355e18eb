import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import {
  clusterState, makeConfig, makeManager, makeNetwork, makeNode, makeSecret, makeService, makeTask, sampleCluster,
} from '../fixtures/cluster.js';
import { KEY, renderApp, tick } from './ui-support.js';

afterEach(() => cleanup());

function richCluster() {
  const base = sampleCluster();
  const extra = clusterState({
    nodes: [...base.nodes.values()],
    services: [...base.services.values(), makeService({ id: 'api', stack: 'shop', configIds: ['c1'], configNames: ['app.conf'], networkIds: ['n1'], runningTasks: 1, desiredTasks: 3, updateStatus: { state: 'updating', startedAt: 1, completedAt: 0, message: 'update in progress' } })],
    tasks: [...[...base.tasksByService.values()].flatMap((m) => [...m.values()]), makeTask({ id: 'ta1', serviceId: 'api', slot: 1, nodeId: 'm2', state: 'failed', err: 'boom' })],
    secrets: [makeSecret({ id: 's1', name: 'db-pass', stack: 'shop' })],
    configs: [makeConfig({ id: 'c1', name: 'app.conf', stack: 'shop' })],
    networks: [makeNetwork({ id: 'n1', name: 'shop_default', stack: 'shop', subnets: ['10.0.1.0/24'] }), makeNetwork({ id: 'n2', name: 'ingress', ingress: true })],
  });
  return extra;
}

describe('panes', () => {
  it('opens on services with the header and footer hints', async () => {
    const app = renderApp(sampleCluster());
    await tick();
    const f = app.frame();
    expect(f).toContain('Services [2]');
    expect(f).toMatch(/web\s+replicated\s+2\/2/);
    expect(f).toContain('leader m1');
    expect(f).toContain('managers 3/3 (quorum 2, tolerates 1 loss)');
    expect(f).toContain('<q>quit');
    // The pane's own keys lead the footer, inspect first (faults-terminal looks for it at 70 columns).
    expect(f.split('\n').some((l) => l.startsWith('<y>inspect <l>logs'))).toBe(true);
  });

  it('switches panes with 1..8', async () => {
    const app = renderApp(richCluster());
    await tick();
    await app.press('1');
    expect(app.frame()).toContain('Nodes [4]');
    expect(app.frame()).toMatch(/m1\s+m1\s+manager\s+leader\s+ready/);
    await app.press('3');
    expect(app.frame()).toContain('Tasks [7]');
    expect(app.frame()).toMatch(/api\.1\s+ta1\s+m2\s+running\s+failed/);
    await app.press('4');
    expect(app.frame()).toMatch(/shop\s+2\s+1\/2\s+3\/5/);
    await app.press('5');
    expect(app.frame()).toMatch(/db-pass\s+s1\s+shop\s+1/);
    await app.press('6');
    expect(app.frame()).toMatch(/app\.conf\s+c1\s+shop\s+1/);
    await app.press('7');
    expect(app.frame()).toContain('ingress');
    expect(app.frame()).toContain('10.0.1.0/24');
    await app.press('8');
    expect(app.frame()).toContain('Worker join token');
    expect(app.frame()).toContain('CA rotation');
    await app.press('2');
    expect(app.frame()).toContain('Services [3]');
  });

  it('drills down with enter and backs out with esc', async () => {
    const app = renderApp(richCluster());
    await tick();
    // Services sorted by name: agent, api, web → move to web.
    await app.press('j', 'j', KEY.enter);
    expect(app.frame()).toContain('Tasks of service web [2]');
    expect(app.frame()).toContain('web.1');
    expect(app.frame()).not.toContain('agent.');
    await app.press(KEY.esc);
    expect(app.frame()).toContain('Services [3]');
    await app.press('1', 'G', KEY.enter);
    expect(app.frame()).toContain('Tasks of node w1');
    await app.press(KEY.esc, '5', KEY.enter);
    expect(app.frame()).toContain('Services of secret db-pass [1]');
    await app.press(KEY.esc, '4', KEY.enter);
    expect(app.frame()).toContain('Services of stack shop [2]');
    await app.press(KEY.esc, '7', KEY.enter);
    expect(app.frame()).toMatch(/Services of network (ingress|shop_default)/);
  });

  it('moves with j/k/G/g and sorts with o/O', async () => {
    const app = renderApp(richCluster());
    await tick();
    await app.press('G');
    expect(app.frame().split('\n').at(-1)).toContain('web');
    await app.press('g');
    expect(app.frame().split('\n').at(-1)).toContain('agent');
    await app.press('o');
    expect(app.frame()).toContain('MODE↑');
    await app.press('O');
    expect(app.frame()).toContain('MODE↓');
  });

  it('filters as you type and esc clears the filter', async () => {
    const app = renderApp(richCluster());
    await tick();
    await app.press('/');
    await app.type('we');
    expect(app.frame()).toContain('Services [1/3]');
    expect(app.frame()).toContain('/we');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Services [1/3]');
    await app.press(KEY.esc);
    expect(app.frame()).toContain('Services [3]');
  });

  it('shows the rollout view with r', async () => {
    const app = renderApp(richCluster());
    await tick();
    await app.press('j', 'r');
    expect(app.frame()).toContain('Tasks of service api (rollout)');
    expect(app.frame()).toContain('api  updating: update in progress');
    expect(app.frame()).toContain('overall progress: 0 out of 1 tasks');
  });
});

describe('themes per context', () => {
  it('an invalid theme file: the default theme, and why, said once', async () => {
    const problem = 'theme mine (/x/mine.json) is invalid: palette.a: invalid colour "chartreuse"; using the default theme';
    const theme = { name: 'default', monochrome: true, color: () => undefined, problem };
    const app = renderApp(sampleCluster(), { themeFor: () => theme });
    await vi.waitFor(() => expect(app.frame()).toContain('invalid colour "chartreuse"'));
    // A key clears the message; redrawing (the same theme again) does not bring it back.
    await app.press('j');
    await app.press('k');
    expect(app.frame()).not.toContain('chartreuse');
  });

  it('a context with a bad theme does not end the console: no colours and a message', async () => {
    const app = renderApp(sampleCluster(), { themeFor: () => { throw new Error('unknown theme "nosuch" (available: default)'); } });
    await tick();
    expect(app.frame()).toContain('Services [2]');
    expect(app.frame()).toContain('unknown theme "nosuch" (available: default); using no colours');
  });
});

describe('header', () => {
  it('shows stale age, insecure banner and read-only badge', async () => {
    const s = sampleCluster();
    const state = { ...s, connection: { ...s.connection, insecure: true, staleSince: 100_000 - 42_000, status: 'reconnecting' as const, error: 'm1 unreachable' } };
    const app = renderApp(state, { readOnly: true, now: () => 100_000 });
    await tick();
    const f = app.frame();
    expect(f).toContain('INSECURE: TLS verification is disabled');
    expect(f).toContain('STALE 42s');
    expect(f).toContain('READ-ONLY');
    expect(f).toContain('connection: m1 unreachable');
  });

  it('while stale, the age counts on by itself (no store change needed)', async () => {
    const s = sampleCluster();
    let clock = 100_000;
    const state = { ...s, connection: { ...s.connection, staleSince: 90_000, status: 'reconnecting' as const } };
    const app = renderApp(state, { now: () => clock });
    await tick();
    expect(app.frame()).toContain('STALE 10s');
    clock = 105_000;
    // The badge's own one-second tick redraws it: wait for that frame, not for a fixed time.
    await vi.waitFor(() => expect(app.frame()).toContain('STALE 15s'), { timeout: 5000 });
  });

  it('flags lost quorum', async () => {
    const nodes = [makeManager('m1', true), makeManager('m2', false, { manager: { leader: false, reachability: 'unreachable', addr: '' }, state: 'down' }), makeManager('m3', false, { manager: { leader: false, reachability: 'unreachable', addr: '' } }), makeNode({ id: 'w1' })];
    const app = renderApp(clusterState({ nodes }));
    await tick();
    expect(app.frame()).toContain('managers 1/3');
    expect(app.frame()).toContain('NO QUORUM');
    expect(app.frame()).toContain('nodes ready 3/4');
  });
});

describe('help, command mode, quit', () => {
  it('? shows the help generated from the keymap', async () => {
    const app = renderApp(sampleCluster());
    await tick();
    await app.press('?');
    const f = app.frame();
    expect(f).toContain('Help');
    expect(f).toContain('quit');
    expect(f).toContain('Navigation');
    await app.press(KEY.esc);
    expect(app.frame()).toContain('Services [2]');
  });

  it(': commands switch panes, contexts and quit', async () => {
    const app = renderApp(sampleCluster());
    await tick();
    await app.press(':');
    await app.type('nodes');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Nodes [4]');
    await app.press(':');
    await app.type('ctx prod');
    await app.press(KEY.enter);
    expect(app.calls.contexts).toEqual(['prod']);
    await app.press(':');
    await app.type('ctx');
    await app.press(KEY.enter);
    expect(app.frame()).toMatch(/contexts: default( \(current\))?, prod/);
    // default is always a context (DOCKER_HOST or the local socket), listed or not.
    const only = renderApp(sampleCluster(), { contexts: ['prod'] });
    await only.press(':');
    await only.type('ctx default');
    await only.press(KEY.enter);
    expect(only.frame()).not.toContain('unknown context');
    await app.press(':');
    await app.type('bogus');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('unknown command :bogus');
    await app.press(':');
    await app.type('q');
    await app.press(KEY.enter);
    expect(app.calls.quits).toBe(1);
    await app.press('q');
    expect(app.calls.quits).toBe(2);
  });
});

describe('inspect and logs', () => {
  it('y shows YAML, / searches, esc closes', async () => {
    const app = renderApp(sampleCluster());
    await tick();
    await app.press('y');
    await tick();
    expect(app.frame()).toContain('Inspect service agent');
    expect(app.frame()).toContain('Name: obj-agent');
    await app.press('/');
    await app.type('labels');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Labels');
    await app.press(KEY.esc);
    expect(app.frame()).toContain('Services [2]');
  });

  it('enter on a task opens its inspect view; y works on a stack too', async () => {
    const app = renderApp(richCluster());
    await tick();
    await app.press('3', KEY.enter);
    await tick();
    expect(app.frame()).toMatch(/Inspect task \S+/);
    expect(app.frame()).toContain('Kind: task');
    await app.press(KEY.esc, '4', 'y');
    await tick();
    expect(app.frame()).toContain('Inspect stack shop');
    expect(app.frame()).toContain('Kind: stack');
  });

  it('l shows logs with timestamps and wrap toggles', async () => {
    const app = renderApp(sampleCluster());
    await tick();
    await app.press('l');
    // Named as docker service logs names the task: service.slot.task-id(12)@node.
    await vi.waitFor(() => expect(app.frame()).toContain('web.1.t1xxxxxxxxxx@m1 | line 4'));
    expect(app.frame()).toContain('Logs service agent');
    expect(app.frame()).not.toContain('2026-01-01T00:00:04Z');
    await app.press('t');
    expect(app.frame()).toContain('2026-01-01T00:00:04Z web.1.t1xxxxxxxxxx@m1 | line 4');
    expect(app.frame()).toContain('prefix:on');
    await app.press('p');
    expect(app.frame()).toContain('2026-01-01T00:00:04Z line 4');
    expect(app.frame()).toContain('prefix:off');
    await app.press('p');
    await app.press('w');
    expect(app.frame()).toContain('wrap:on');
    await app.press('f');
    expect(app.frame()).toContain('follow:off');
    await app.press('q');
    expect(app.frame()).toContain('Services [2]');
  });
});
