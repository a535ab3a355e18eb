import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { list } from 'tar';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAuditLine } from '../../src/actions/audit-read.js';
import { parseCliArgs } from '../../src/cli/args.js';
import { parseSince } from '../../src/cli/bundle/assemble.js';
import { bundleFiles, safeFileName } from '../../src/cli/bundle/build.js';
import { writeBundle } from '../../src/cli/bundle/write.js';
import { Timeline } from '../../src/store/timeline/timeline.js';
import { clusterState, makeManager, makeNode, makeService, makeTask } from '../fixtures/cluster.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const T0 = Date.parse('2026-03-01T10:00:00Z');

function input() {
  const state = clusterState({
    nodes: [makeManager('m1', true, { hostname: 'lab-m1' }), makeNode({ id: 'w1', hostname: 'lab-w1', state: 'down' })],
    services: [
      makeService({ id: 'web', name: 'web', runningTasks: 1, desiredTasks: 1 }),
      makeService({ id: 'bad', name: 'bad/../x', runningTasks: 0, desiredTasks: 2, constraints: ['node.labels.gpu==yes'] }),
    ],
    tasks: [makeTask({ id: 'p', serviceId: 'bad', state: 'pending', err: 'no suitable node (scheduling constraints not satisfied on 2 nodes)' })],
  });
  const t = new Timeline();
  t.add([
    { at: T0 + 1000, source: 'engine', severity: 'warn', kind: 'node', objectId: 'w1', name: 'lab-w1', text: 'availability active → drain' },
    { at: T0 + 1500, source: 'engine', severity: 'warn', kind: 'service', objectId: 'z', name: 'evil\x1b]0;PWNED\x07', text: 'removed' },
    { at: T0 + 2000, source: 'task', severity: 'info', kind: 'task', objectId: 'x', name: 'web.1', text: 'new task, running: on lab-m1' },
    { at: T0 + 3000, source: 'operator', severity: 'info', kind: 'node', objectId: 'w1', name: 'lab-w1', text: 'ops: node.drain: done' },
  ]);
  const raw = JSON.stringify({ time: new Date(T0 + 3000).toISOString(), context: 'default', user: 'ops', action: 'node.drain', target: { kind: 'node', id: 'w1', name: 'lab-w1' }, input: null, result: 'done', message: 'drained' });
  return {
    state, entries: t.entries(), audit: [{ action: parseAuditLine(raw)!, raw }],
    logs: new Map([['bad/../x', ['2026-03-01T10:00:01Z bad.1 | boom \x1b]0;PWNED\x07 \x1b[31mred']]]),
    logErrors: new Map([['other', 'no such service']]), since: T0, until: T0 + 60_000, historyNote: null, tool: { version: '0.1.0', endpoint: 'unix:///m1.sock' },
  };
}

describe('the incident bundle', () => {
  it('holds a summary, the snapshot, the timeline, the audit lines, versions and logs', () => {
    const files = bundleFiles(input());
    expect(files.map((f) => f.name)).toEqual(['SUMMARY.md', 'snapshot.json', 'timeline.jsonl', 'audit.jsonl', 'versions.json', 'logs/bad_.._x.log', 'logs/ERRORS.txt']);
    const summary = files[0]!.content;
    expect(summary).toContain('## What was unhealthy');
    expect(summary).toContain('- nodes: 1/2 ready — not ready: lab-w1 (down)');
    expect(summary).toContain("`bad/../x` 0/2: no suitable node (constraint node.labels.gpu==yes: 0 of 2 nodes match)");
    expect(summary).toContain('**warn** node `lab-w1` availability active → drain');
    expect(summary).not.toContain('new task, running');
    expect(summary).toMatch(/## What the operator did \(1\)\n\n- 2026-03-01T10:00:03Z node `lab-w1` ops: node\.drain: done/);
    const timeline = files[2]!.content.trim().split('\n').map((l) => JSON.parse(l) as { source: string });
    expect(timeline.map((e) => e.source)).toEqual(['engine', 'engine', 'task', 'operator']);
    expect(summary).not.toContain('\x1b');
    // Log text is cleaned: `cat` of a bundle cannot retitle a terminal or colour it.
    expect(files[5]!.content).not.toContain('\x1b');
    expect(JSON.parse(files[4]!.content)).toMatchObject({ swarmtop: '0.1.0', nodes: [{ hostname: 'lab-m1' }, { hostname: 'lab-w1', state: 'down' }] });
  });

  it('is one tar.gz, 0600, under one directory', async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmtop-bundle-test-'));
    const out = join(dir, 'b.tar.gz');
    await writeBundle(bundleFiles(input()), out, 'swarmtop-bundle-x');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const names: string[] = [];
    await list({ file: out, onReadEntry: (e) => void names.push(e.path) });
    expect(names).toContain('swarmtop-bundle-x/SUMMARY.md');
    expect(names).toContain('swarmtop-bundle-x/logs/bad_.._x.log');
    expect(names.every((n) => n.startsWith('swarmtop-bundle-x/'))).toBe(true);
  });

  it('names files safely and reads windows as durations or times', () => {
    expect(safeFileName('../../etc/passwd')).toBe('__.._etc_passwd');
    expect(safeFileName('')).toBe('_');
    expect(parseSince('30m', T0)).toBe(T0 - 30 * 60_000);
    expect(parseSince('2h', T0)).toBe(T0 - 2 * 3_600_000);
    expect(parseSince('2026-03-01T09:00:00Z', T0)).toBe(T0 - 3_600_000);
    expect(parseSince('soon', T0)).toBeNull();
    expect(parseSince('2027-01-01T00:00:00Z', T0)).toBeNull();
  });

  it('`swarmtop bundle` is a command group with its own options', () => {
    const o = parseCliArgs(['--context', 'prod', 'bundle', '--since', '1h', '-o', 'x.tar.gz']);
    expect(o.command).toBe('group');
    expect(o.group).toEqual({ name: 'bundle', argv: ['--since', '1h', '-o', 'x.tar.gz'] });
    expect(o.context).toBe('prod');
  });
});
