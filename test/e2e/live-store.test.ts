import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { expectStoreEqualsFresh, startLive, targetOf, waitStore, type Running } from './live-helpers.js';
import { runSnapshot } from '../../src/cli/snapshot.js';
import { unixConnector } from '../../src/docker/live/index.js';
import type { SnapshotJson } from '../../src/cli/snapshot-json.js';
import type { ClusterState } from '../../src/store/state.js';
import type { ServiceModel } from '../../src/store/model.js';

const lab = testLab();
const m1 = lab.node('m1');
const created = { services: [] as string[], secrets: [] as string[], configs: [] as string[], networks: [] as string[] };
let run: Running;

const PARK_LABEL = 'live-park';
const cli = (args: readonly string[]): Promise<string> => dockerCli(m1, args);
const serviceNamed = (s: ClusterState, name: string): ServiceModel | undefined => [...s.services.values()].find((x) => x.name === name);
const runningTasks = (s: ClusterState, svc: ServiceModel | undefined): number =>
  svc ? [...(s.tasksByService.get(svc.id)?.values() ?? [])].filter((t) => t.state === 'running' && t.desiredState === 'running').length : -1;

async function createService(name: string, args: readonly string[]): Promise<void> {
  created.services.push(name);
  await cli(['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--update-delay', '0s', ...args, 'local/busybox:1']);
}

beforeAll(async () => {
  // No backstop resync during these tests: events, task polls and the heartbeat must do it all.
  run = await startLive(lab, undefined, { resyncMs: 3_600_000 });
});

afterAll(async () => {
  await run?.live.stop();
  await cli(['node', 'update', '--availability', 'active', '--label-rm', 'live-rnd', 'lab-w1']).catch(() =>
    cli(['node', 'update', '--availability', 'active', 'lab-w1']).catch(() => undefined));
  for (const s of created.services) await cli(['service', 'rm', s]).catch(() => undefined);
  for (const s of created.secrets) await cli(['secret', 'rm', s]).catch(() => undefined);
  for (const c of created.configs) await cli(['config', 'rm', c]).catch(() => undefined);
  for (const n of created.networks) await cli(['network', 'rm', n]).catch(() => undefined);
});

describe('live store', () => {
  it('shows a service created, updated, scaled and removed, with its tasks', async () => {
    const name = uniqueName('live-svc');
    await createService(name, ['--replicas', '2']);
    const svc = await waitStore(run.store, `${name} 2/2 with 2 running tasks`, (s) => {
      const x = serviceNamed(s, name);
      return x && x.runningTasks === 2 && x.desiredTasks === 2 && runningTasks(s, x) === 2 ? x : null;
    });
    expect(svc.image).toBe('local/busybox:1');

    await cli(['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', name]);
    await waitStore(run.store, `${name} updated to busybox:2`, (s) => {
      const x = serviceNamed(s, name);
      const tasks = [...(s.tasksByService.get(svc.id)?.values() ?? [])].filter((t) => t.desiredState === 'running' && t.state === 'running');
      return x?.image === 'local/busybox:2' && x.updateStatus?.state === 'completed' && x.previousImage === 'local/busybox:1'
        && tasks.length === 2 && tasks.every((t) => t.image === 'local/busybox:2');
    });

    await cli(['service', 'scale', '--detach', `${name}=4`]);
    // refresh() re-reads at once (what actions call after a change): no waiting for events.
    await run.live.refresh();
    expect(serviceNamed(run.store.getState(), name)?.mode).toEqual({ kind: 'replicated', replicas: 4 });
    await waitStore(run.store, `${name} 4/4`, (s) => {
      const x = serviceNamed(s, name);
      return x?.runningTasks === 4 && x.desiredTasks === 4 && runningTasks(s, x) === 4;
    });

    await cli(['service', 'rm', name]);
    await waitStore(run.store, `${name} gone`, (s) => !serviceNamed(s, name) && !s.tasksByService.has(svc.id));
  });

  it('shows node availability changes and the tasks moving off a drained node', async () => {
    const name = uniqueName('live-glob');
    await createService(name, ['--mode', 'global']);
    const w1 = await waitStore(run.store, 'lab-w1 with a running global task', (s) => {
      const node = [...s.nodes.values()].find((n) => n.hostname === 'lab-w1');
      const svc = serviceNamed(s, name);
      const onW1 = svc && [...(s.tasksByService.get(svc.id)?.values() ?? [])].some((t) => t.nodeId === node?.id && t.state === 'running');
      return onW1 ? node : null;
    });
    try {
      await cli(['node', 'update', '--availability', 'drain', 'lab-w1']);
      await waitStore(run.store, 'lab-w1 drained, its task shut down', (s) => {
        const svc = serviceNamed(s, name);
        const tasks = [...(svc ? s.tasksByService.get(svc.id)?.values() ?? [] : [])].filter((t) => t.nodeId === w1.id);
        return s.nodes.get(w1.id)?.availability === 'drain' && tasks.every((t) => t.state !== 'running');
      });
      await cli(['node', 'update', '--availability', 'pause', 'lab-w1']);
      await waitStore(run.store, 'lab-w1 paused', (s) => s.nodes.get(w1.id)?.availability === 'pause');
    } finally {
      await cli(['node', 'update', '--availability', 'active', 'lab-w1']);
    }
    await waitStore(run.store, 'lab-w1 active again', (s) => s.nodes.get(w1.id)?.availability === 'active');
  });

  it('shows secrets, configs and networks, and which services use them', async () => {
    const secret = uniqueName('live-sec');
    const config = uniqueName('live-cfg');
    const network = uniqueName('live-net');
    created.secrets.push(secret);
    created.configs.push(config);
    created.networks.push(network);
    await dockerCli(m1, ['network', 'create', '--driver', 'overlay', network]);
    for (const [kind, n] of [['secret', secret], ['config', config]] as const) {
      execFileSync('docker', ['-H', `unix://${m1.socket}`, kind, 'create', n, '-'], { input: 'value' });
    }
    const name = uniqueName('live-user');
    await createService(name, ['--secret', secret, '--config', config, '--network', network, '--replicas', '1']);
    await waitStore(run.store, 'service with its secret, config and network', (s) => {
      const svc = serviceNamed(s, name);
      const sec = [...s.secrets.values()].find((x) => x.name === secret);
      const cfg = [...s.configs.values()].find((x) => x.name === config);
      const net = [...s.networks.values()].find((x) => x.name === network);
      return svc && sec && cfg && net && svc.secretIds.includes(sec.id) && svc.configIds.includes(cfg.id) && svc.networkIds.includes(net.id);
    });
    await cli(['service', 'rm', name]);
    await cli(['secret', 'rm', secret]);
    await cli(['config', 'rm', config]);
    await waitStore(run.store, 'secret and config removed', (s) =>
      ![...s.secrets.values()].some((x) => x.name === secret) && ![...s.configs.values()].some((x) => x.name === config));
  });

  it('parks a service whose tasks wait for a node, and shows them running once a node label meets the constraint', async () => {
    const name = uniqueName('live-park');
    await createService(name, ['--replicas', '2', '--constraint', `node.labels.${PARK_LABEL}==${name}`]);
    // Short periods, the production code paths: parked after 2 s unchanged, heartbeat every second.
    const parking = await startLive(lab, undefined, { resyncMs: 3_600_000, taskPollMs: 300, taskPollMaxMs: 600, parkAfterMs: 2000, heartbeatMs: 1000 });
    try {
      const svc = await waitStore(parking.store, `${name} with 2 pending tasks`, (s) => {
        const x = serviceNamed(s, name);
        const tasks = x ? [...(s.tasksByService.get(x.id)?.values() ?? [])] : [];
        return x && tasks.length === 2 && tasks.every((t) => t.state === 'pending') ? x : null;
      });
      await waitStore(parking.store, `${name} parked`, () => parking.live.isParked(svc.id));
      // The label is a node update: its event wakes every parked service, and their tasks are read again.
      await cli(['node', 'update', '--label-add', `${PARK_LABEL}=${name}`, 'lab-w1']);
      await waitStore(parking.store, `${name} with 2 running tasks on lab-w1`, (s) => runningTasks(s, serviceNamed(s, name)) === 2);
      expect(parking.live.isParked(svc.id)).toBe(false);
    } finally {
      await parking.live.stop();
      await cli(['node', 'update', '--label-rm', PARK_LABEL, 'lab-w1']).catch(() => undefined);
    }
  });

  it('prints a snapshot whose replicas, availability and manager status match the docker CLI', async () => {
    const name = uniqueName('live-snap');
    await createService(name, ['--replicas', '3']);
    const pending = uniqueName('live-pend');
    await createService(pending, ['--replicas', '2', '--constraint', 'node.labels.never==1']);
    await waitStore(run.store, `${name} 3/3`, (s) => serviceNamed(s, name)?.runningTasks === 3);
    let out = '';
    expect(await runSnapshot(targetOf(lab), unixConnector, { write: (t: string) => (out += t) })).toBe(0);
    const snap = JSON.parse(out) as SnapshotJson;

    const services = (await cli(['service', 'ls', '--format', '{{.Name}} {{.Replicas}}'])).trim().split('\n').map((l) => l.split(' '));
    expect(snap.services.map((s) => [s.name, s.replicas]).sort()).toEqual(services.map(([n, r]) => [n, r]).sort());
    expect(snap.services.find((s) => s.name === pending)?.replicas).toBe('0/2');

    const nodes = (await cli(['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}'])).trim().split('\n');
    const ours = snap.nodes.map((n) => [n.hostname, n.state, n.availability, n.managerStatus].join(' ').trim().toLowerCase());
    expect(ours.sort()).toEqual(nodes.map((l) => l.trim().toLowerCase()).sort());
    expect(snap.swarm).toMatchObject({ managers: 3, managersReachable: 3, quorum: 2, hasQuorum: true, faultTolerance: 1, hasWorkerToken: true });
    expect(snap.swarm.leader).toBe(nodes.find((l) => l.endsWith('Leader'))?.split(' ')[0]);
    // The CA issuer as text, decoded from the engine's base64 DER (the swarm pane shows the same).
    expect(snap.swarm.certIssuerSubject).toBe('CN=swarm-ca');
    expect(snap.swarm.toleratesNow).toBe(1);
    expect(out).not.toContain('SWMTKN');
  });

  it('equals a fresh snapshot after random operations', async () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const mine: string[] = [];
    for (let i = 0; i < 14; i++) {
      const op = mine.length === 0 ? 0 : rand(7);
      const target = mine[rand(mine.length)] ?? '';
      if (op === 0) {
        const name = uniqueName('live-rnd');
        mine.push(name);
        await createService(name, ['--replicas', String(1 + rand(3))]);
      } else if (op === 1) await cli(['service', 'scale', '--detach', `${target}=${rand(4)}`]);
      else if (op === 2) await cli(['service', 'update', '--detach', '--no-resolve-image', '--image', `local/busybox:${1 + rand(2)}`, target]);
      else if (op === 3) await cli(['service', 'update', '--detach', '--label-add', `k=${i}`, target]);
      else if (op === 5) await cli(['node', 'update', '--label-add', `live-rnd=${i}`, 'lab-w1']);
      else if (op === 6) {
        const secret = uniqueName('live-rnd-sec');
        created.secrets.push(secret);
        execFileSync('docker', ['-H', `unix://${m1.socket}`, 'secret', 'create', secret, '-'], { input: 'v' });
        if (rand(2) === 0) await cli(['secret', 'rm', secret]);
      } else {
        await cli(['service', 'rm', target]);
        mine.splice(mine.indexOf(target), 1);
      }
    }
    const t0 = Date.now();
    await expectStoreEqualsFresh(lab, run.store, 120_000);
    process.stderr.write(`[live] store equalled a fresh snapshot ${Date.now() - t0} ms after the last operation\n`);
  });
});
