import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { createConnector } from '../../src/docker/connect/connector.js';
import type { DockerConnection } from '../../src/docker/connection.js';
import type { NodeEndpointRules } from '../../src/docker/endpoint.js';
import { NodeConnections } from '../../src/docker/nodes/connections.js';
import { StatsFeed, type StatsTarget } from '../../src/docker/nodes/stats-feed.js';
import type { StatsState } from '../../src/store/state.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { startInPty, stopApp, type PtyRun } from './setup/pty.js';

/**
 * Live CPU and memory of tasks on another node, from that node's own engine (its socket named in the
 * context's nodes: map): a busy task (a shell loop, ended by a timeout) shows CPU well above zero, both
 * in the feed and in the console's tasks and nodes panes; its stream closes when it leaves the screen;
 * a node with no endpoint gives its reason instead of numbers.
 */
const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const busy = uniqueName('reach-busy');
let target: StatsTarget;
let h: CliHome | null = null;
let run: PtyRun | null = null;

async function busyTask(): Promise<StatsTarget> {
  const line = await waitFor('the busy task running on the worker', 120_000, async () => {
    const out = (await dockerCli(m1, ['service', 'ps', busy, '--no-trunc', '--filter', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}}'])).trim();
    return /^\w+ Running/.test(out) ? out : null;
  }, 1000);
  const taskId = line.split(' ')[0]!;
  const fmt = '{{.NodeID}} {{.Status.ContainerStatus.ContainerID}}';
  const [nodeId = '', containerId = ''] = (await dockerCli(m1, ['inspect', taskId, '--format', fmt])).trim().split(' ');
  return { taskId, nodeId, containerId };
}

beforeAll(async () => {
  // Bounded: the loop ends by itself after two minutes even if nothing removes the service.
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', busy, '--replicas', '1', '--constraint', 'node.role==worker',
    '--restart-condition', 'none', 'local/busybox:1', 'sh', '-c', '(sleep 120; kill $$) & while :; do :; done']);
  target = await busyTask();
});
afterAll(async () => {
  await stopApp(run);
  run?.close();
  h?.remove();
  await dockerCli(m1, ['service', 'rm', busy]).catch(() => undefined);
});

function pool(rules: NodeEndpointRules | undefined, manager: DockerConnection): NodeConnections {
  return new NodeConnections({
    rules,
    managers: [{ kind: 'unix', socketPath: m1.socket }],
    connector: createConnector({ env: {} }),
    manager: () => ({ connection: manager, nodeId: 'not-a-node' }),
    node: (id) => (id === target.nodeId ? { id, hostname: w1.hostname, addr: w1.ip } : null),
  });
}

describe('the stats feed on the lab', () => {
  it('streams a busy task\'s CPU from its node, and closes the stream when it is no longer wanted', async () => {
    const manager = await createConnector({ env: {} })({ kind: 'unix', socketPath: m1.socket });
    const nodes = pool({ map: { [w1.hostname]: `unix://${w1.socket}` }, ssh: {} }, manager);
    let latest: StatsState | null = null;
    const feed = new StatsFeed({ nodes, publish: (s) => (latest = s), intervalMs: 250 });
    try {
      feed.want([target]);
      expect(feed.openStreams()).toBe(1);
      const s = await waitFor('a CPU sample above 20%', 30_000, () => Promise.resolve(latest?.tasks.get(target.taskId) ?? null).then((x) => (x && x.cpuPercent > 20 ? x : null)), 250);
      expect(s.memUsage).toBeGreaterThan(0);
      expect(s.memLimit).toBeGreaterThanOrEqual(s.memUsage);
      feed.want([]);
      expect(feed.openStreams()).toBe(0);
      expect(latest!.tasks.size).toBe(0);
    } finally {
      feed.stop();
      await nodes.close();
      await manager.close();
    }
  });

  it('gives the reason of a node it cannot reach instead of numbers', async () => {
    const manager = await createConnector({ env: {} })({ kind: 'unix', socketPath: m1.socket });
    const nodes = pool(undefined, manager);
    let latest: StatsState | null = null;
    const feed = new StatsFeed({ nodes, publish: (s) => (latest = s), intervalMs: 250 });
    try {
      feed.want([target]);
      const failure = await waitFor('the reason', 10_000, () => Promise.resolve(latest?.unreachable.get(target.nodeId) ?? null), 100);
      expect(failure.short).toBe('no endpoint');
      expect(failure.reason).toMatch(new RegExp(`no endpoint configured for node ${w1.hostname}`));
      expect(latest!.tasks.size).toBe(0);
    } finally {
      feed.stop();
      await nodes.close();
      await manager.close();
    }
  });
});

describe('the console shows live CPU and memory (real pty)', () => {
  it('in the tasks pane for the visible task, and summed per node in the nodes pane', async () => {
    ensureBuilt();
    h = cliHome('reach-stats-');
    writeFileSync(h.contextsFile, `contexts:\n  - name: lab\n    managers: [unix://${m1.socket}]\n    nodes:\n      ${w1.hostname}: unix://${w1.socket}\n`);
    run = startInPty('reach-stats', [process.execPath, BIN, '--context', 'lab'], h.env, REPO);
    const r = run;
    const screen = (re: RegExp, what: string): Promise<string> => waitFor(what, 60_000, () => Promise.resolve(re.exec(r.screen())?.[0] ?? null), 250).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${r.screen()}`);
    });
    await screen(/managers 3\/3/, 'the console live');
    r.keys(':');
    r.keys('-l', 'tasks');
    r.keys('Enter');
    await screen(/^Tasks \[/m, 'the tasks pane');
    r.keys('/');
    r.keys('-l', busy);
    r.keys('Enter');
    // The row: ... running  SINCE  CPU  MEM ... with CPU well above zero (a shell loop keeps one CPU busy).
    const row = await screen(new RegExp(`${w1.hostname} +running +running +\\S+ +(?:[2-9]\\d|1\\d\\d)(?:\\.\\d)?% +\\S+/\\S+`), 'the busy task\'s CPU');
    expect(row).toMatch(/iB\//);
    r.keys('Escape');
    r.keys('1');
    await screen(/^Nodes \[/m, 'the nodes pane');
    // lab-w1's use, as a share of its CPUs, is above zero; the managers' are too (their sums are of no task: blank).
    await screen(new RegExp(`^${w1.hostname} .* [1-9]\\d*(?:\\.\\d)?% +\\S+iB`, 'm'), 'the worker\'s use');
    // :top on the service: its running tasks, highest CPU first.
    r.keys('2');
    await screen(/^Services \[/m, 'the services pane');
    r.keys('/');
    r.keys(...Array<string>(40).fill('BSpace'));
    r.keys('-l', busy);
    r.keys('Enter');
    await screen(/^Services \[1(\/\d+)?\]/m, 'the service selected');
    r.keys(':');
    r.keys('-l', 'top');
    r.keys('Enter');
    await screen(new RegExp(`^Tasks of service ${busy}.*current only`, 'm'), 'its tasks');
    await screen(/ CPU↓ /, 'sorted by CPU, highest first');
    await screen(new RegExp(`${w1.hostname} +running +running +\\S+ +\\d+(?:\\.\\d)?%`), 'the busy task\'s CPU');
    r.keys('q');
    const { code } = await r.exited(30_000);
    expect(code).toBe(0);
  });
});
