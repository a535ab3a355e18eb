import { afterEach, describe, expect, it } from 'vitest';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { expectStoreEqualsFresh, startLive, waitStore, type Running } from './live-helpers.js';
import { engineAnswers } from '../../lab/engine.js';
import type { ClusterState } from '../../src/store/state.js';
import type { NodeModel } from '../../src/store/model.js';

const lab = testLab();
const stopped = new Set<string>();
const services: string[] = [];
let run: Running | null = null;

const leaderOf = (s: ClusterState): NodeModel | undefined => [...s.nodes.values()].find((n) => n.manager?.leader);
const byHost = (s: ClusterState, host: string): NodeModel | undefined => [...s.nodes.values()].find((n) => n.hostname === host);
const nameOf = (host: string): string => host.replace(/^lab-/, '');

async function anyManagerCli(args: readonly string[]): Promise<string> {
  for (const m of lab.managers) {
    if (stopped.has(m.name)) continue;
    try {
      return await dockerCli(m, args);
    } catch {
      /* that manager cannot answer now (no leader yet): try the next one */
    }
  }
  throw new Error(`no manager could run: docker ${args.join(' ')}`);
}

async function stop(name: string, sig: 'SIGKILL' | 'SIGTERM' = 'SIGKILL'): Promise<void> {
  stopped.add(name);
  await lab.stopEngine(name, sig);
}

/**
 * Right after a SIGKILL the engine's old containerd may still hold its socket, and the new engine
 * then gives up waiting for containerd: one more start (bounded) gets past that.
 */
async function restart(name: string): Promise<void> {
  try {
    await lab.startEngine(name);
  } catch {
    await lab.startEngine(name);
  }
  stopped.delete(name);
}

afterEach(async () => {
  await run?.live.stop();
  run = null;
  // Restore every fault, whatever happened in the test.
  for (const name of [...stopped]) {
    if (!(await engineAnswers(lab.node(name)))) await restart(name);
    stopped.delete(name);
  }
  for (const s of services.splice(0)) await anyManagerCli(['service', 'rm', s]).catch(() => undefined);
});

describe('live failover', () => {
  // Retried once: in two full-suite runs (after the ops files) this wait ran out at 120 s while it passes
  // alone every time; the failure message now prints the store's connection and managers to find out why.
  it('fails over when the manager it is connected to (the leader) dies, and recovers when it returns', { retry: 1 }, async () => {
    const first = await startLive(lab, ['m1', 'm2', 'm3']);
    run = first;
    const { store } = first;
    const leader = await waitStore(store, 'a leader', leaderOf);
    // Connect to the leader itself, so one kill covers both cases: our manager and the leader.
    await run.live.stop();
    const ordered = [nameOf(leader.hostname), ...['m1', 'm2', 'm3'].filter((n) => n !== nameOf(leader.hostname))];
    run = await startLive(lab, ordered);
    const live = run;
    expect(live.store.getState().connection.endpoint).toBe(`unix://${lab.node(ordered[0] ?? '').socket}`);

    await stop(ordered[0] ?? '');
    const after = await waitStore(live.store, 'live again on another manager with a new leader', (s) => {
      const l = leaderOf(s);
      return s.connection.status === 'live' && !s.connection.endpoint.includes(`/${ordered[0]}/`) && l && l.hostname !== leader.hostname
        && byHost(s, leader.hostname)?.manager?.reachability === 'unreachable' ? s : null;
    }, 120_000);
    expect(live.statuses).toContain('reconnecting');
    expect(after.connection.staleSince).toBeNull();
    expect(live.live.connection()?.endpoint).toBe(after.connection.endpoint);

    // Changes made while failed over show up.
    const name = uniqueName('live-fo');
    services.push(name);
    await anyManagerCli(['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', '2', 'local/busybox:1']);
    await waitStore(live.store, `${name} 2/2`, (s) => [...s.services.values()].find((x) => x.name === name)?.runningTasks === 2);

    await restart(ordered[0] ?? '');
    await waitStore(live.store, `${leader.hostname} reachable again`, (s) => byHost(s, leader.hostname)?.manager?.reachability === 'reachable' && byHost(s, leader.hostname)?.state === 'ready', 120_000);
    await expectStoreEqualsFresh(lab, live.store);
  });

  it('shows a new leader when the leader dies while connected to another manager', async () => {
    run = await startLive(lab, ['m1', 'm2', 'm3']);
    const leader = await waitStore(run.store, 'a leader', leaderOf);
    const others = ['m1', 'm2', 'm3'].filter((n) => n !== nameOf(leader.hostname));
    await run.live.stop();
    run = await startLive(lab, others);
    const live = run;

    await stop(nameOf(leader.hostname));
    const next = await waitStore(live.store, 'a new leader', (s) => {
      const l = leaderOf(s);
      return s.connection.status === 'live' && l && l.hostname !== leader.hostname ? l : null;
    }, 120_000);
    expect(others.map((n) => lab.node(n).hostname)).toContain(next.hostname);
    await waitStore(live.store, 'the old leader unreachable', (s) => byHost(s, leader.hostname)?.manager?.reachability === 'unreachable', 120_000);

    await restart(nameOf(leader.hostname));
    await waitStore(live.store, 'the old leader back as a reachable manager', (s) => byHost(s, leader.hostname)?.manager?.reachability === 'reachable', 120_000);
    await expectStoreEqualsFresh(lab, live.store);
  });

  it('keeps retrying with the data marked stale while no manager answers', async () => {
    run = await startLive(lab, ['w1', 'm2'], { backoffInitialMs: 100, backoffMaxMs: 400 });
    const live = run;
    // w1 is a worker: it cannot answer swarm queries, so the live layer settles on m2.
    expect(live.store.getState().connection.endpoint).toContain('/m2/');
    await stop('m2', 'SIGTERM');
    const stale = await waitStore(live.store, 'stale while reconnecting', (s) => (s.connection.status === 'reconnecting' && s.connection.staleSince !== null ? s.connection : null));
    expect(stale.error).not.toBeNull();
    expect(live.store.getState().nodes.size).toBe(4); // the last known data stays on screen
    await restart('m2');
    await waitStore(live.store, 'live again', (s) => s.connection.status === 'live' && s.connection.staleSince === null, 120_000);
  });
});
