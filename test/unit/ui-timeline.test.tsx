import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { EntryDraft } from '../../src/store/timeline/entry.js';
import { Timeline } from '../../src/store/timeline/timeline.js';
import { clockText } from '../../src/ui/timeline/table.js';
import { clusterState, makeManager, makeNode, makeService, makeTask } from '../fixtures/cluster.js';
import { KEY, renderApp, tick } from './ui-support.js';

afterEach(() => cleanup());

const T0 = new Date(2026, 0, 5, 14, 0, 0).getTime();

function cluster() {
  return clusterState({
    nodes: [makeManager('m1', true, { hostname: 'lab-m1' }), makeNode({ id: 'w3', hostname: 'lab-w3' })],
    services: [
      makeService({ id: 'web', mode: { kind: 'replicated', replicas: 2 }, runningTasks: 2, desiredTasks: 2 }),
      makeService({ id: 'gpu', constraints: ['node.labels.gpu==yes'], runningTasks: 0, desiredTasks: 1 }),
    ],
    tasks: [
      makeTask({ id: 't1', serviceId: 'web', slot: 1, nodeId: 'm1' }),
      makeTask({ id: 't2', serviceId: 'web', slot: 2, nodeId: 'w3' }),
      makeTask({ id: 'p1', serviceId: 'gpu', slot: 1, state: 'pending', err: 'no suitable node (scheduling constraints not satisfied on 2 nodes)' }),
    ],
  });
}

function timeline(): Timeline {
  const t = new Timeline(100);
  const d = (o: Partial<EntryDraft> & Pick<EntryDraft, 'at' | 'text'>): EntryDraft => ({ source: 'engine', severity: 'info', kind: 'service', objectId: 'web', name: 'web', ...o });
  t.add([
    d({ at: T0, text: 'image local/busybox:1 → local/busybox:2' }),
    d({ at: T0 + 1000, source: 'node', severity: 'warn', kind: 'node', objectId: 'w3', name: 'lab-w3', text: 'availability active → drain' }),
    d({ at: T0 + 2000, source: 'task', severity: 'error', kind: 'task', objectId: 't2', name: 'web.2', serviceId: 'web', node: 'lab-w3', text: 'running → failed: task: non-zero exit (3) · exit code 3 · on lab-w3' }),
    d({ at: T0 + 3000, source: 'operator', kind: 'node', objectId: 'w3', name: 'lab-w3', text: 'ops: node.drain: done — drained' }),
    d({ at: T0 + 4000, source: 'console', kind: 'console', objectId: '', name: 'history', text: 'engine history starts here' }),
  ]);
  return t;
}

const rowsOf = (frame: string): string[] => frame.split('\n').filter((l) => /^\s*(\d\d:\d\d:\d\d)/.test(l));

describe('the timeline pane', () => {
  it('9 shows every entry, newest first, the operator marked; w keeps warnings and errors', async () => {
    const app = renderApp(cluster(), { timeline: timeline(), width: 140, now: () => T0 + 5000 });
    await tick();
    await app.press('9');
    const f = app.frame();
    expect(f).toContain('Timeline [5]');
    expect(f).toContain('keeps the last 100');
    const rows = rowsOf(f);
    expect(rows[0]).toMatch(/14:00:04\s+console\s+history\s+engine history starts here/);
    expect(rows[1]).toMatch(/14:00:03\s+operator\s+node lab-w3\s+ops: node\.drain: done/);
    expect(rows[2]).toMatch(/14:00:02\s+error\s+task\s+task web\.2\s+running → failed: task: non-zero exit \(3\) · exit code 3 · on lab-w3/);
    expect(rows[4]).toMatch(/14:00:00\s+engine\s+service web\s+image local\/busybox:1 → local\/busybox:2/);
    await app.press('w');
    expect(app.frame()).toContain('Timeline [2]');
    expect(app.frame()).toContain('warnings and errors only');
    expect(rowsOf(app.frame())).toHaveLength(2);
    await app.press('w');
    expect(app.frame()).toContain('Timeline [5]');
  });

  it('/ filters by any word: source, severity, object, node, text', async () => {
    const app = renderApp(cluster(), { timeline: timeline(), width: 140 });
    await tick();
    await app.press('9', '/');
    await app.type('lab-w3');
    await tick(20);
    expect(app.frame()).toContain('Timeline [3/5]');
    await app.press(KEY.enter, KEY.esc, '/');
    await app.type('operator');
    await tick(20);
    expect(app.frame()).toContain('Timeline [1/5]');
  });

  it('enter jumps to the object (esc comes back); a task entry opens its service tasks', async () => {
    const app = renderApp(cluster(), { timeline: timeline(), width: 140 });
    await tick();
    await app.press('9', 'j', 'j'); // the task failure (newest first: console, operator, task)
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Tasks of service web');
    expect(app.frame().split('\n').at(-1)).toContain('web.2');
    await app.press(KEY.esc);
    expect(app.frame()).toContain('Timeline [5]');
    await app.press('k', KEY.enter);
    expect(app.frame()).toContain('Nodes [2]');
    expect(app.frame().split('\n').at(-1)).toContain('lab-w3');
    await app.press(KEY.esc, 'g', KEY.enter);
    expect(app.frame()).toContain('a note of the console: nothing to open');
  });

  it(':events opens it; without a timeline the pane says so', async () => {
    const app = renderApp(cluster(), { width: 140 });
    await tick();
    await app.press(':');
    await app.type('events');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Timeline [0]');
    expect(app.frame()).toContain('no timeline in this console');
  });

  it(':bundle hands the window and file to the bundle writer and says what it wrote', async () => {
    const asked: (string | null)[][] = [];
    const app = renderApp(cluster(), { width: 140, bundle: (since, file) => { asked.push([since, file]); return Promise.resolve('bundle written: /tmp/b.tar.gz'); } });
    await tick();
    await app.press(':');
    await app.type('bundle 2h /tmp/b.tar.gz');
    await app.press(KEY.enter);
    await tick(30);
    expect(asked).toEqual([['2h', '/tmp/b.tar.gz']]);
    expect(app.frame()).toContain('bundle written: /tmp/b.tar.gz');
  });
});

describe('why a service is not converged, on screen', () => {
  it('the WHY column in the services pane, atop its inspect view and above its tasks', async () => {
    const app = renderApp(cluster(), { width: 160 });
    await tick();
    expect(app.frame()).toMatch(/gpu\s+replicated\s+0\/1\s+no suitable node \(constraint node\.la/);
    // WHY takes the room while a service has a reason (IMAGE is cut first).
    expect(app.frame()).toMatch(/web\s+replicated\s+2\/2\s+local\/busyb/);
    await app.press('/');
    await app.type('gpu');
    await app.press(KEY.enter, 'y');
    await tick(30);
    expect(app.frame()).toContain('# not converged: no suitable node (constraint node.labels.gpu==yes: 0 of 2 nodes match)');
    await app.press(KEY.esc, KEY.enter);
    expect(app.frame()).toContain('Tasks of service gpu');
    expect(app.frame()).toContain('not converged: no suitable node (constraint node.labels.gpu==yes: 0 of 2 nodes match)');
  });
});

describe('clock', () => {
  it('time of day for today, the date for older entries', () => {
    expect(clockText(T0 + 61_000, T0)).toBe('14:01:01');
    expect(clockText(T0 - 86_400_000, T0)).toBe('01-04 14:00');
  });
});
