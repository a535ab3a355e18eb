import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectWhy } from '../../src/store/selectors/why.js';
import type { ClusterState } from '../../src/store/state.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { serviceByName, startLive, unixEndpoints, type LiveHarness } from './setup/live-harness.js';

/**
 * "Why is it not converged?" on the real lab, one service per case, each read by the live layer into the
 * store and explained by the pure selector: what the engine reports (task errors, update status, node
 * resources) in the words the WHY column shows.
 */
const lab = testLab();
const m1 = lab.managers[0]!;
const names = {
  constraint: uniqueName('why-constraint'),
  resources: uniqueName('why-resources'),
  image: uniqueName('why-image'),
  crashEvery: uniqueName('why-crash-all'),
  crashOne: uniqueName('why-crash-one'),
  paused: uniqueName('why-paused'),
  delay: uniqueName('why-delay'),
  maxPerNode: uniqueName('why-max'),
};
let h: LiveHarness;

const create = (name: string, args: readonly string[]): Promise<string> => dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', name, ...args]);
const rm = (name: string): Promise<string> => dockerCli(m1, ['service', 'rm', name]).catch(() => '');

/** Waits (bounded) until the service's WHY matches; the failure says what it was instead. */
async function why(name: string, pattern: RegExp, timeoutMs = 120_000): Promise<string> {
  let last = '';
  try {
    return await h.until(`${name}: WHY ${pattern}`, timeoutMs, (s: ClusterState) => {
      const svc = serviceByName(s, name);
      last = svc ? selectWhy(s, svc.id)?.summary ?? '(converged or no counts)' : '(not in the store)';
      return pattern.test(last) ? last : null;
    });
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}; its WHY was: ${last}`);
  }
}

beforeAll(async () => {
  const sleeper = ['local/busybox:1', 'sleep', '1d'];
  await Promise.all([
    create(names.constraint, ['--constraint', 'node.labels.why-gpu==yes', ...sleeper]),
    create(names.resources, ['--reserve-memory', '400g', ...sleeper]),
    create(names.image, ['local/why-missing:9', 'sleep', '1d']),
    create(names.maxPerNode, ['--replicas', String(lab.nodes.length + 2), '--replicas-max-per-node', '1', ...sleeper]),
    create(names.paused, ['--replicas', '3', '--update-failure-action', 'pause', '--update-monitor', '5s', '--update-parallelism', '1', ...sleeper]),
    create(names.delay, ['--replicas', '3', '--update-delay', '90s', '--update-parallelism', '1', ...sleeper]),
  ]);
  h = startLive(unixEndpoints([m1]));
  await h.until('live', 60_000, (s) => s.connection.status === 'live');
});

afterAll(async () => {
  await Promise.all(Object.values(names).map(rm));
  await h?.stop();
});

describe('why not converged, on the lab', () => {
  it('a constraint no node meets', async () => {
    expect(await why(names.constraint, /^no suitable node \(constraint node\.labels\.why-gpu==yes: 0 of \d nodes match\)$/)).toContain(`0 of ${lab.nodes.length} nodes`);
  });

  it('a reservation no node can hold, with the largest free', async () => {
    await why(names.resources, /^insufficient resources \(memory 400 GiB reserved, largest free [\d.]+ [GM]iB on lab-\w+\)$/);
  });

  it('an image no node has', async () => {
    await why(names.image, /^image local\/why-missing:9 not found on lab-\w+/);
  });

  it('max_replicas_per_node with the eligible nodes', async () => {
    await why(names.maxPerNode, new RegExp(`^max_replicas_per_node 1 with ${lab.nodes.length} eligible nodes for ${lab.nodes.length + 2} replicas$`));
  });

  it('an update that paused on failures, with how far it got', async () => {
    await h.until('three running', 120_000, (s) => serviceByName(s, names.paused)?.runningTasks === 3);
    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', '--args', "sh -c 'exit 3'", names.paused]);
    await why(names.paused, /^update paused: [1-3] of 3 updated, failure ratio exceeded$/);
    await rm(names.paused);
  });

  it('between two batches: waiting for the update delay', async () => {
    await h.until('three running', 120_000, (s) => serviceByName(s, names.delay)?.runningTasks === 3);
    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', names.delay]);
    await why(names.delay, /^waiting for update delay 90s \(1 of 3 updated\)$/);
  });

  it('a crash loop on every node (the image) and on one node only (the node)', async () => {
    // The same command everywhere; then one that fails only where the node's hostname says so.
    await create(names.crashEvery, ['--replicas', '2', 'local/busybox:1', 'sh', '-c', 'exit 3']);
    await why(names.crashEvery, /^crash loop: \d+ failures in \d+ min, exit code 3, on every node$/);
    await rm(names.crashEvery);
    const bad = lab.workers[0] ?? lab.managers[1]!;
    await create(names.crashOne, [
      '--replicas', String(lab.nodes.length), '--replicas-max-per-node', '1', '--env', 'NODE={{.Node.Hostname}}',
      'local/busybox:1', 'sh', '-c', `if [ "$NODE" = ${bad.hostname} ]; then exit 4; fi; sleep 1d`,
    ]);
    await why(names.crashOne, new RegExp(`^crash loop: \\d+ failures in [\\w ]+, exit code 4, failures only on ${bad.hostname}$`));
    await rm(names.crashOne);
  });
});
