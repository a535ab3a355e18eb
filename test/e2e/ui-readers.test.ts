import { afterAll, describe, expect, it } from 'vitest';
import { openUnixSocket } from '../../src/docker/connection.js';
import { DockerApiError } from '../../src/docker/errors.js';
import { inspectObject } from '../../src/docker/api/inspect.js';
import { readLogs, type LogEntry } from '../../src/docker/api/logs.js';
import { waitFor } from '../../lab/sh.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';

const lab = testLab();
const m1 = lab.node('m1');
const conn = openUnixSocket(m1.socket);
const name = uniqueName('ui-logs');

afterAll(async () => {
  await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  await conn.close();
});

async function collect(q: Parameters<typeof readLogs>[1], max = 10_000): Promise<LogEntry[]> {
  const out: LogEntry[] = [];
  for await (const e of readLogs(conn, q)) {
    out.push(e);
    if (out.length >= max) break;
  }
  return out;
}

describe('inspect and logs readers against the lab', () => {
  it('creates a chatty service', async () => {
    const script = "trap 'exit 0' TERM INT; i=0; while :; do echo out-$i; echo err-$i >&2; i=$((i+1)); sleep 0.3; done";
    await dockerCli(m1, ['service', 'create', '--detach', '--name', name, '--replicas', '2', 'local/busybox:1', 'sh', '-c', script]);
    await waitFor('2 running tasks', 60_000, async () => {
      const out = await dockerCli(m1, ['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}']);
      return out.split('\n').filter((l) => l.startsWith('Running')).length === 2;
    });
  });

  it('reads service logs of every task, demultiplexing stdout and stderr', async () => {
    const id = (await dockerCli(m1, ['service', 'inspect', name, '--format', '{{.ID}}'])).trim();
    const lines = await waitFor('log lines from both tasks', 30_000, async () => {
      const got = await collect({ kind: 'service', id, follow: false, tail: 100, signal: new AbortController().signal });
      const tasks = new Set(got.map((l) => l.taskId));
      return got.some((l) => l.stream === 'stderr') && tasks.size >= 2 ? got : null;
    }, 500);
    const out = lines.find((l) => l.stream === 'stdout');
    const err = lines.find((l) => l.stream === 'stderr');
    expect(out?.text).toMatch(/^out-\d+$/);
    expect(err?.text).toMatch(/^err-\d+$/);
    expect(out?.timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(out?.taskId).toMatch(/^[a-z0-9]{25}$/);
  });

  it('follows a task until aborted', async () => {
    const taskId = (await dockerCli(m1, ['service', 'ps', name, '-q', '--no-trunc', '--filter', 'desired-state=running'])).trim().split('\n')[0] ?? '';
    const controller = new AbortController();
    const got: LogEntry[] = [];
    for await (const e of readLogs(conn, { kind: 'task', id: taskId, follow: true, tail: 0, signal: controller.signal })) {
      got.push(e);
      if (got.length >= 4) controller.abort();
    }
    expect(got.length).toBeGreaterThanOrEqual(4);
    expect(got.every((l) => /^(out|err)-\d+$/.test(l.text))).toBe(true);
  });

  it('says clearly when the object does not exist', async () => {
    await expect(collect({ kind: 'service', id: 'nope-no-such', follow: false, tail: 1, signal: new AbortController().signal }))
      .rejects.toBeInstanceOf(DockerApiError);
    await expect(inspectObject(conn, 'service', 'nope-no-such')).rejects.toMatchObject({ status: 404 });
  });

  it('inspects services, nodes, networks, stacks and the swarm without join tokens', async () => {
    const svc = await inspectObject(conn, 'service', name) as { Spec?: { Name?: string } };
    expect(svc.Spec?.Name).toBe(name);
    const nodeId = (await dockerCli(m1, ['node', 'inspect', 'self', '--format', '{{.ID}}'])).trim();
    const node = await inspectObject(conn, 'node', nodeId) as { Description?: { Hostname?: string } };
    expect(node.Description?.Hostname).toBe('lab-m1');
    const swarm = await inspectObject(conn, 'swarm', '') as { JoinTokens?: { Worker?: string } };
    expect(swarm.JoinTokens?.Worker).toBe('(hidden)');
    expect(JSON.stringify(swarm)).not.toContain('SWMTKN');
    const ingress = await inspectObject(conn, 'network', 'ingress') as { Name?: string };
    expect(ingress.Name).toBe('ingress');
    expect(await inspectObject(conn, 'stack', 'no-such-stack')).toEqual([]);
  });
});
