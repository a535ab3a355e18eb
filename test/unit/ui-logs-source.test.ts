import { describe, expect, it } from 'vitest';
import { logSources, unavailableNodeTasks, unknownSource, unreadableTasks } from '../../src/cli/log-sources.js';
import { LogDemuxer } from '../../src/docker/api/logs-demux.js';
import { logDriverReadable, unavailableNodes } from '../../src/docker/api/logs.js';
import type { LogLine } from '../../src/ui/options.js';
import { loadTheme, taskColour } from '../../src/ui/theme.js';
import { formatLogLine, logColours, logLineStyle, logPrefix, type ViewerState } from '../../src/ui/useViewer.js';
import { clusterState, makeManager, makeNode, makeService, makeTask } from '../fixtures/cluster.js';

const ID1 = 'aaaaaaaaaaaa1111111111111';
const ID2 = 'bbbbbbbbbbbb2222222222222';

function cluster() {
  return clusterState({
    nodes: [makeManager('m1', true, { hostname: 'lab-m1' }), makeNode({ id: 'w1', hostname: 'lab-w1', state: 'down' })],
    services: [makeService({ id: 's1', name: 'crashy' }), makeService({ id: 's2', name: 'agent', mode: { kind: 'global' } })],
    tasks: [
      makeTask({ id: ID1, serviceId: 's1', slot: 1, nodeId: 'm1', containerId: 'c1' }),
      makeTask({ id: ID2, serviceId: 's1', slot: 2, nodeId: 'w1', containerId: 'c2' }),
      // Never got a container (pending): no logs at all, nothing to say about them.
      makeTask({ id: 'pending000000000000000000', serviceId: 's1', slot: 3, nodeId: null, state: 'pending', containerId: null }),
      makeTask({ id: 'gggggggggggg3333333333333', serviceId: 's2', slot: null, nodeId: 'm1', containerId: 'c3' }),
    ],
  });
}

describe('where a log line came from, named as docker service logs names it', () => {
  it('service.slot and node hostname per task id; a global task has slot 0, as the CLI prints it', () => {
    const sources = logSources(cluster(), 'service', 's1');
    expect(sources.get(ID1)).toEqual({ task: 'crashy.1', taskId: ID1, node: 'lab-m1' });
    expect(sources.get(ID2)).toEqual({ task: 'crashy.2', taskId: ID2, node: 'lab-w1' });
    expect(logSources(cluster(), 'service', 's2').get('gggggggggggg3333333333333')?.task).toBe('agent.0');
    expect(logSources(cluster(), 'task', ID1).size).toBe(1);
    expect(unknownSource(cluster(), 'zzzzzzzzzzzz9', 'm1')).toEqual({ task: '', taskId: 'zzzzzzzzzzzz9', node: 'lab-m1' });
  });

  it('the prefix: service.slot.task-id(12)@node, and where it stands in the line', () => {
    const line: LogLine = { stream: 'stdout', timestamp: '2026-01-01T00:00:00Z', task: 'crashy.1', taskId: ID1, node: 'lab-m1', text: 'boom' };
    expect(logPrefix(line)).toBe('crashy.1.aaaaaaaaaaaa@lab-m1');
    expect(formatLogLine(line, false)).toBe('crashy.1.aaaaaaaaaaaa@lab-m1 | boom');
    expect(formatLogLine(line, true)).toBe('2026-01-01T00:00:00Z crashy.1.aaaaaaaaaaaa@lab-m1 | boom');
    expect(formatLogLine(line, true, false)).toBe('2026-01-01T00:00:00Z boom');
    expect(logPrefix({ ...line, task: '', node: '' })).toBe('aaaaaaaaaaaa');
    expect(logPrefix({ stream: 'stdout', timestamp: '', task: '', text: 'x' })).toBe('');
  });
});

describe('tasks whose logs cannot be read get one line each instead of silence', () => {
  it('a task on a down node (tasks without a container are not mentioned)', () => {
    expect(unreadableTasks(cluster(), 'service', 's1', { name: '', readable: true })).toEqual([
      { source: { task: 'crashy.2', taskId: ID2, node: 'lab-w1' }, reason: 'logs cannot be fetched: node lab-w1 is down' },
    ]);
    expect(unreadableTasks(cluster(), 'task', ID1, { name: '', readable: true })).toEqual([]);
  });

  it('every task when the log driver keeps nothing to read back', () => {
    const found = unreadableTasks(cluster(), 'service', 's1', { name: 'none', readable: false });
    expect(found.map((u) => [u.source.task, u.reason])).toEqual([
      ['crashy.1', 'no logs to read: the log driver "none" keeps none the engine can read back'],
      ['crashy.2', 'no logs to read: the log driver "none" keeps none the engine can read back'],
    ]);
  });

  it('which drivers can be read back: none never; others through the cache unless it is disabled', () => {
    expect(logDriverReadable('none', {})).toBe(false);
    expect(logDriverReadable('', {})).toBe(true);
    expect(logDriverReadable('json-file', { 'cache-disabled': 'true' })).toBe(true);
    expect(logDriverReadable('syslog', {})).toBe(true);
    expect(logDriverReadable('syslog', { 'cache-disabled': 'true' })).toBe(false);
  });

  it('the engine\'s own error in the stream names the nodes it could not read', () => {
    const text = 'Error grabbing logs: rpc error: code = Unknown desc = warning: incomplete log stream. some logs could not be retrieved for the following reasons: node ms8ulkna3x173a8fx3wcxj5x9 is not available';
    expect(unavailableNodes(text)).toEqual(['ms8ulkna3x173a8fx3wcxj5x9']);
    expect(unavailableNodeTasks(cluster(), 'service', 's1', ['w1']).map((u) => u.reason)).toEqual(['logs cannot be fetched: node lab-w1 is not available']);
    // Stream 3 of the multiplexed logs is where the engine says it.
    const payload = Buffer.from(`${text}\n`);
    const header = Buffer.alloc(8);
    header[0] = 3;
    header.writeUInt32BE(payload.length, 4);
    expect(new LogDemuxer().push(Buffer.concat([header, payload]))).toEqual([{ stream: 'system', line: text }]);
  });
});

describe('colours: each task its own, swarmtop\'s notices in the warning colour', () => {
  const lines: LogLine[] = [
    { stream: 'stdout', timestamp: 't', task: 'crashy.1', taskId: ID1, node: 'lab-m1', text: 'a' },
    { stream: 'stdout', timestamp: 't', task: 'crashy.2', taskId: ID2, node: 'lab-w1', text: 'b' },
    { stream: 'stderr', timestamp: 't', task: 'crashy.2', taskId: ID2, node: 'lab-w1', text: 'logs cannot be fetched', notice: true },
  ];
  const viewer = (o: Partial<ViewerState> = {}): ViewerState => ({
    kind: 'logs', title: '', text: [], logs: lines, offset: 0, follow: true, timestamps: true, wrap: false, prefix: true,
    taskColours: new Map([[ID1, 0], [ID2, 1]]), search: '', searchInput: null, status: '', ...o,
  });

  it('the prefix span after the timestamp, in the colour of its task', () => {
    expect(logLineStyle(viewer(), 0)).toEqual({ notice: false, prefixAt: 2, prefixEnd: 2 + 'crashy.1.aaaaaaaaaaaa@lab-m1'.length, colour: 0 });
    const theme = loadTheme('default');
    const colours = logColours(viewer(), theme);
    const a = colours?.(0)?.span;
    const b = colours?.(1)?.span;
    expect(a?.color).toBe(taskColour(theme, 0));
    expect(b?.color).toBe(taskColour(theme, 1));
    expect(a?.color).not.toBe(b?.color);
    expect(colours?.(2)).toEqual({ whole: theme.color('warn') });
  });

  it('none in a monochrome theme, none with the prefix off', () => {
    expect(logColours(viewer(), loadTheme('no-color'))?.(0)).toBeNull();
    expect(logColours(viewer({ prefix: false }), loadTheme('default'))?.(0)).toBeNull();
  });
});
