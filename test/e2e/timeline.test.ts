import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extract } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAuditLog, guardedActions } from '../../src/actions/index.js';
import { ConsoleTimeline } from '../../src/cli/console-timeline.js';
import { createConnector } from '../../src/docker/connect/index.js';
import { LiveCluster } from '../../src/docker/live/index.js';
import type { TimelineEntry } from '../../src/store/timeline/entry.js';
import { createStore } from '../../src/store/store.js';
import { emptyConnection, emptyState } from '../../src/store/state.js';
import { waitFor } from '../../lab/sh.js';
import { cliHome, ensureBuilt, runCli, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { FAULT_TIMING, nodeByHostname, serviceByName } from './setup/live-harness.js';
import { startConsole } from './setup/console-harness.js';
import { filesUnder, leaksIn } from './setup/secret-scan.js';

/**
 * The incident timeline on the real lab, as the console composes it (store, live layer, audited actions):
 * a node drained by the operator, a manager's engine killed, an update whose new tasks exit 3 and that rolls
 * back. Each step must be in the timeline in order with the right node or service, and in the bundles
 * (`swarmtop bundle` and `:bundle`), which the security scan then reads for tokens and secret values.
 */
const lab = testLab();
const m1 = lab.managers[0]!;
const victim = lab.node('m3');
const worker = lab.workers[0]!;
const service = uniqueName('tl-web');
const secretName = uniqueName('tl-secret');
const secretValue = `tl-secret-value-${process.pid}-${Date.now()}`;
const dir = mkdtempSync(join(tmpdir(), 'swarmtop-timeline-e2e-'));
const auditFile = join(dir, 'state', 'swarmtop', 'audit.jsonl');
let home: CliHome;
/** When this file began: earlier runs on the same lab are in the engine's history too, and must not count. */
const began = Date.now();

const store = createStore(emptyState(emptyConnection('lab', `unix://${m1.socket}`)));
const tl = new ConsoleTimeline({ store, auditFile });
const live = new LiveCluster({
  context: 'lab', endpoints: [{ kind: 'unix', socketPath: m1.socket }], connect: createConnector({ notice: () => undefined }),
  dispatch: (m) => store.dispatch(m), timing: FAULT_TIMING, onEvent: tl.onEvent,
});
const actions = guardedActions({ readOnly: false, audit: tl.auditSink(fileAuditLog(auditFile)) });

function entries(): readonly TimelineEntry[] {
  return tl.timeline.entries();
}

/** The newest entry's number: what a step records comes after it (the history read back may hold an earlier run's). */
function mark(): number {
  return entries().at(-1)?.seq ?? 0;
}

/** The first entry recorded after `after` matching, waited for (bounded); the failure lists what the timeline holds. */
async function entry(what: string, after: number, match: (e: TimelineEntry) => boolean, timeoutMs = 90_000): Promise<TimelineEntry> {
  try {
    return await waitFor(what, timeoutMs, () => Promise.resolve(entries().find((e) => e.seq > after && match(e))), 250);
  } catch (e) {
    const seen = entries().slice(-40).map((x) => `  ${new Date(x.at).toISOString()} ${x.source} ${x.kind} ${x.name}: ${x.text}`).join('\n');
    throw new Error(`${e instanceof Error ? e.message : String(e)}\nlast entries:\n${seen}`);
  }
}

async function labHealed(): Promise<void> {
  await waitFor('every node ready and every manager reachable', 180_000, async () => {
    const out = await dockerCli(m1, ['node', 'ls', '--format', '{{.Status}} {{.ManagerStatus}}']).catch(() => '');
    const rows = out.split('\n').filter((l) => l.trim() !== '');
    return rows.length === lab.nodes.length && rows.every((r) => r.startsWith('Ready') && !r.includes('Unreachable'));
  }, 1000);
}

interface Line { time: string; source: string; kind: string; id: string; name: string; text: string; serviceId?: string; node?: string }

async function bundleLines(file: string): Promise<{ lines: Line[]; dir: string }> {
  const out = mkdtempSync(join(dir, 'x-'));
  await extract({ file, cwd: out });
  const top = filesUnder(out).find((f) => f.endsWith('timeline.jsonl'));
  if (!top) throw new Error(`no timeline.jsonl in ${file}: ${filesUnder(out).join(', ')}`);
  return { lines: readFileSync(top, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line), dir: out };
}

beforeAll(async () => {
  ensureBuilt();
  home = cliHome('swarmtop-timeline-cli-');
  writeFileSync(join(dir, 'secret.txt'), secretValue);
  await dockerCli(m1, ['secret', 'create', secretName, join(dir, 'secret.txt')]);
  await dockerCli(m1, [
    'service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', '3', '--secret', secretName,
    '--update-failure-action', 'rollback', '--update-monitor', '5s', '--update-parallelism', '1', 'local/busybox:1', 'sleep', '1d',
  ]);
  live.start();
  void tl.loadHistory(live);
  await waitFor('the service converged in the store', 120_000, () => Promise.resolve(serviceByName(store.getState(), service)?.runningTasks === 3), 250);
});

afterAll(async () => {
  await dockerCli(m1, ['node', 'update', '--availability', 'active', worker.hostname]).catch(() => undefined);
  await lab.startEngine(victim.name).catch(() => undefined);
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
  await dockerCli(m1, ['secret', 'rm', secretName]).catch(() => undefined);
  tl.stop();
  await live.stop();
  home?.remove();
  rmSync(dir, { recursive: true, force: true });
});

describe('the incident timeline on the lab', () => {
  it('holds a drain, an engine killed and a failed update rolled back, in order, with the right node and service', async () => {
    // The history read back at start ends with where the engine's history begins.
    await entry('the history marker', 0, (e) => e.source === 'console' && e.name === 'history');
    const svc = serviceByName(store.getState(), service)!;
    const w = nodeByHostname(store.getState(), worker.hostname)!;

    // 1. The operator drains the worker through swarmtop: their action and the cluster's change.
    const step1 = mark();
    const drain = actions.find((a) => a.id === 'node.drain')!;
    const outcome = await drain.run({ connection: live.connection()!, context: 'lab', readOnly: false }, { kind: 'node', id: w.id, name: w.hostname, version: w.version }, null);
    expect(outcome.kind).toBe('done');
    const theirs = await entry('the operator\'s drain', step1, (e) => e.source === 'operator' && e.objectId === w.id && /node\.drain: done/.test(e.text));
    const drained = await entry('the worker drained', step1, (e) => e.kind === 'node' && e.objectId === w.id && e.text.includes('availability active → drain'));
    expect(drained.name).toBe(worker.hostname);
    await dockerCli(m1, ['node', 'update', '--availability', 'active', worker.hostname]);
    await entry('the worker active again', step1, (e) => e.objectId === w.id && e.text.includes('availability drain → active'));

    // 2. A manager's engine dies: its node goes down, the manager unreachable; then it comes back.
    const m3 = nodeByHostname(store.getState(), victim.hostname)!;
    const step2 = mark();
    await lab.stopEngine(victim.name, 'SIGKILL');
    let down: TimelineEntry;
    let unreachable: TimelineEntry;
    try {
      down = await entry('the killed manager down', step2, (e) => e.objectId === m3.id && e.text.startsWith('ready → down'), 120_000);
      unreachable = await entry('the killed manager unreachable', step2, (e) => e.objectId === m3.id && e.text.includes('manager reachable → unreachable'), 120_000);
    } finally {
      await lab.startEngine(victim.name);
    }
    await entry('the manager back', step2, (e) => e.objectId === m3.id && /down → ready/.test(e.text), 180_000);
    await labHealed();

    // 3. An update whose new tasks exit 3: the update fails and rolls back.
    const step3 = mark();
    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', '--args', "sh -c 'exit 3'", service]);
    const image = await entry('the image change', step3, (e) => e.source === 'engine' && e.objectId === svc.id && e.text.includes('image local/busybox:1 → local/busybox:2'));
    const failed = await entry('a new task failing', step3, (e) => e.source === 'task' && e.serviceId === svc.id && /→ failed: task: non-zero exit \(3\) · exit code 3 · on lab-/.test(e.text), 120_000);
    const rollback = await entry('the rollback', step3, (e) => e.objectId === svc.id && e.text.includes('update state updating → rollback_started'), 120_000);
    await entry('the rollback completed', step3, (e) => e.objectId === svc.id && e.text.includes('rollback_completed'), 180_000);

    expect(failed.name).toMatch(new RegExp(`^${service}\\.\\d$`));
    expect(failed.node).toMatch(/^lab-/);
    expect(failed.severity).toBe('error');
    expect(rollback.severity).toBe('error');
    expect(down.severity).toBe('error');
    // Each step after the one before, in the engine's time. The engine's loss shows twice and in no fixed
    // order: raft finds the manager unreachable within seconds, the node is down after missed heartbeats.
    const told = [theirs, drained, down, unreachable, image, failed, rollback].map((e) => `${new Date(e.at).toISOString()} #${e.seq} ${e.source} ${e.name}: ${e.text}`).join('\n');
    const before = (a: TimelineEntry, b: TimelineEntry, slackMs = 0): boolean => a.at <= b.at + slackMs;
    expect(before(drained, theirs, 2000) && before(theirs, down) && before(theirs, unreachable), told).toBe(true);
    expect(before(down, image) && before(unreachable, image) && before(image, failed), told).toBe(true);
    // The failure starts the rollback (a task's time is its node's, the event's the manager's clock).
    expect(before(failed, rollback, 1000), told).toBe(true);
    // One line per fact: the drain reported by the event and seen by the re-read is there once.
    expect(entries().filter((e) => e.seq > step1 && e.objectId === w.id && e.text.includes('availability active → drain'))).toHaveLength(1);
  });

  it('swarmtop bundle and :bundle contain the steps, and no token or secret value', async () => {
    const cliFile = join(dir, 'cli-bundle.tar.gz');
    const r = await runCli(['bundle', '--since', '30m', '-o', cliFile, '--host', `unix://${m1.socket}`], { ...home.env }, 120_000);
    expect(r.stderr).toMatch(/timeline entries/);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(cliFile);
    const cli = await bundleLines(cliFile);
    const find = (what: string, f: (l: Line) => boolean): Line => {
      const l = cli.lines.find((x) => Date.parse(x.time) >= began - 1000 && f(x));
      if (!l) throw new Error(`bundle: no ${what} in:\n${cli.lines.map((x) => `  ${x.time} ${x.source} ${x.name}: ${x.text}`).join('\n')}`);
      return l;
    };
    const drained = find('drain', (l) => l.name === worker.hostname && l.text.includes('availability active → drain'));
    const down = find('engine down', (l) => l.name === victim.hostname && l.text.includes('ready → down'));
    const image = find('image change', (l) => l.name === service && l.text.includes('image local/busybox:1 → local/busybox:2'));
    const failed = find('failed task', (l) => l.source === 'task' && l.name.startsWith(`${service}.`) && /^failed: task: non-zero exit \(3\) · exit code 3 · on lab-/.test(l.text));
    const rollback = find('rollback', (l) => l.name === service && l.text.includes('rollback_started'));
    const t = (l: Line): number => Date.parse(l.time);
    expect(t(drained)).toBeLessThanOrEqual(t(down));
    expect(t(down)).toBeLessThanOrEqual(t(image));
    expect(t(image)).toBeLessThanOrEqual(t(failed) + 1000);
    expect(t(failed)).toBeLessThanOrEqual(t(rollback) + 10_000);
    const summary = readFileSync(filesUnder(cli.dir).find((f) => f.endsWith('SUMMARY.md'))!, 'utf8');
    expect(summary).toContain('## What was unhealthy');
    expect(summary).toContain(`\`${service}\``);

    // The console's :bundle: the same window from the live timeline (it also saw the manager unreachable).
    const consoleFile = join(dir, 'console-bundle.tar.gz');
    const said = await tl.bundler(() => live.connection())('30m', consoleFile);
    expect(said).toContain(consoleFile);
    const con = await bundleLines(consoleFile);
    expect(con.lines.some((l) => l.name === victim.hostname && l.text.includes('manager reachable → unreachable'))).toBe(true);
    expect(con.lines.some((l) => l.source === 'operator' && l.text.includes('node.drain: done'))).toBe(true);
    expect(filesUnder(con.dir).some((f) => f.endsWith('audit.jsonl') && readFileSync(f, 'utf8').includes('node.drain'))).toBe(true);

    // The security scan over both bundles: no join token, no secret value.
    const token = async (role: string): Promise<string> => (await dockerCli(m1, ['swarm', 'join-token', '-q', role])).trim().split('-').at(-1)!;
    const secrets = { 'worker token': await token('worker'), 'manager token': await token('manager'), 'secret value': secretValue };
    expect(leaksIn([...filesUnder(cli.dir), ...filesUnder(con.dir)], secrets)).toEqual([]);
  });

  it('pane 9 of the real console shows it, marks the history and jumps to a node', async () => {
    const c = startConsole({ via: m1 });
    try {
      await c.waitFor('● live', 60_000);
      await c.press('9');
      await c.waitFor(/Timeline \[\d+\]/);
      // The marker sits at the oldest event the engine holds (the bottom of a newest-first list): filter for it.
      await c.press('/');
      await c.type('history starts');
      await c.press('enter');
      await c.waitFor(/console\s+history\s+engine history starts here: the oldest of the \d+ swarm event/, 30_000);
      await c.press('esc', '/');
      await c.type('availability active');
      await c.press('enter');
      const f = await c.waitFor(`node ${worker.hostname}`);
      expect(f).toMatch(/engine\*?\s+node lab-\w+\s+availability active → drain/);
      await c.press('enter');
      await c.waitFor(/Nodes \[\d+\]/);
      expect(c.statusLine()).toContain(worker.hostname);
    } finally {
      await c.stop();
    }
  });
});
