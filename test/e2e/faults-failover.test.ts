import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileAuditLog, guardedActions } from '../../src/actions/index.js';
import type { LabNode } from '../../lab/layout.js';
import { waitFor } from '../../lab/sh.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { leaderOf, nodeByHostname, serviceByName, startLive, unixEndpoints } from './setup/live-harness.js';

const lab = testLab();
const created: string[] = [];
const stateDir = mkdtempSync(join(tmpdir(), 'faults-failover-'));
const actions = guardedActions({ readOnly: false, audit: fileAuditLog(join(stateDir, 'audit.log')) });

async function cliLeader(via: LabNode): Promise<LabNode> {
  const out = await dockerCli(via, ['node', 'ls', '--format', '{{.Hostname}} {{.ManagerStatus}}']);
  const line = out.split('\n').find((l) => l.endsWith(' Leader'));
  if (!line) throw new Error(`no leader in:\n${out}`);
  return lab.node(line.split(' ')[0]!);
}

/** Every manager answers, every node Ready, managers reachable: the lab is whole again. */
async function labHealed(): Promise<void> {
  await waitFor('every node ready and every manager reachable', 120_000, async () => {
    const out = await dockerCli(lab.managers[0]!, ['node', 'ls', '--format', '{{.Status}} {{.ManagerStatus}}']).catch(() => '');
    const rows = out.split('\n').filter((l) => l.trim() !== '');
    return rows.length === lab.nodes.length && rows.every((r) => r.startsWith('Ready') && !r.includes('Unreachable'));
  }, 500);
}

afterAll(async () => {
  for (const n of lab.nodes) await lab.startEngine(n.name).catch(() => undefined);
  for (const n of lab.nodes) await lab.setLink(n.name, true).catch(() => undefined);
  for (const name of created) await dockerCli(lab.managers[0]!, ['service', 'rm', name]).catch(() => undefined);
  rmSync(stateDir, { recursive: true, force: true });
});

describe('faults against the real live layer and store', () => {
  it('the leader engine dies: a new leader shows, the connection fails over, scale works through another manager; restart recovers', async () => {
    const leader = await cliLeader(lab.managers[0]!);
    const others = lab.managers.filter((m) => m.name !== leader.name);
    const name = uniqueName('fo-scale');
    created.push(name);
    await dockerCli(leader, ['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', '1', '--constraint', 'node.labels.never==1', 'local/busybox:1']);
    const h = startLive(unixEndpoints([leader, ...others]));
    try {
      await h.until('live on the leader with the service', 30_000, (s) => s.connection.status === 'live' && s.connection.endpoint.includes(leader.socket) && serviceByName(s, name));
      expect(leaderOf(h.state())?.hostname).toBe(leader.hostname);

      await lab.stopEngine(leader.name, 'SIGKILL');
      try {
        const s = await h.until('a new leader through another manager', 90_000, (st) => {
          const l = leaderOf(st);
          return st.connection.status === 'live' && !st.connection.endpoint.includes(leader.socket) && l && l.hostname !== leader.hostname ? st : null;
        });
        // The data was marked stale while the manager was lost, and the loss was said in words.
        expect(h.history.some((x) => x.status === 'reconnecting' && x.staleSince !== null)).toBe(true);
        expect(s.connection.staleSince).toBeNull();
        await h.until('the dead manager shown unreachable', 60_000, (st) => nodeByHostname(st, leader.hostname)?.manager?.reachability === 'unreachable');

        const svc = serviceByName(h.state(), name)!;
        const conn = h.live.connection();
        expect(conn).not.toBeNull();
        const scale = actions.find((a) => a.id === 'service.scale')!;
        const outcome = await scale.run({ connection: conn!, context: 'faults', readOnly: false }, { kind: 'service', id: svc.id, name, version: svc.version }, '3');
        expect(outcome).toMatchObject({ kind: 'done' });
        await h.until('the store shows 3 replicas', 30_000, (st) => {
          const m = serviceByName(st, name)?.mode;
          return m?.kind === 'replicated' && m.replicas === 3;
        });
        expect((await dockerCli(others[0]!, ['service', 'inspect', name, '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim()).toBe('3');
      } finally {
        await lab.startEngine(leader.name);
      }
      await h.until('the restarted manager reachable and ready again', 120_000, (st) => {
        const n = nodeByHostname(st, leader.hostname);
        return st.connection.status === 'live' && n?.state === 'ready' && n.manager?.reachability === 'reachable';
      });
      await labHealed();
    } finally {
      await h.stop();
    }
  });

  it('a node cut off from the network shows Down, then Ready once restored', async () => {
    const worker = lab.workers[0]!;
    const h = startLive(unixEndpoints(lab.managers));
    try {
      await h.until('live with the worker ready', 30_000, (s) => s.connection.status === 'live' && nodeByHostname(s, worker.hostname)?.state === 'ready');
      await lab.setLink(worker.name, false);
      try {
        await h.until('the worker shown down', 120_000, (s) => nodeByHostname(s, worker.hostname)?.state === 'down');
        // The managers are fine: the connection itself never went stale for this.
        expect(h.state().connection.status).toBe('live');
      } finally {
        await lab.setLink(worker.name, true);
      }
      await h.until('the worker ready again', 120_000, (s) => nodeByHostname(s, worker.hostname)?.state === 'ready');
    } finally {
      await h.stop();
    }
  });

  it('the engine it is connected to restarts: stale, fails over, recovers and still shows every node', async () => {
    const [a, b, c] = lab.managers as [LabNode, LabNode, LabNode];
    const h = startLive(unixEndpoints([c, a, b]));
    try {
      await h.until('live on the third manager', 30_000, (s) => s.connection.status === 'live' && s.connection.endpoint.includes(c.socket) && s.nodes.size === lab.nodes.length);
      await lab.stopEngine(c.name, 'SIGTERM');
      try {
        await h.until('live through another manager', 60_000, (s) => s.connection.status === 'live' && !s.connection.endpoint.includes(c.socket));
        expect(h.history.some((x) => x.status === 'reconnecting' && x.staleSince !== null)).toBe(true);
      } finally {
        await lab.startEngine(c.name);
      }
      await h.until('the restarted manager ready and reachable', 120_000, (s) => {
        const n = nodeByHostname(s, c.hostname);
        return n?.state === 'ready' && n.manager?.reachability === 'reachable';
      });
      expect(h.state().nodes.size).toBe(lab.nodes.length);
      await labHealed();
    } finally {
      await h.stop();
    }
  });
});
