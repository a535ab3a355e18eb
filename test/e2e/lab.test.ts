import { describe, expect, it, afterAll } from 'vitest';
import { readlinkSync } from 'node:fs';
import { testLab, dockerCli, uniqueName } from './setup/lab-handle.js';
import { enginePid } from '../../lab/engine.js';
import { waitFor } from '../../lab/sh.js';

const lab = testLab();
const m1 = lab.node('m1');
const created: string[] = [];

afterAll(async () => {
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
});

interface ServiceRow {
  Replicas: string;
  Image: string;
}

async function serviceRow(name: string): Promise<ServiceRow> {
  const out = await dockerCli(m1, ['service', 'ls', '--filter', `name=${name}`, '--format', '{{json .}}']);
  const line = out.split('\n').find((l) => l.includes(`"Name":"${name}"`));
  if (!line) throw new Error(`service ${name} not listed`);
  return JSON.parse(line) as ServiceRow;
}

async function updateState(name: string): Promise<string> {
  return (await dockerCli(m1, ['service', 'inspect', name, '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}'])).trim();
}

describe('the lab', () => {
  it('forms a swarm of 3 managers and 1 worker that all report Ready', async () => {
    const out = await dockerCli(m1, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}} {{.ManagerStatus}}']);
    const rows = out.trim().split('\n').map((l) => l.split(' '));
    expect(rows).toHaveLength(4);
    expect(rows.every((r) => r[1] === 'Ready')).toBe(true);
    const managers = rows.filter((r) => r[2] === 'Leader' || r[2] === 'Reachable');
    expect(managers).toHaveLength(3);
    expect(rows.filter((r) => r[2] === 'Leader')).toHaveLength(1);
    expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(['lab-m1', 'lab-m2', 'lab-m3', 'lab-w1']));
  });

  it('runs every node in its own network namespace, none in ours', () => {
    const own = readlinkSync('/proc/self/ns/net');
    const namespaces = lab.nodes.map((n) => {
      const pid = enginePid(n);
      expect(pid, `${n.name} engine pid`).not.toBeNull();
      return readlinkSync(`/proc/${pid}/ns/net`);
    });
    expect(namespaces).not.toContain(own);
    expect(new Set(namespaces).size).toBe(lab.nodes.length);
  });

  it('has both lab images on every node', async () => {
    for (const n of lab.nodes) {
      const out = await dockerCli(n, ['image', 'ls', 'local/busybox', '--format', '{{.Repository}}:{{.Tag}}']);
      expect(out.split('\n').filter(Boolean).sort()).toEqual(['local/busybox:1', 'local/busybox:2']);
    }
  });

  it('converges a replicated service', async () => {
    const name = uniqueName('conv');
    created.push(name);
    await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', '4', 'local/busybox:1']);
    const row = await waitFor('4/4 replicas', 90_000, async () => {
      const r = await serviceRow(name);
      return r.Replicas === '4/4' ? r : null;
    }, 500);
    expect(row.Image).toBe('local/busybox:1');
  });

  it('completes an image update and a rollback', async () => {
    const name = uniqueName('roll');
    created.push(name);
    await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', name, '--replicas', '2', '--update-delay', '0s', 'local/busybox:1']);
    await waitFor('2/2 replicas', 90_000, async () => (await serviceRow(name)).Replicas === '2/2', 500);

    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', name]);
    await waitFor('update completed', 120_000, async () => (await updateState(name)) === 'completed', 500);
    expect((await serviceRow(name)).Image).toBe('local/busybox:2');
    const running = await dockerCli(m1, ['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.Image}} {{.CurrentState}}']);
    expect(running.trim().split('\n').every((l) => l.startsWith('local/busybox:2 Running'))).toBe(true);

    await dockerCli(m1, ['service', 'rollback', '--detach', name]);
    await waitFor('rollback completed', 120_000, async () => (await updateState(name)) === 'rollback_completed', 500);
    expect((await serviceRow(name)).Image).toBe('local/busybox:1');
  });
});
