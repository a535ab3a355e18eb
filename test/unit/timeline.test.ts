import { describe, expect, it } from 'vitest';
import type { NodeModel } from '../../src/store/model.js';
import type { ClusterState } from '../../src/store/state.js';
import { diffStates } from '../../src/store/timeline/diff.js';
import type { EntryDraft } from '../../src/store/timeline/entry.js';
import { entryJson } from '../../src/store/timeline/entry.js';
import type { EngineEventInput } from '../../src/store/timeline/engine-events.js';
import { TimelineRecorder } from '../../src/store/timeline/recorder.js';
import { Timeline } from '../../src/store/timeline/timeline.js';
import { clusterState, makeManager, makeNode, makeService, makeTask, sampleCluster } from '../fixtures/cluster.js';

const draft = (n: number): EntryDraft => ({ at: n, source: 'engine', severity: 'info', kind: 'service', objectId: `s${n}`, name: `svc${n}`, text: `change ${n}` });

function withNode(s: ClusterState, id: string, patch: Partial<NodeModel>): ClusterState {
  const nodes = new Map(s.nodes);
  nodes.set(id, { ...(nodes.get(id) as NodeModel), ...patch });
  return { ...s, nodes };
}

function withTasks(s: ClusterState, serviceId: string, tasks: ReturnType<typeof makeTask>[]): ClusterState {
  const t = new Map(s.tasksByService);
  t.set(serviceId, new Map(tasks.map((x) => [x.id, x])));
  return { ...s, tasksByService: t };
}

const nodeEvent = (id: string, name: string, attributes: Record<string, string>, since = '100.000000001'): EngineEventInput => ({
  kind: 'node', action: 'update', id, name, attributes: { name, ...attributes }, at: 100_000, since,
});

describe('the timeline ring', () => {
  it('keeps the last N in order, counts what it dropped, notifies once per add', () => {
    const t = new Timeline(3);
    let heard = 0;
    t.subscribe(() => heard++);
    t.add([draft(1), draft(2)]);
    t.add([draft(3), draft(4), draft(5)]);
    expect(t.entries().map((e) => e.text)).toEqual(['change 3', 'change 4', 'change 5']);
    expect(t.dropped).toBe(2);
    expect(heard).toBe(2);
    expect(t.entries()).toBe(t.entries());
    t.add([]);
    expect(heard).toBe(2);
    expect(() => new Timeline(0)).toThrow(/capacity/);
  });

  it('entries are rows: unique ids, a lower-case search key, JSON for the bundle', () => {
    const t = new Timeline(10);
    const [e] = t.add([{ ...draft(1), source: 'task', severity: 'error', kind: 'task', name: 'Web.3', text: 'running → failed', node: 'lab-w1', serviceId: 'web' }]);
    expect(e!.id).toBe('e1');
    // Arrows are searched as `>` (typed on any keyboard; one byte a character).
    expect(e!.search).toBe('task error task web.3 lab-w1 running > failed');
    expect(entryJson(e!)).toEqual({ time: new Date(1).toISOString(), source: 'task', severity: 'error', kind: 'task', id: 's1', name: 'Web.3', serviceId: 'web', node: 'lab-w1', text: 'running → failed' });
  });
});

describe('what changed between two states', () => {
  it('nothing before the first snapshot, nor on it', () => {
    const s = sampleCluster();
    expect(diffStates({ ...s, syncedAt: 0 }, s, 5).drafts).toEqual([]);
    expect(diffStates({ ...s, syncedAt: 0 }, s, 5).changes).toEqual([]);
  });

  it('node state, availability, manager reachability, labels', () => {
    const a = sampleCluster();
    let b = withNode(a, 'm3', { state: 'down', availability: 'drain', manager: { leader: false, reachability: 'unreachable', addr: '' } });
    b = withNode(b, 'w1', { labels: { gpu: 'yes' } });
    const { changes } = diffStates(a, b, 7);
    const texts = changes.map((c) => `${c.base.name}: ${c.changes.map((x) => x.text).join(', ')}`);
    expect(texts).toEqual(['m3: ready → down, availability active → drain, manager reachable → unreachable', 'w1: labels +gpu=yes']);
    expect(changes[0]!.changes.map((c) => c.severity)).toEqual(['error', 'warn', 'error']);
  });

  it('a new leader is one line', () => {
    const a = sampleCluster();
    let b = withNode(a, 'm1', { manager: { leader: false, reachability: 'unreachable', addr: '' } });
    b = withNode(b, 'm2', { manager: { leader: true, reachability: 'reachable', addr: '' } });
    const texts = diffStates(a, b, 7).changes.flatMap((c) => c.changes.map((x) => x.text));
    expect(texts).toContain('leader m1 → m2');
  });

  it('task transitions with the error, exit code and node; a new task in a notable state', () => {
    const a = sampleCluster();
    const b = withTasks(a, 'web', [
      makeTask({ id: 't1', serviceId: 'web', slot: 1, nodeId: 'm1', state: 'failed', desiredState: 'shutdown', err: 'task: non-zero exit (3)', exitCode: 3, stateSince: 5000 }),
      makeTask({ id: 't2', serviceId: 'web', slot: 2, nodeId: 'w1' }),
      makeTask({ id: 't3', serviceId: 'web', slot: 1, nodeId: 'm2', state: 'starting' }),
      makeTask({ id: 't4', serviceId: 'web', slot: 3, nodeId: null, state: 'pending', err: 'no suitable node (insufficient resources on 4 nodes)' }),
    ]);
    const { drafts } = diffStates(a, b, 9000);
    expect(drafts.map((d) => `${d.name} ${d.text}${d.detail ? `: ${d.detail}` : ''} [${d.severity}]`)).toEqual([
      'web.1 running → failed: task: non-zero exit (3) · exit code 3 · on m1 [error]',
      'web.3 new task, pending: no suitable node (insufficient resources on 4 nodes) [warn]',
    ]);
    expect(drafts[0]).toMatchObject({ at: 5000, kind: 'task', objectId: 't1', serviceId: 'web', node: 'm1' });
  });

  it('the console losing and regaining its manager', () => {
    const a = sampleCluster();
    const lost = { ...a, connection: { ...a.connection, status: 'reconnecting' as const, staleSince: 1000, error: 'unix:///m1.sock: connect ECONNREFUSED' } };
    expect(diffStates(a, lost, 1000).drafts.map((d) => d.text)).toEqual(['lost contact: unix:///m1.sock: connect ECONNREFUSED']);
    const back = { ...a, connection: { ...a.connection, endpoint: 'unix:///m2.sock' } };
    expect(diffStates(lost, back, 4000).drafts.map((d) => d.text)).toEqual(['reconnected to unix:///m2.sock after 3 s without contact']);
  });
});

describe('the recorder', () => {
  function setup() {
    let now = 100_000;
    const timeline = new Timeline(1000);
    // No task records read back: these tests are about what happens after the start.
    const rec = new TimelineRecorder(timeline, { now: () => now, taskLookbackMs: 0 });
    let state = sampleCluster();
    rec.observe({ ...state, syncedAt: 0 });
    rec.observe(state);
    const texts = (): string[] => timeline.entries().map((e) => `${e.source} ${e.name} ${e.text}`);
    return {
      timeline, rec, texts,
      set(next: ClusterState) {
        state = next;
        rec.observe(next);
      },
      get state() {
        return state;
      },
      tick(ms: number) {
        now += ms;
      },
    };
  }

  it('one line per fact: an engine event and the re-read it causes say it once', () => {
    const t = setup();
    t.rec.engineEvent(nodeEvent('m3', 'm3', { 'availability.old': 'active', 'availability.new': 'drain' }));
    t.set(withNode(t.state, 'm3', { availability: 'drain' }));
    expect(t.texts()).toEqual(['engine m3 availability active → drain']);
    // The other way round: the re-read first, then the event.
    t.set(withNode(t.state, 'm2', { state: 'down' }));
    t.rec.engineEvent(nodeEvent('m2', 'm2', { 'state.old': 'ready', 'state.new': 'down' }, '101.0'));
    expect(t.texts()).toEqual(['engine m3 availability active → drain', 'node m2 ready → down']);
    // A minute later the same fact is news again (the node came back and went down again).
    t.tick(61_000);
    t.rec.engineEvent(nodeEvent('m2', 'm2', { 'state.old': 'ready', 'state.new': 'down' }, '170.0'));
    expect(t.texts().at(-1)).toBe('engine m2 ready → down');
  });

  it('drops replayed events, and live node updates that name no change', () => {
    const t = setup();
    const e: EngineEventInput = { kind: 'service', action: 'update', id: 'web', name: 'web', attributes: { name: 'web', 'image.old': 'local/busybox:1', 'image.new': 'local/busybox:2' }, at: 1, since: '1.5' };
    t.rec.engineEvent(e);
    t.rec.engineEvent({ ...e });
    t.rec.engineEvent(nodeEvent('w1', '', {}));
    t.rec.engineEvent({ ...e, since: '2.5', attributes: { name: 'web', 'updatestate.old': 'updating', 'updatestate.new': 'rollback_started' } });
    expect(t.texts()).toEqual(['engine web image local/busybox:1 → local/busybox:2', 'engine web update state updating → rollback_started']);
    expect(t.timeline.entries()[1]!.severity).toBe('error');
  });

  it('history: the events the engine still holds and a marker where they begin', () => {
    const t = setup();
    const old = { kind: 'node' as const, action: 'update', id: 'w1', name: '', attributes: { 'leader.old': 'false', 'leader.new': 'true' }, at: 50_000, since: '50.0' };
    t.rec.history([old, { ...old, id: 'm1', since: '40.0', at: 40_000, attributes: {} }], 'unix:///m1.sock', t.state, 90_000);
    const entries = t.timeline.entries();
    expect(entries.map((e) => `${e.name} ${e.text}`)).toEqual([
      'w1 became the leader',
      'm1 updated',
      expect.stringMatching(/^history engine history starts here: the oldest of the 2 swarm event\(s\) unix:\/\/\/m1\.sock still holds \(.*last 256 events.*5 task records per slot\)$/),
    ]);
    expect(entries.every((e) => e.history)).toBe(true);
    expect(entries[2]!.at).toBe(40_000);
  });

  it("the operator's actions, marked as theirs", () => {
    const t = setup();
    t.rec.operator([
      { at: 5, context: 'c', user: 'ops', action: 'node.drain', target: { kind: 'node', id: 'm3', name: 'm3' }, input: null, result: 'attempt', message: '' },
      { at: 6, context: 'c', user: 'ops', action: 'node.drain', target: { kind: 'node', id: 'm3', name: 'm3' }, input: null, result: 'failed', message: 'boom' },
    ]);
    expect(t.texts()).toEqual(['operator m3 ops: node.drain: sending', 'operator m3 ops: node.drain: failed — boom']);
    expect(t.timeline.entries().map((e) => e.severity)).toEqual(['info', 'error']);
  });

  it('reads the task records of the first snapshot back as history', () => {
    const timeline = new Timeline(100);
    const rec = new TimelineRecorder(timeline, { now: () => 1_000_000 });
    const s = clusterState({
      nodes: [makeManager('m1', true)],
      services: [makeService({ id: 'web' })],
      tasks: [
        makeTask({ id: 'a', serviceId: 'web', nodeId: 'm1', state: 'failed', desiredState: 'shutdown', exitCode: 2, err: 'task: non-zero exit (2)', stateSince: 900_000 }),
        makeTask({ id: 'b', serviceId: 'web', nodeId: 'm1', stateSince: 950_000 }),
        makeTask({ id: 'c', serviceId: 'web', nodeId: null, state: 'pending', stateSince: 960_000 }),
      ],
    });
    rec.observe({ ...s, syncedAt: 0 });
    rec.observe(s);
    expect(timeline.entries().map((e) => `${e.name} ${e.text} ${e.history}`)).toEqual([
      'web.1 running: on m1 true',
      'web.1 failed: task: non-zero exit (2) · exit code 2 · on m1 true',
    ]);
    // A node that joins later is a change, not history.
    rec.observe({ ...s, nodes: new Map([...s.nodes, ['w9', makeNode({ id: 'w9' })]]) });
    expect(timeline.entries().at(-1)?.text).toBe('joined the swarm as worker (ready)');
  });
});
