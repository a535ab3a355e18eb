import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileAuditLog } from '../../src/actions/audit.js';
import { guardedActions } from '../../src/actions/guard.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/registry.js';
import type { AuditEntry } from '../../src/actions/audit.js';
import type { ActionTarget } from '../../src/actions/types.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { createService, inspect, nodeTarget, opsHarness, serviceTarget, swarmTarget, versionOf, waitRunning } from './ops-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const ops = opsHarness(m1);
const service = uniqueName('guard');
const secret = uniqueName('guard-secret');
const config = uniqueName('guard-config');
// The service belongs to a stack (as `docker stack deploy` labels it): removing that stack would remove it.
const stack = uniqueName('guard-stack');
let serviceVersionAtStart = 0;

beforeAll(async () => {
  await dockerCli(m1, ['secret', 'create', secret, '/etc/hostname']);
  await dockerCli(m1, ['config', 'create', config, '/etc/hostname']);
  await createService(m1, service, ['--replicas', '1', '--label', `com.docker.stack.namespace=${stack}`, 'local/busybox:1']);
  await waitRunning(m1, service, 1);
  serviceVersionAtStart = (await serviceTarget(m1, service)).version;
});

afterAll(async () => {
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
  await dockerCli(m1, ['secret', 'rm', secret]).catch(() => undefined);
  await dockerCli(m1, ['config', 'rm', config]).catch(() => undefined);
  await dockerCli(m1, ['swarm', 'update', '--autolock=false']).catch(() => undefined);
  await ops.connection.close();
});

async function secretLike(kind: 'secret' | 'config', name: string): Promise<ActionTarget> {
  const [id = '', version = '0'] = (await dockerCli(m1, [kind, 'inspect', name, '--format', '{{.ID}} {{.Version.Index}}'])).trim().split(' ');
  return { kind, id, name, version: Number(version) };
}

async function targetFor(kind: string): Promise<ActionTarget> {
  if (kind === 'node') return nodeTarget(m1, w1.hostname);
  if (kind === 'service') return serviceTarget(m1, service);
  if (kind === 'secret') return secretLike('secret', secret);
  if (kind === 'config') return secretLike('config', config);
  if (kind === 'stack') return { kind: 'stack', id: stack, name: stack, version: 0 };
  // Refused before anything is looked up: any task id will do, and a task has no version to change.
  if (kind === 'task') return { kind: 'task', id: 'no-task-needed', name: `${service}.1`, version: 0 };
  return swarmTarget(m1);
}

async function versionNow(target: ActionTarget): Promise<number> {
  if (target.kind === 'node') return versionOf(await inspect(m1, 'node', target.id));
  if (target.kind === 'service') return versionOf(await inspect(m1, 'service', target.id));
  if (target.kind === 'secret' || target.kind === 'config') return (await secretLike(target.kind, target.name ?? target.id)).version;
  // A stack has no version of its own: it is unchanged while its service is.
  if (target.kind === 'stack') return (await serviceTarget(m1, service)).version === serviceVersionAtStart ? 0 : -1;
  if (target.kind === 'task') return target.version;
  return (await swarmTarget(m1)).version;
}

const INPUTS: Readonly<Record<string, string>> = {
  'service.scale': '3', 'node.labels': 'guarded=1', 'secret.create': 'guarded-new', 'config.create': 'guarded-new',
  'secret.rotate': 'guarded-new', 'config.rotate': 'guarded-new', 'stack.deploy': '/nonexistent/guarded.yml guarded',
};

function auditLines(): AuditEntry[] {
  return readFileSync(ops.auditFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditEntry);
}

describe('read-only mode refuses every mutating action', () => {
  const mutating = ACTIONS.filter((a) => a.mutating);

  it('covers every operation that changes the cluster', () => {
    expect(mutating.map((a) => a.id).sort()).toEqual([
      'config.create', 'config.remove', 'config.rotate',
      'node.activate', 'node.demote', 'node.drain', 'node.labels', 'node.pause', 'node.promote', 'node.remove',
      'secret.create', 'secret.remove', 'secret.rotate',
      'service.create', 'service.edit', 'service.env', 'service.force-update', 'service.labels', 'service.placement', 'service.publish',
      'service.remove', 'service.resources', 'service.restart-policy', 'service.resume', 'service.rollback', 'service.rollback-policy',
      'service.scale', 'service.set-image', 'service.update-policy',
      'stack.deploy', 'stack.remove',
      'swarm.reveal-manager-join', 'swarm.rotate-ca', 'swarm.rotate-manager-token', 'swarm.rotate-unlock-key', 'swarm.rotate-worker-token',
      'task.exec',
    ]);
  });

  for (const action of mutating) {
    it(`refuses ${action.id} and changes nothing`, async () => {
      const target = await targetFor(action.targets);
      const out = await ops.run(action.id, target, INPUTS[action.id] ?? null, true);
      expect(out.kind).toBe('refused');
      expect(out.message).toMatch(/read-only/);
      expect(await versionNow(target)).toBe(target.version);
      const last = auditLines().at(-1);
      expect(last).toMatchObject({ action: action.id, result: 'refused', context: 'lab', target: { kind: action.targets, id: target.id } });
    });
  }

  it('also refuses when only the context is read-only', async () => {
    const target = await serviceTarget(m1, service);
    const out = await ops.action('service.force-update').run({ connection: ops.connection, context: 'ro-ctx', readOnly: true }, target, null);
    expect(out.kind).toBe('refused');
    expect(await versionNow(target)).toBe(target.version);
  });

  it('still reveals the worker join command (it changes nothing), never the manager one', async () => {
    const out = await ops.run('swarm.reveal-worker-join', await swarmTarget(m1), null, true);
    expect(out.kind).toBe('done');
    const manager = await ops.run('swarm.reveal-manager-join', await swarmTarget(m1), null, true);
    expect(manager).toEqual({ kind: 'refused', message: 'read-only mode: "Reveal the manager join command" is refused, nothing was sent' });
  });
});

describe('the audit log', () => {
  it('records every run with time, context, user, action, target, input and result, and never a secret', async () => {
    await ops.run('service.scale', await serviceTarget(m1, service), '2');
    await ops.run('swarm.reveal-worker-join', await swarmTarget(m1));
    await ops.run('swarm.reveal-manager-join', await swarmTarget(m1));
    await dockerCli(m1, ['swarm', 'update', '--autolock=true']);
    try {
      await ops.run('swarm.rotate-unlock-key', await swarmTarget(m1));
      const secrets = [
        (await dockerCli(m1, ['swarm', 'join-token', '-q', 'worker'])).trim(),
        (await dockerCli(m1, ['swarm', 'join-token', '-q', 'manager'])).trim(),
        (await dockerCli(m1, ['swarm', 'unlock-key', '-q'])).trim(),
      ];
      const text = readFileSync(ops.auditFile, 'utf8');
      for (const s of secrets) {
        expect(s.length).toBeGreaterThan(10);
        expect(text).not.toContain(s);
      }
      expect(text).not.toMatch(/SWMTKN-|SWMKEY-/);
    } finally {
      await dockerCli(m1, ['swarm', 'update', '--autolock=false']);
    }
    const lines = auditLines();
    const scale = lines.find((l) => l.action === 'service.scale' && l.result === 'done');
    expect(scale).toMatchObject({ context: 'lab', input: '2', target: { kind: 'service', name: service }, endpoint: `unix://${m1.socket}` });
    // Its attempt was written first, naming the engine the request went to; the run id ties the two.
    const attempt = lines.find((l) => l.run === scale?.run && l.result === 'attempt');
    expect(attempt).toMatchObject({ action: 'service.scale', input: '2', endpoint: `unix://${m1.socket}` });
    expect(lines.indexOf(attempt!)).toBeLessThan(lines.indexOf(scale!));
    expect(scale?.user).toMatch(/\S/);
    expect(Number.isNaN(Date.parse(scale?.time ?? ''))).toBe(false);
    expect(lines.filter((l) => l.action.startsWith('swarm.reveal') && l.result === 'done').length).toBeGreaterThanOrEqual(2);
    expect(statSync(ops.auditFile).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(ops.auditFile)).mode & 0o777).toBe(0o700);
  });
});

describe('the audit log fails closed', () => {
  it('an action whose attempt cannot be written is refused with the reason, and nothing reaches the engine', async () => {
    // Root ignores permission bits: a state dir that is a file cannot be written by anyone.
    const dir = mkdtempSync(join(tmpdir(), 'swarmtop-noaudit-'));
    writeFileSync(join(dir, 'swarmtop'), 'not a directory');
    const actions = guardedActions({ readOnly: false, audit: fileAuditLog(join(dir, 'swarmtop', 'audit.jsonl')) });
    const scale = actions.find((a) => a.id === 'service.scale')!;
    const target = await serviceTarget(m1, service);
    const replicas = (await dockerCli(m1, ['service', 'inspect', service, '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim();
    const out = await scale.run({ connection: ops.connection, context: 'lab', readOnly: false }, target, '4');
    expect(out.kind).toBe('refused');
    expect(out.message).toMatch(/^"Scale" was not run, nothing was sent: the audit log cannot be written \(.*(ENOTDIR|EEXIST).*\)\. Fix it, or start swarmtop with --no-audit/);
    expect(await versionNow(target)).toBe(target.version);
    expect((await dockerCli(m1, ['service', 'inspect', service, '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim()).toBe(replicas);
  });

  it('with --no-audit (no sink) the action runs and no line is written anywhere', async () => {
    const noAudit = guardedActions({ readOnly: false, audit: null });
    const before = readFileSync(ops.auditFile, 'utf8');
    const out = await noAudit.find((a) => a.id === 'swarm.reveal-worker-join')!.run({ connection: ops.connection, context: 'lab', readOnly: false }, await swarmTarget(m1), null);
    expect(out.kind).toBe('done');
    expect(readFileSync(ops.auditFile, 'utf8')).toBe(before);
  });
});
