import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { expectStoreEqualsFresh, waitStore } from './live-helpers.js';
import { LiveCluster, unixConnector } from '../../src/docker/live/index.js';
import type { SwarmEvent } from '../../src/docker/api/events.js';
import type { ClusterMessage } from '../../src/store/messages.js';
import { createStore, type Store } from '../../src/store/store.js';

const lab = testLab();
const m1 = lab.node('m1');
const created = { services: [] as string[], secrets: [] as string[] };
let live: LiveCluster | null = null;
let proxy: SocketProxy | null = null;

const cli = (args: readonly string[]): Promise<string> => dockerCli(m1, args);

/**
 * A unix socket in front of m1's engine socket: `cut()` drops every connection through it and stops
 * listening (the engine itself keeps running, with its event log), `restore()` listens again. A real
 * transport fault between the console and a manager, without restarting the manager.
 */
class SocketProxy {
  readonly path = join(tmpdir(), `swarmtop-live-proxy-${process.pid}-${Date.now()}.sock`);
  private server: Server | null = null;
  private readonly open = new Set<Socket>();

  constructor(private readonly target: string) {}

  async restore(): Promise<void> {
    rmSync(this.path, { force: true });
    const server = createServer((client) => {
      const upstream = connect(this.target);
      this.open.add(client).add(upstream);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        this.open.delete(client);
        this.open.delete(upstream);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(this.path, resolve));
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.open) s.destroy();
    this.open.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }
}

function startLive(socketPath: string, store: Store, extra: { onEvent?: (e: SwarmEvent) => void; coalesceMs?: number; batches?: (readonly ClusterMessage[])[] }): LiveCluster {
  const cluster = new LiveCluster({
    context: 'lab',
    endpoints: [{ kind: 'unix', socketPath }],
    connect: unixConnector,
    dispatch: (m) => {
      extra.batches?.push(m);
      store.dispatch(m);
    },
    // No backstop resync: only the resumed events and the reconnect's re-read may bring changes in.
    timing: { backoffInitialMs: 100, backoffMaxMs: 500, resyncMs: 3_600_000, ...(extra.coalesceMs ? { coalesceMs: extra.coalesceMs } : {}) },
    onEvent: extra.onEvent,
  });
  cluster.start();
  return cluster;
}

afterEach(async () => {
  await live?.stop();
  live = null;
  await proxy?.cut();
  proxy = null;
});

afterAll(async () => {
  for (const s of created.services) await cli(['service', 'rm', s]).catch(() => undefined);
  for (const s of created.secrets) await cli(['secret', 'rm', s]).catch(() => undefined);
});

describe('live resume', () => {
  it('marks the data stale while cut off, resumes events from the last one seen, then equals a fresh snapshot', async () => {
    proxy = new SocketProxy(m1.socket);
    await proxy.restore();
    const store = createStore();
    const events: SwarmEvent[] = [];
    live = startLive(proxy.path, store, { onEvent: (e) => events.push(e) });
    expect(await live.whenLive(30_000)).toBe(true);
    // An event before the cut, so the resume point is an event's own time.
    const before = uniqueName('live-res-a');
    created.services.push(before);
    await cli(['service', 'create', '--detach', '--no-resolve-image', '--name', before, '--replicas', '1', 'local/busybox:1']);
    await waitStore(store, `${before} seen`, (s) => [...s.services.values()].some((x) => x.name === before));

    await proxy.cut();
    const stale = await waitStore(store, 'stale while cut off', (s) => (s.connection.status === 'reconnecting' && s.connection.staleSince !== null ? s.connection : null));
    expect(stale.staleSince).toBeLessThanOrEqual(Date.now()); // the header shows now - staleSince as the age
    expect(stale.error).not.toBeNull();
    expect(store.getState().services.size).toBeGreaterThan(0); // the last known data stays

    // Changed while cut off: only the resumed event stream (or the re-read) can bring these in.
    const during = uniqueName('live-res-b');
    created.services.push(during);
    await cli(['service', 'create', '--detach', '--no-resolve-image', '--name', during, '--replicas', '2', 'local/busybox:1']);
    await cli(['service', 'rm', before]);
    const cutAt = Date.now();
    const seenBefore = events.length;

    await proxy.restore();
    await waitStore(store, 'live again', (s) => s.connection.status === 'live' && s.connection.staleSince === null);
    // The engine replayed what happened while we were away (GET /events?since=<last event seen>).
    const replayed = await waitStore(store, `the create of ${during} replayed`, () =>
      events.slice(seenBefore).find((e) => e.kind === 'service' && e.action === 'create' && e.name === during));
    expect(replayed.at).toBeLessThanOrEqual(cutAt);
    expect(events.slice(seenBefore).some((e) => e.kind === 'service' && e.action === 'remove' && e.name === before)).toBe(true);

    await waitStore(store, `${during} 2/2 and ${before} gone`, (s) => {
      const names = [...s.services.values()];
      return names.find((x) => x.name === during)?.runningTasks === 2 && !names.some((x) => x.name === before);
    });
    await expectStoreEqualsFresh(lab, store);
  });

  it('keeps the contact time moving with its heartbeat while nothing changes', async () => {
    const store = createStore();
    live = new LiveCluster({ context: 'lab', endpoints: [{ kind: 'unix', socketPath: m1.socket }], connect: unixConnector, dispatch: (m) => store.dispatch(m), timing: { heartbeatMs: 300, resyncMs: 3_600_000 } });
    live.start();
    expect(await live.whenLive(30_000)).toBe(true);
    const seen = new Set<number>();
    // Idle cluster, no backstop: only the heartbeat answers can move the contact time (three times here).
    await waitStore(store, 'three heartbeats', (s) => {
      if (s.connection.lastContactAt > 0) seen.add(s.connection.lastContactAt);
      return seen.size >= 4;
    }, 60_000);
  });

  it('coalesces a burst of events into few dispatches', async () => {
    const store = createStore();
    const batches: (readonly ClusterMessage[])[] = [];
    // A wide window, so the burst lands in one or two batches however slowly the CLI runs here.
    live = startLive(m1.socket, store, { coalesceMs: 2000, batches });
    expect(await live.whenLive(30_000)).toBe(true);
    const names = Array.from({ length: 10 }, () => uniqueName('live-burst'));
    created.secrets.push(...names);
    const startBatch = batches.length;
    await Promise.all(names.map((n) => cli(['secret', 'create', '--label', 'burst=1', n, '/etc/hostname'])));
    await waitStore(store, 'all 10 secrets', (s) => names.every((n) => [...s.secrets.values()].some((x) => x.name === n)));
    const withSecrets = batches.slice(startBatch).filter((b) => b.some((m) => m.type === 'upsert' && m.kind === 'secret'));
    // Ten events, far fewer store updates: each dispatch carries several of them.
    expect(withSecrets.length).toBeLessThan(names.length);
    expect(Math.max(...withSecrets.map((b) => b.filter((m) => m.type === 'upsert' && m.kind === 'secret').length))).toBeGreaterThan(1);
  });
});
