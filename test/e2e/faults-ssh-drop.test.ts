import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guardedActions, type AuditEntry } from '../../src/actions/index.js';
import type { ActionContext, ActionSpec, ActionTarget } from '../../src/actions/types.js';
import { NonInteractivePrompter } from '../../src/config/prompter.js';
import { createConnector } from '../../src/docker/connect/connector.js';
import type { DockerConnection } from '../../src/docker/connection.js';
import type { EndpointSpec } from '../../src/docker/endpoint.js';
import { waitFor } from '../../lab/sh.js';
import { expectStoreEqualsFresh } from './live-helpers.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { serviceByName, startLive, type LiveHarness } from './setup/live-harness.js';
import { cookedMode, startInPty, terminalRestored, type PtyRun } from './setup/pty.js';
import { startSshPeer, type SshPeer } from './setup/peers/sshd.js';

/**
 * The console's one SSH connection drops (the sshd process serving it is killed; the listener is frozen
 * so the outage lasts): nothing crashes, the data is kept but marked stale, and once sshd answers again
 * the live layer reconnects by itself and its store equals a fresh snapshot. No lost actions: one issued
 * while disconnected fails with a clear message (and is never done later), one issued after recovery is
 * done exactly once.
 */
const lab = testLab();
const m1 = lab.managers[0]!;
let peer: SshPeer;
const services: string[] = [];
const audit: AuditEntry[] = [];
const actions = guardedActions({ readOnly: false, audit: (e) => Promise.resolve(void audit.push(e)) });
const scale = actions.find((a) => a.id === 'service.scale') as ActionSpec;

beforeAll(async () => {
  peer = await startSshPeer({ dockerSocket: m1.socket });
  writeFileSync(join(peer.dir, 'known_hosts'), `${peer.knownHostsLine}\n`);
});
afterAll(async () => {
  thaw();
  for (const name of services) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  await peer?.stop();
});

const sshEndpoint = (): Extract<EndpointSpec, { kind: 'ssh' }> => ({ kind: 'ssh', host: '127.0.0.1', port: peer.port, user: 'root', identityFile: peer.clientKey, socketPath: m1.socket });
const sshConnector = () =>
  createConnector({ env: {}, home: peer.dir, knownHostsFiles: [join(peer.dir, 'known_hosts')], sshConfigFile: join(peer.dir, 'no-config'), prompter: new NonInteractivePrompter(), notice: () => {}, connectTimeoutMs: 3000 });

/** The real binary in a pty, on a context whose one manager is the SSH peer; `see` fails with the screen. */
function consoleOverSsh(tag: string): { h: CliHome; run: PtyRun; see: (what: string, ms: number, check: () => boolean) => Promise<boolean> } {
  ensureBuilt();
  const h = cliHome(`${tag}-`);
  mkdirSync(join(h.home, '.ssh'), { recursive: true });
  writeFileSync(join(h.home, '.ssh', 'known_hosts'), `${peer.knownHostsLine}\n`);
  writeFileSync(h.contextsFile, ['contexts:', '  - name: sshlab', '    managers:', `      - ssh://root@127.0.0.1:${peer.port}`, `    socket: ${m1.socket}`, `    ssh: { identityFile: ${peer.clientKey} }`, ''].join('\n'));
  const run = startInPty(tag, [process.execPath, BIN, '--context', 'sshlab'], h.env, REPO);
  const see = (what: string, ms: number, check: () => boolean): Promise<boolean> =>
    waitFor(what, ms, () => Promise.resolve(check()), 200).catch((e: unknown) => {
      throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${run.screen()}`);
    });
  return { h, run, see };
}

/** The console has exited with 0 within `ms` and left the terminal as it found it. */
async function expectExitedRestored(run: PtyRun, ms: number): Promise<void> {
  const { code, stty } = await run.exited(ms).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${run.screen()}`);
  });
  expect(code).toBe(0);
  expect(terminalRestored(run.raw())).toEqual({ leftAltScreen: true, cursorShown: true, pasteModeOff: true });
  expect(cookedMode(stty)).toBe(true);
}

const listenerPid = (): number => Number(readFileSync(join(peer.dir, 'sshd.pid'), 'utf8').trim());
function descendants(pid: number): number[] {
  let kids: number[] = [];
  try {
    kids = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    // no children
  }
  return kids.flatMap((k) => [k, ...descendants(k)]);
}
/** Kills every sshd process serving a connection (the listener stays): the client's TCP connection drops. */
function killServingSshd(): number {
  const pids = descendants(listenerPid());
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids.length;
}
let frozen = false;
/** The listener stops answering (new connections hang in the backlog) until thaw(). */
function freeze(): void {
  process.kill(listenerPid(), 'SIGSTOP');
  frozen = true;
}
function thaw(): void {
  if (frozen && peer) process.kill(listenerPid(), 'SIGCONT');
  frozen = false;
}

async function replicasByCli(name: string): Promise<number> {
  return Number((await dockerCli(m1, ['service', 'inspect', name, '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim());
}

/** As the console composes it (src/cli/console-session.ts): actions go to the live connection, or nowhere. */
const actionContext = (h: LiveHarness): ActionContext | null => {
  const connection = h.live.connection();
  return connection ? { connection, context: 'faults-ssh', readOnly: false } : null;
};

async function pendingService(): Promise<string> {
  const name = uniqueName('ssh-drop');
  services.push(name);
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', '1', '--constraint', 'node.labels.never==1', 'local/busybox:1']);
  return name;
}

/** A context on a live connection that has stayed the current one for `steadyMs`. */
async function steadyContext(h: LiveHarness, steadyMs: number, timeoutMs: number): Promise<ActionContext> {
  let seen: { ctx: ActionContext; since: number } | null = null;
  return h.until('a connection to act on, current for a while', timeoutMs, (st) => {
    const ctx = st.connection.status === 'live' ? actionContext(h) : null;
    if (!ctx) seen = null;
    else if (seen?.ctx.connection !== ctx.connection) seen = { ctx, since: Date.now() };
    return seen && Date.now() - seen.since >= steadyMs ? seen.ctx : null;
  });
}

function target(h: LiveHarness, name: string): ActionTarget {
  const svc = serviceByName(h.state(), name)!;
  return { kind: 'service', id: svc.id, name, version: svc.version };
}

describe('the SSH connection drops under the live layer', () => {
  it('the serving sshd is killed and sshd stays away: stale, data kept, actions fail clearly; back: full recovery, an action done once', async () => {
    const name = await pendingService();
    const h = startLive([sshEndpoint()], sshConnector());
    try {
      await h.until('live over SSH with the service', 30_000, (s) => s.connection.status === 'live' && s.connection.endpoint.startsWith('ssh://') && serviceByName(s, name));
      const nodesBefore = h.state().nodes.size;
      const loginsBefore = peer.logins();
      const oldConnection = h.live.connection() as DockerConnection;

      freeze();
      expect(killServingSshd()).toBeGreaterThan(0);
      try {
        const stale = await h.until('marked stale with the reason', 30_000, (s) => (s.connection.status !== 'live' && s.connection.staleSince !== null ? s.connection : null));
        expect(stale.error ?? '').not.toBe('');
        // What the operator was looking at stays on screen, marked stale, not wiped.
        expect(h.state().nodes.size).toBe(nodesBefore);
        expect(serviceByName(h.state(), name)).toBeDefined();

        // While disconnected the console has no connection to act on: it says so and sends nothing.
        expect(actionContext(h)).toBeNull();
        // An action that had already picked the connection before it dropped fails, in words, bounded.
        const outcome = await scale.run({ connection: oldConnection, context: 'faults-ssh', readOnly: false }, target(h, name), '2');
        expect(outcome.kind).toBe('failed');
        expect(outcome.message).not.toBe('');
        expect(audit.at(-1)).toMatchObject({ action: 'service.scale', result: 'failed', input: '2' });
        // Still disconnected, still stale (the live layer keeps trying, bounded by its own backoff).
        expect(h.state().connection.staleSince).not.toBeNull();
      } finally {
        thaw();
      }

      await h.until('live again over a new SSH connection', 60_000, (s) => s.connection.status === 'live' && s.connection.staleSince === null);
      expect(peer.logins()).toBeGreaterThan(loginsBefore);
      await expectStoreEqualsFresh(lab, h.store);
      // The failed action was not done behind the operator's back once the connection came back.
      expect(await replicasByCli(name)).toBe(1);

      // Live again, but the first new connection can still be replaced (a heartbeat on a half-open
      // channel): act on a connection that has stayed current for a while, as an operator would.
      const ctx = await steadyContext(h, 2000, 30_000);
      const historyMark = h.history.length;
      const after = await scale.run(ctx, target(h, name), '3');
      // On failure, say what the engine said and what the connection went through meanwhile.
      expect(after.kind === 'done' ? 'done' : `${after.kind}: ${after.message}; connection since: ${JSON.stringify(h.history.slice(historyMark))}, now: ${h.state().connection.error ?? 'no error'}`).toBe('done');
      expect(audit.at(-1)).toMatchObject({ action: 'service.scale', result: 'done', input: '3' });
      expect(await replicasByCli(name)).toBe(3);
      await h.until('the store shows 3 replicas', 30_000, (s) => {
        const m = serviceByName(s, name)?.mode;
        return m?.kind === 'replicated' && m.replicas === 3;
      });
      // Done once, and the failed one never: the last update went straight from 1 to 3 replicas.
      expect((await dockerCli(m1, ['service', 'inspect', name, '--format', '{{.PreviousSpec.Mode.Replicated.Replicas}}'])).trim()).toBe('1');
      // Each run: its attempt (written before the request went out), then its outcome.
      expect(audit.filter((e) => e.action === 'service.scale').map((e) => [e.input, e.result])).toEqual([['2', 'attempt'], ['2', 'failed'], ['3', 'attempt'], ['3', 'done']]);
      await expectStoreEqualsFresh(lab, h.store);
    } finally {
      thaw();
      await h.stop();
    }
  });

  it('only the serving sshd is killed (sshd still listening): reconnects by itself, store equals a fresh snapshot', async () => {
    const name = await pendingService();
    const h = startLive([sshEndpoint()], sshConnector());
    try {
      await h.until('live over SSH with the service', 30_000, (s) => s.connection.status === 'live' && serviceByName(s, name));
      const loginsBefore = peer.logins();
      const historyBefore = h.history.length;
      expect(killServingSshd()).toBeGreaterThan(0);
      await h.until('a new SSH login', 60_000, () => peer.logins() > loginsBefore);
      await h.until('live again', 60_000, (s) => s.connection.status === 'live' && s.connection.staleSince === null);
      // The drop was noticed (stale at some point), not papered over.
      expect(h.history.slice(historyBefore).some((x) => x.staleSince !== null)).toBe(true);
      // A change made while it reconnected is in the store.
      await dockerCli(m1, ['service', 'scale', '--detach', `${name}=2`]);
      await h.until('the store shows 2 replicas', 30_000, (s) => {
        const m = serviceByName(s, name)?.mode;
        return m?.kind === 'replicated' && m.replicas === 2;
      });
      await expectStoreEqualsFresh(lab, h.store);
    } finally {
      await h.stop();
    }
  });

  it('an idle kept-alive channel of a dropped connection fails the next request at once (it used to hang forever)', async () => {
    const conn = await sshConnector()(sshEndpoint());
    try {
      await conn.docker.ping();
      expect(killServingSshd()).toBeGreaterThan(0);
      // Long enough for the client to see the connection closed; the request must fail either way.
      await new Promise((r) => setTimeout(r, 1000));
      const result = await Promise.race([
        conn.docker.ping().then(() => 'answered', (e: unknown) => (e instanceof Error ? e.message : String(e))),
        new Promise<string>((r) => setTimeout(() => r('no answer within 20 s'), 20_000).unref()),
      ]);
      expect(result).toMatch(/SSH connection was lost/);
    } finally {
      await conn.close();
    }
  });

  it('a server that resets the connection before its banner: a clear error, and no crash (ssh2 reports it twice)', async () => {
    const srv = createServer((s) => setTimeout(() => s.resetAndDestroy(), 50));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => void uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    try {
      const port = (srv.address() as { port: number }).port;
      const err = await sshConnector()({ ...sshEndpoint(), port }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err instanceof Error ? err.message : String(err)).toMatch(/ECONNRESET/);
      // The second report arrives after the socket closes: give it time to (not) crash anything.
      await new Promise((r) => setTimeout(r, 1000));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', onUncaught);
      srv.close();
    }
  });

  it('the real console over SSH: the drop shows STALE on screen, an action then says it is not connected, and it comes back live by itself', async () => {
    const name = await pendingService();
    const { h, run, see } = consoleOverSsh('faults-ssh');
    const screen = (): string => run.screen();
    try {
      await see('the console live over SSH with the service', 60_000, () => screen().includes('● live') && screen().includes(name.slice(0, 15)));
      run.keys('/');
      await see('the filter prompt', 10_000, () => screen().trimEnd().split('\n').at(-1)!.startsWith('/'));
      run.keys('-l', name);
      await see('the filter typed', 10_000, () => /services \[1(\/\d+)?\]/i.test(screen()));
      run.keys('Enter');
      await see('the filter prompt closed', 10_000, () => !screen().trimEnd().split('\n').at(-1)!.startsWith('/'));

      freeze();
      expect(killServingSshd()).toBeGreaterThan(0);
      try {
        await see('STALE in the header', 30_000, () => /STALE \d/.test(screen()));
        // The last known rows stay on screen while stale.
        expect(screen()).toContain(name.slice(0, 15));
        // The dialog still opens (the operator may be mid-way); the run itself finds no connection.
        const replicasLine = (): string => screen().split('\n').find((l) => l.includes('replicas: ')) ?? '';
        run.keys('s');
        await see('the replicas prompt', 10_000, () => /replicas: 1/.test(replicasLine()));
        run.keys('BSpace');
        await see('the value erased', 10_000, () => !/replicas: 1/.test(replicasLine()));
        run.keys('2');
        await see('2 typed', 10_000, () => /replicas: 2/.test(replicasLine()));
        run.keys('Enter');
        await see('the confirmation', 10_000, () => /<y>confirm/.test(screen()) && /Scale\?/.test(screen()));
        run.keys('y');
        await see('the action refused in words', 10_000, () => /not connected to an engine/.test(screen()));
      } finally {
        thaw();
      }
      await see('live again', 60_000, () => screen().includes('● live') && !/STALE/.test(screen()));
      // Refused while disconnected means never done later either.
      expect(await replicasByCli(name)).toBe(1);
      run.keys('q');
      await expectExitedRestored(run, 30_000);
    } finally {
      thaw();
      run.close();
      h.remove();
    }
  });

  it('q while the SSH host does not answer (a reconnect in flight): the console exits promptly, terminal restored', async () => {
    const { h, run, see } = consoleOverSsh('faults-ssh-quit');
    try {
      await see('the console live over SSH', 60_000, () => run.screen().includes('● live'));
      freeze();
      expect(killServingSshd()).toBeGreaterThan(0);
      await see('STALE in the header', 30_000, () => /STALE \d/.test(run.screen()));
      run.keys('q');
      // The reconnect waits on an SSH handshake that never comes: quitting must not wait for it.
      await expectExitedRestored(run, 20_000);
    } finally {
      thaw();
      run.close();
      h.remove();
    }
  });
});
