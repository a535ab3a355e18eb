import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, fileAuditLog, guardedActions } from '../../src/actions/index.js';
import type { ActionTarget } from '../../src/actions/types.js';
import { openUnixSocket } from '../../src/docker/connection.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';

const lab = testLab();
const m1 = lab.managers[0]!;
const w1 = lab.workers[0]!;
const dir = mkdtempSync(join(tmpdir(), 'security-ro-'));
const auditFile = join(dir, 'audit.log');
const readOnly = guardedActions({ readOnly: true, audit: fileAuditLog(auditFile) });
const connection = openUnixSocket(m1.socket);
const service = uniqueName('ro');
const secret = uniqueName('ro-secret');
const config = uniqueName('ro-config');

const INPUT: Record<string, string> = { number: '7', text: 'ro-test=1' };

/** Everything a mutating action could change, as the docker CLI reports it. */
async function clusterFacts(): Promise<string> {
  const nodes = await dockerCli(m1, ['node', 'inspect', ...lab.nodes.map((n) => n.hostname), '--format', '{{.ID}} {{.Version.Index}} {{json .Spec}}']);
  const svc = await dockerCli(m1, ['service', 'inspect', service, '--format', '{{.Version.Index}} {{json .Spec}} {{json .UpdateStatus}}']);
  const cluster = await dockerCli(m1, ['info', '--format', '{{json .Swarm.Cluster}}']);
  const worker = await dockerCli(m1, ['swarm', 'join-token', '-q', 'worker']);
  const manager = await dockerCli(m1, ['swarm', 'join-token', '-q', 'manager']);
  const objects = await dockerCli(m1, ['secret', 'ls', '--format', '{{.ID}} {{.Name}}']) + await dockerCli(m1, ['config', 'ls', '--format', '{{.ID}} {{.Name}}']);
  return [nodes, svc, cluster, worker, manager, objects].join('\n');
}

async function targetFor(kind: ActionTarget['kind']): Promise<ActionTarget> {
  if (kind === 'node') {
    const [id = '', version = '0'] = (await dockerCli(m1, ['node', 'inspect', w1.hostname, '--format', '{{.ID}} {{.Version.Index}}'])).trim().split(' ');
    return { kind, id, name: w1.hostname, version: Number(version) };
  }
  if (kind === 'service') {
    const [id = '', version = '0'] = (await dockerCli(m1, ['service', 'inspect', service, '--format', '{{.ID}} {{.Version.Index}}'])).trim().split(' ');
    return { kind, id, name: service, version: Number(version) };
  }
  if (kind === 'secret' || kind === 'config') {
    const name = kind === 'secret' ? secret : config;
    const [id = '', version = '0'] = (await dockerCli(m1, [kind, 'inspect', name, '--format', '{{.ID}} {{.Version.Index}}'])).trim().split(' ');
    return { kind, id, name, version: Number(version) };
  }
  const version = JSON.parse(await dockerCli(m1, ['info', '--format', '{{json .Swarm.Cluster.Version.Index}}'])) as number;
  return { kind, id: '', name: 'swarm', version };
}

beforeAll(async () => {
  await dockerCli(m1, ['secret', 'create', secret, '/etc/hostname']);
  await dockerCli(m1, ['config', 'create', config, '/etc/hostname']);
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', '2', '--constraint', 'node.labels.never==1', 'local/busybox:1']);
});

afterAll(async () => {
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
  await dockerCli(m1, ['secret', 'rm', secret]).catch(() => undefined);
  await dockerCli(m1, ['config', 'rm', config]).catch(() => undefined);
  await connection.close();
  rmSync(dir, { recursive: true, force: true });
});

const mutating = ACTIONS.filter((a) => a.mutating);

describe('read-only refuses every mutating action (checked with the docker CLI)', () => {
  it('covers every mutating action of the registry', () => {
    expect(mutating.length).toBeGreaterThanOrEqual(16);
    expect(readOnly.filter((a) => a.mutating).map((a) => a.id)).toEqual(mutating.map((a) => a.id));
  });

  it.each(mutating.map((a) => [a.id, a.targets] as const))('%s is refused and changes nothing', async (id, kind) => {
    const action = readOnly.find((a) => a.id === id)!;
    const target = await targetFor(kind);
    const before = await clusterFacts();
    const input = action.input ? (INPUT[action.input.kind] ?? 'x') : null;
    // The connection itself is read-write: only the guard's read-only switch stands in the way.
    const outcome = await action.run({ connection, context: 'lab', readOnly: false }, target, input);
    expect(outcome.kind).toBe('refused');
    expect(outcome.message).toMatch(/read-only/);
    expect(await clusterFacts()).toBe(before);
    const last = readFileSync(auditFile, 'utf8').trim().split('\n').pop()!;
    expect(JSON.parse(last)).toMatchObject({ action: id, result: 'refused' });
  });

  it('a read-only context refuses too, even with a read-write guard', async () => {
    const rw = guardedActions({ readOnly: false, audit: fileAuditLog(auditFile) });
    const scale = rw.find((a) => a.id === 'service.scale')!;
    const before = await clusterFacts();
    const outcome = await scale.run({ connection, context: 'lab', readOnly: true }, await targetFor('service'), '5');
    expect(outcome.kind).toBe('refused');
    expect(await clusterFacts()).toBe(before);
  });

  it('reading actions still work in read-only mode (the join command is revealed)', async () => {
    const reveal = readOnly.find((a) => a.id === 'swarm.reveal-worker-join')!;
    const outcome = await reveal.run({ connection, context: 'lab', readOnly: true }, await targetFor('swarm'), null);
    expect(outcome.kind).toBe('done');
  });
});
