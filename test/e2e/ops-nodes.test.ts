import { afterAll, describe, expect, it } from 'vitest';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { createService, nodeTarget, opsHarness, runningTasks, waitFor, waitRunning } from './ops-support.js';
import { waitForReady } from '../../lab/swarm.js';

const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const ops = opsHarness(m1);
const created: string[] = [];

afterAll(async () => {
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  await dockerCli(m1, ['node', 'update', '--availability', 'active', w1.hostname]).catch(() => undefined);
  await ops.connection.close();
});

async function nodeField(hostname: string, format: string): Promise<string> {
  return (await dockerCli(m1, ['node', 'inspect', hostname, '--format', format])).trim();
}

describe('node operations through the guarded actions', () => {
  it('promotes a worker and demotes it again (checked with docker node ls)', async () => {
    const promoted = await ops.run('node.promote', await nodeTarget(m1, w1.hostname));
    expect(promoted).toMatchObject({ kind: 'done' });
    await waitFor('w1 reachable manager', 60_000, async () => (await nodeField(w1.hostname, '{{.ManagerStatus.Reachability}}')) === 'reachable', 500);
    expect(await nodeField(w1.hostname, '{{.Spec.Role}}')).toBe('manager');

    const demoted = await ops.run('node.demote', await nodeTarget(m1, w1.hostname));
    expect(demoted).toMatchObject({ kind: 'done' });
    await waitFor('w1 worker again', 60_000, async () => (await nodeField(w1.hostname, '{{.Spec.Role}} {{if .ManagerStatus}}m{{end}}')) === 'worker', 500);
    const ls = await dockerCli(m1, ['node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}']);
    expect(ls).toMatch(new RegExp(`^${w1.hostname} $`, 'm'));
  });

  it('drains a node (its tasks move), activates it, and pauses it (new tasks avoid it)', async () => {
    const name = uniqueName('drain');
    created.push(name);
    // Four replicas on four nodes: spread puts one on the worker.
    await createService(m1, name, ['--replicas', '4', 'local/busybox:1']);
    await waitRunning(m1, name, 4);
    await waitFor('a task on w1', 30_000, async () => (await runningTasks(m1, name)).some((t) => t.node === w1.hostname), 500);

    expect(await ops.run('node.drain', await nodeTarget(m1, w1.hostname))).toMatchObject({ kind: 'done' });
    expect(await nodeField(w1.hostname, '{{.Spec.Availability}}')).toBe('drain');
    await waitFor('tasks moved off w1', 90_000, async () => {
      const rows = await runningTasks(m1, name);
      return rows.length === 4 && rows.every((r) => r.node !== w1.hostname && r.state.startsWith('Running'));
    }, 500);

    expect(await ops.run('node.activate', await nodeTarget(m1, w1.hostname))).toMatchObject({ kind: 'done' });
    expect(await nodeField(w1.hostname, '{{.Spec.Availability}}')).toBe('active');

    expect(await ops.run('node.pause', await nodeTarget(m1, w1.hostname))).toMatchObject({ kind: 'done' });
    expect(await nodeField(w1.hostname, '{{.Spec.Availability}}')).toBe('pause');
    await dockerCli(m1, ['service', 'scale', '--detach', `${name}=8`]);
    await waitRunning(m1, name, 8);
    expect((await runningTasks(m1, name)).filter((t) => t.node === w1.hostname)).toHaveLength(0);

    expect(await ops.run('node.activate', await nodeTarget(m1, w1.hostname))).toMatchObject({ kind: 'done' });
    expect(await nodeField(w1.hostname, '{{.Spec.Availability}}')).toBe('active');
  });

  it('edits labels: sets, changes and removes (k=v,k2=v2,-k3)', async () => {
    expect(await ops.run('node.labels', await nodeTarget(m1, w1.hostname), 'zone=a, tier=web')).toMatchObject({ kind: 'done' });
    expect(JSON.parse(await nodeField(w1.hostname, '{{json .Spec.Labels}}'))).toMatchObject({ zone: 'a', tier: 'web' });
    expect(await ops.run('node.labels', await nodeTarget(m1, w1.hostname), '-zone,tier=db')).toMatchObject({ kind: 'done' });
    const labels = JSON.parse(await nodeField(w1.hostname, '{{json .Spec.Labels}}')) as Record<string, string>;
    expect(labels.tier).toBe('db');
    expect(labels).not.toHaveProperty('zone');
    // The rest of the spec is kept: role and availability untouched.
    expect(await nodeField(w1.hostname, '{{.Spec.Role}} {{.Spec.Availability}}')).toBe('worker active');
    await ops.run('node.labels', await nodeTarget(m1, w1.hostname), '-tier');
  });

  it('a stale version is refused as stale and changes nothing', async () => {
    const seen = await nodeTarget(m1, w1.hostname);
    await dockerCli(m1, ['node', 'update', '--label-add', 'touched=1', w1.hostname]);
    const out = await ops.run('node.drain', seen);
    expect(out.kind).toBe('stale');
    expect(out.message).toMatch(/out of sequence/);
    expect(await nodeField(w1.hostname, '{{.Spec.Availability}}')).toBe('active');
    await dockerCli(m1, ['node', 'update', '--label-rm', 'touched', w1.hostname]);
  });

  it('removes a down node (engine stopped), then the worker rejoins', async () => {
    const before = await nodeTarget(m1, w1.hostname);
    const refused = await ops.run('node.remove', before);
    // While it is up the engine itself refuses (the UI does not even offer it).
    expect(refused.kind).toBe('failed');
    expect(refused.message).toMatch(/down|force/i);
    try {
      await lab.stopEngine('w1', 'SIGKILL');
      await waitFor('w1 Down', 120_000, async () => (await nodeField(before.id, '{{.Status.State}}')) === 'down', 1000);
      const out = await ops.run('node.remove', await nodeTarget(m1, before.id));
      expect(out).toMatchObject({ kind: 'done' });
      const ids = await dockerCli(m1, ['node', 'ls', '--format', '{{.ID}}']);
      expect(ids).not.toContain(before.id);
    } finally {
      await restoreWorker();
    }
  });
});

/** Brings w1 back as a worker (a removed node must leave and join again). */
async function restoreWorker(): Promise<void> {
  await lab.startEngine('w1');
  await waitFor('w1 engine answers', 60_000, async () => (await dockerCli(w1, ['info', '--format', '{{.ID}}'])).trim() !== '', 500);
  const present = (await dockerCli(m1, ['node', 'ls', '--format', '{{.ID}}'])).includes(
    (await dockerCli(w1, ['info', '--format', '{{.Swarm.NodeID}}'])).trim() || '<none>',
  );
  if (!present) {
    await dockerCli(w1, ['swarm', 'leave', '--force']).catch(() => undefined);
    const token = (await dockerCli(m1, ['swarm', 'join-token', '-q', 'worker'])).trim();
    await dockerCli(w1, ['swarm', 'join', '--token', token, '--advertise-addr', w1.ip, '--listen-addr', `${w1.ip}:2377`, `${m1.ip}:2377`]);
  }
  await waitForReady(m1, lab.nodes.length, 120_000);
}
