import { describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/context.js';
import { parseContextsFile } from '../../src/config/contexts-file.js';
import { routeToNode, type NodeIdentity } from '../../src/config/node-endpoints.js';
import { execCommand } from '../../src/actions/exec.js';
import { DEFAULT_SHELL } from '../../src/docker/api/exec.js';
import { parseStatsSample } from '../../src/docker/api/stats.js';
import { taskStatsColumns } from '../../src/ui/panes/stats-columns.js';
import { sortRows } from '../../src/ui/panes/order.js';
import { parseCommand } from '../../src/ui/commands.js';
import type { Column, RowBase } from '../../src/ui/panes/types.js';
import type { DockerConnection } from '../../src/docker/connection.js';
import type { EndpointSpec } from '../../src/docker/endpoint.js';
import { NodeConnections, NodeUnreachableError } from '../../src/docker/nodes/connections.js';
import { ConnectError } from '../../src/docker/connect/errors.js';
import { StatsFeed } from '../../src/docker/nodes/stats-feed.js';
import type { StatsState } from '../../src/store/state.js';

const w1: NodeIdentity = { id: 'n-w1', hostname: 'lab-w1', addr: '10.99.18.5' };
const m1: NodeIdentity = { id: 'n-m1', hostname: 'lab-m1', addr: '10.99.18.2' };

function contexts(yaml: string) {
  return parseContextsFile(yaml, '/cfg/contexts.yaml', '/home/op');
}

describe('the nodes: map of a context', () => {
  it('is read with the context, and each value is checked as an endpoint URL template', () => {
    const { contexts: [ctx] } = contexts(`contexts:
  - name: lab
    managers: [ssh://ops@m1.example]
    ssh: { identityFile: ~/.ssh/lab, port: 2222 }
    nodes:
      lab-w1: unix:///run/lab/w1.sock
      "*": ssh://{addr}
`);
    expect(ctx!.nodes).toEqual({ map: { 'lab-w1': 'unix:///run/lab/w1.sock', '*': 'ssh://{addr}' }, ssh: { port: 2222, identityFile: '/home/op/.ssh/lab' } });
  });
  it('refuses an unknown placeholder, a bad URL and a non-mapping, naming the line', () => {
    const bad = (nodes: string): string => {
      try {
        contexts(`contexts:\n  - name: lab\n    managers: [unix:///s]\n    nodes:${nodes}\n`);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('\n      "*": ssh://{address}')).toMatch(/contexts\.yaml:5: nodes\.\*: .*unknown placeholder \{address\}/);
    expect(bad('\n      w1: http://{addr}:2375')).toMatch(/nodes\.w1: .*not a docker host URL/);
    expect(bad(' [a, b]')).toMatch(/"nodes" must be a mapping/);
  });
});

describe('the route to a node\'s engine', () => {
  const rules = { map: { 'lab-w1': 'unix:///run/{hostname}.sock', '*': 'tcp://{addr}:2375' }, ssh: {} };
  it('takes the node\'s id or hostname entry first, then the manager\'s own connection, then "*"', () => {
    expect(routeToNode(w1, rules, [], 'n-m1')).toEqual({ kind: 'endpoint', spec: { kind: 'unix', socketPath: '/run/lab-w1.sock' }, rule: 'nodes: lab-w1' });
    expect(routeToNode(m1, rules, [], 'n-m1')).toEqual({ kind: 'manager' });
    expect(routeToNode({ ...m1, id: 'n-m2' }, rules, [], 'n-m1')).toEqual({ kind: 'endpoint', spec: { kind: 'tcp', host: '10.99.18.2', port: 2375, tls: null }, rule: 'nodes: "*"' });
  });
  it('defaults to SSH to the node\'s address with the managers\' user and key when the context is SSH', () => {
    const managers: EndpointSpec[] = [{ kind: 'ssh', host: 'm1.example', port: 2200, user: 'ops', identityFile: '/k' }];
    const r = routeToNode(w1, undefined, managers, 'n-m1');
    expect(r).toMatchObject({ kind: 'endpoint', spec: { kind: 'ssh', host: '10.99.18.5', user: 'ops', identityFile: '/k' } });
    expect(r.kind === 'endpoint' && r.spec.kind === 'ssh' ? r.spec.port : 'x').toBeUndefined();
  });
  it('says why when nothing is configured (a unix or tcp context with no nodes: map)', () => {
    const r = routeToNode(w1, undefined, [{ kind: 'unix', socketPath: '/var/run/docker.sock' }], 'n-m1');
    expect(r).toEqual({ kind: 'none', reason: expect.stringMatching(/no endpoint configured for node lab-w1/) as unknown });
    expect(routeToNode(m1, undefined, [{ kind: 'unix', socketPath: '/var/run/docker.sock' }], 'n-m1')).toEqual({ kind: 'manager' });
  });
});

describe('node connections', () => {
  const conn = (endpoint: string): DockerConnection => ({ endpoint, docker: null as never, close: () => Promise.resolve() });
  const manager = conn('unix:///m1.sock');
  const nodes = new Map([w1, m1].map((n) => [n.id, n]));
  it('connects once per node and reuses it; the manager\'s node is the manager connection', async () => {
    const opened: string[] = [];
    const pool = new NodeConnections({
      rules: { map: { '*': 'unix:///run/{hostname}.sock' }, ssh: {} },
      managers: [],
      connector: (ep) => {
        opened.push(ep.kind === 'unix' ? ep.socketPath : '?');
        return Promise.resolve(conn(ep.kind));
      },
      manager: () => ({ connection: manager, nodeId: 'n-m1' }),
      node: (id) => nodes.get(id) ?? null,
    });
    const [a, b] = await Promise.all([pool.connect('n-w1'), pool.connect('n-w1')]);
    expect(a).toBe(b);
    expect(await pool.connect('n-w1')).toBe(a);
    expect(await pool.connect('n-m1')).toBe(manager);
    expect(opened).toEqual(['/run/lab-w1.sock']);
    await pool.close();
  });
  it('remembers a failure with its reason (auth failed, timeout) and tries again only after a while', async () => {
    let now = 0;
    let calls = 0;
    const failures = [new ConnectError('ssh://ops@10.99.18.5', 'ssh-auth', 'all authentication methods failed'), Object.assign(new Error('no answer within 15 s'), { code: 'ETIMEDOUT' })];
    const pool = new NodeConnections({
      rules: undefined,
      managers: [{ kind: 'ssh', host: 'm1', user: 'ops' }],
      connector: () => Promise.reject(failures[calls++]!),
      manager: () => ({ connection: manager, nodeId: 'n-m1' }),
      node: (id) => nodes.get(id) ?? null,
      retryAfterMs: 1000,
      now: () => now,
    });
    await expect(pool.connect('n-w1')).rejects.toThrow(/node lab-w1: auth failed — .*all authentication methods failed/);
    await expect(pool.connect('n-w1')).rejects.toBeInstanceOf(NodeUnreachableError);
    expect(calls).toBe(1);
    expect(pool.failure('n-w1')).toMatch(/auth failed/);
    now = 1500;
    await expect(pool.connect('n-w1')).rejects.toThrow(/node lab-w1: timeout/);
    expect(calls).toBe(2);
    await expect(pool.connect('nope')).rejects.toThrow(/not in the swarm's node list/);
  });
});

describe('the exec command', () => {
  it('is a shell (bash where present) by default, else the operator\'s words split as a shell would', () => {
    expect(execCommand(null)).toBe(DEFAULT_SHELL);
    expect(execCommand('  ')).toBe(DEFAULT_SHELL);
    expect(execCommand(`sh -c 'echo "a b"; hostname'`)).toEqual(['sh', '-c', 'echo "a b"; hostname']);
  });
});

describe('a stats sample', () => {
  const sample = (over: Record<string, unknown> = {}): unknown => ({
    cpu_stats: { cpu_usage: { total_usage: 3_000_000_000 }, system_cpu_usage: 20_000_000_000, online_cpus: 2 },
    precpu_stats: { cpu_usage: { total_usage: 2_000_000_000 }, system_cpu_usage: 18_000_000_000 },
    memory_stats: { usage: 50 * 2 ** 20, limit: 2 ** 30, stats: { inactive_file: 10 * 2 ** 20 } },
    ...over,
  });
  it('is CPU % of one CPU and memory without the inactive page cache, as docker stats shows them', () => {
    // 1 s of CPU in 2 s of both CPUs' time: half of the host, one whole CPU.
    expect(parseStatsSample(sample())).toEqual({ cpuPercent: 100, memUsage: 40 * 2 ** 20, memLimit: 2 ** 30 });
  });
  it('is 0 % until there is a previous sample, and nothing when the payload is not a stats object', () => {
    expect(parseStatsSample(sample({ precpu_stats: {} }))?.cpuPercent).toBe(0);
    expect(parseStatsSample({ message: 'no such container' })).toBeNull();
    expect(parseStatsSample('x')).toBeNull();
  });
});

describe('the stats columns', () => {
  const task = (id: string, state: 'running' | 'shutdown', nodeId = 'n-w1') => ({
    id, name: id, version: 1, search: id, serviceName: 's', nodeName: 'lab-w1', order: id,
    task: { id, version: 1, createdAt: 0, updatedAt: 0, serviceId: 's', slot: 1, nodeId, desiredState: state, state, stateSince: 0, message: '', err: '', image: 'i', containerId: 'c', exitCode: null },
  });
  const stats = {
    tasks: new Map([['t1', { cpuPercent: 12.34, memUsage: 5 * 2 ** 20, memLimit: 2 ** 30 }]]),
    unreachable: new Map([['n-m2', { short: 'no endpoint', reason: 'no endpoint configured for node lab-m2' }]]),
  };
  it('show a running task\'s numbers, its node\'s reason when unreachable, and nothing for a task that is not running', () => {
    const [cpu, mem] = taskStatsColumns(stats);
    expect([cpu!.cell(task('t1', 'running')), mem!.cell(task('t1', 'running'))]).toEqual(['12.3%', '5.0MiB/1.0GiB']);
    expect([cpu!.cell(task('t2', 'running', 'n-m2')), mem!.cell(task('t2', 'running', 'n-m2'))]).toEqual(['-', 'no endpoint']);
    expect(mem!.color!(task('t2', 'running', 'n-m2'))).toBe('error');
    expect([cpu!.cell(task('t3', 'shutdown')), mem!.cell(task('t3', 'shutdown'))]).toEqual(['', '']);
    expect(cpu!.sortKey(task('t1', 'running'))).toBeGreaterThan(cpu!.sortKey(task('t2', 'running', 'n-m2')) as number);
  });
});

describe('sorting by a live column', () => {
  it('follows the new numbers of the same rows (a top of a service\'s tasks)', () => {
    const row = (id: string) => ({ id, name: id, version: 1, search: id, serviceName: 's', nodeName: 'n', order: id,
      task: { id, version: 1, createdAt: 0, updatedAt: 0, serviceId: 's', slot: 1, nodeId: 'n', desiredState: 'running' as const, state: 'running' as const, stateSince: 0, message: '', err: '', image: 'i', containerId: 'c', exitCode: null } });
    const rows = [row('a'), row('b')];
    const at = (cpu: Record<string, number>) => ({ tasks: new Map(Object.entries(cpu).map(([k, v]) => [k, { cpuPercent: v, memUsage: 1, memLimit: 2 }])), unreachable: new Map() });
    const columns = (cpu: Record<string, number>): Column<RowBase>[] => [{ title: 'NAME', width: 0, cell: (r) => r.name, sortKey: (r) => r.name }, ...(taskStatsColumns(at(cpu)) as unknown as Column<RowBase>[])];
    expect(sortRows(rows, columns({ a: 90, b: 10 }), { column: 1, desc: true }).map((r) => r.id)).toEqual(['a', 'b']);
    expect(sortRows(rows, columns({ a: 5, b: 70 }), { column: 1, desc: true }).map((r) => r.id)).toEqual(['b', 'a']);
  });
});

describe('the stats feed', () => {
  it('shows an unreachable node\'s reason, tries it again after a pause while its task is on screen, and not once it is off', async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      const published: StatsState[] = [];
      const feed = new StatsFeed({
        nodes: { connect: () => ((calls += 1), Promise.reject(new NodeUnreachableError('node lab-w1: timeout — no answer within 15 s'))), failure: () => null, close: () => Promise.resolve() },
        publish: (s) => published.push(s),
      });
      const target = { taskId: 't1', nodeId: 'n-w1', containerId: 'c1' };
      feed.want([target]);
      await vi.advanceTimersByTimeAsync(0);
      expect(published.at(-1)?.unreachable.get('n-w1')).toEqual({ short: 'timeout', reason: 'node lab-w1: timeout — no answer within 15 s' });
      expect(feed.openStreams()).toBe(0);
      await vi.advanceTimersByTimeAsync(31_000);
      expect(calls).toBe(2);
      feed.want([]);
      await vi.advanceTimersByTimeAsync(61_000);
      expect(calls).toBe(2);
      feed.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe(':top', () => {
  it('sorts by cpu (the default) or mem, and says what else it takes', () => {
    expect(parseCommand('top', [])).toEqual({ kind: 'top', by: 'cpu' });
    expect(parseCommand(':top mem', [])).toEqual({ kind: 'top', by: 'mem' });
    expect(parseCommand('top disk', [])).toEqual({ kind: 'error', message: ':top sorts by cpu or mem, not "disk"' });
  });
});
