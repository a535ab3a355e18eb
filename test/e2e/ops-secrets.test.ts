import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROTATED_FROM_ID, ROTATED_FROM_NAME } from '../../src/actions/secrets/names.js';
import type { RotationPlan } from '../../src/actions/secrets/rotation-plan.js';
import type { ActionContext, ActionOutcome, ActionTarget, Prepared } from '../../src/actions/types.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { serviceByName, startLive, unixEndpoints, type LiveHarness } from './setup/live-harness.js';
import { createService, opsHarness, waitFor, waitRunning, type Json } from './ops-support.js';

/**
 * The rotation of a secret across the services that use it, on the real lab, checked with the docker CLI
 * and inside the tasks' containers (docker exec against the engine of the node each task runs on).
 */
const lab = testLab();
const m1 = lab.node('m1');
const ops = opsHarness(m1);
const dir = mkdtempSync(join(tmpdir(), 'swarmtop-secrets-'));
const services: string[] = [];
const stacks: string[] = [];
const secrets: string[] = [];
let harness: LiveHarness | null = null;

afterAll(async () => {
  await harness?.stop();
  for (const s of stacks) await dockerCli(m1, ['stack', 'rm', s]).catch(() => undefined);
  for (const s of services) await dockerCli(m1, ['service', 'rm', s]).catch(() => undefined);
  // Services go first; their secrets can only be removed once no task uses them.
  await waitFor('services removed', 60_000, async () => {
    const left = (await dockerCli(m1, ['service', 'ls', '--format', '{{.Name}}'])).split('\n').filter((n) => services.includes(n) || stacks.some((s) => n.startsWith(`${s}_`)));
    return left.length === 0;
  }, 500).catch(() => undefined);
  for (const s of secrets) await dockerCli(m1, ['secret', 'rm', s]).catch(() => undefined);
  await ops.connection.close();
  rmSync(dir, { recursive: true, force: true });
});

function live(): LiveHarness {
  harness ??= startLive(unixEndpoints([m1]));
  return harness;
}

const value = (): string => `value-${randomBytes(12).toString('hex')}`;

async function inspectJson(kind: string, name: string): Promise<Json> {
  return (JSON.parse(await dockerCli(m1, [kind, 'inspect', name])) as Json[])[0]!;
}

function secretRefs(svc: Json): Json[] {
  const spec = svc.Spec as Json;
  return (((spec.TaskTemplate as Json).ContainerSpec as Json).Secrets as Json[] | undefined) ?? [];
}

/** What a file holds inside every running task of a service, read on the task's own node. */
async function readInTasks(service: string, path: string): Promise<string[]> {
  const ids = (await dockerCli(m1, ['service', 'ps', service, '-q', '--no-trunc', '--filter', 'desired-state=running'])).split('\n').filter(Boolean);
  const out: string[] = [];
  for (const id of ids) {
    const task = (JSON.parse(await dockerCli(m1, ['inspect', '--type', 'task', id])) as Json[])[0]!;
    const nodeId = task.NodeID as string;
    const container = ((task.Status as Json).ContainerStatus as Json | undefined)?.ContainerID as string | undefined;
    if (!container) throw new Error(`task ${id} of ${service} has no container`);
    const hostname = (await dockerCli(m1, ['node', 'inspect', nodeId, '--format', '{{.Description.Hostname}}'])).trim();
    const node = lab.nodes.find((n) => n.hostname === hostname);
    if (!node) throw new Error(`no lab node ${hostname}`);
    out.push((await dockerCli(node, ['exec', container, 'sh', '-c', `cat ${path}; echo; stat -c %a ${path}`])).trim());
  }
  return out;
}

async function waitConverged(service: string): Promise<void> {
  await waitFor(`${service} converged`, 120_000, async () => {
    const st = (await dockerCli(m1, ['service', 'inspect', service, '--format', '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}'])).trim();
    return st === 'completed' || st === '';
  }, 1000);
}

/** The rotation as the console carries it out: the guarded action's prepare (the plan), then run with the live state. */
async function rotate(secretName: string, newName: string | null, newValue: string | null): Promise<{ prepared: Prepared; outcome: ActionOutcome | null; ctx: ActionContext }> {
  const h = live();
  const st = await h.until(`${secretName} in the live state`, 30_000, (s) => [...s.secrets.values()].find((x) => x.name === secretName) && s);
  const secret = [...st.secrets.values()].find((x) => x.name === secretName)!;
  const target: ActionTarget = { kind: 'secret', id: secret.id, name: secret.name, version: secret.version };
  const action = ops.action('secret.rotate');
  const name = newName ?? action.input!.initial(st, target);
  expect(action.input!.validate(name, st, target)).toBeNull();
  const needsValue = action.value!.needed(st, target, name);
  expect(needsValue).toBe(newValue !== null);
  const ctx: ActionContext = { connection: ops.connection, context: 'lab', readOnly: false, live: h.store };
  const prepared = await action.prepare!(ctx, st, target, name, { value: newValue === null ? null : Buffer.from(newValue) });
  if (prepared.kind !== 'plan') return { prepared, outcome: null, ctx };
  const outcome = await action.run(ctx, target, name, prepared.plan);
  return { prepared, outcome, ctx };
}

async function removeOld(outcome: ActionOutcome, ctx: ActionContext): Promise<ActionOutcome> {
  if (outcome.kind !== 'done' || !outcome.next) throw new Error(`no removal offered: ${outcome.message}`);
  const remove = ops.action(outcome.next.actionId);
  // Offered only when nothing uses the old one any more (as the console's confirmation checks).
  await live().until('the old secret unused in the live state', 30_000, (s) => remove.available(s, outcome.next!.target) === true);
  return remove.run(ctx, outcome.next.target, null);
}

describe('secret rotation across the services that use it', () => {
  it('a stack secret used by a stack service, a global service and one at a custom target with mode 0400: all move, the old one is removed', async () => {
    const stack = uniqueName('rot').replace(/-/g, '');
    stacks.push(stack);
    const oldValue = value();
    const newValue = value();
    writeFileSync(join(dir, 'db.txt'), oldValue);
    writeFileSync(join(dir, 'stack.yml'), [
      'version: "3.8"',
      'services:',
      '  app:',
      '    image: local/busybox:1',
      '    command: ["sleep", "86400"]',
      '    secrets: [db]',
      '    deploy: { replicas: 2, update_config: { delay: 0s } }',
      'secrets:',
      '  db:',
      `    file: ${join(dir, 'db.txt')}`,
      '',
    ].join('\n'));
    await dockerCli(m1, ['stack', 'deploy', '--resolve-image', 'never', '-c', join(dir, 'stack.yml'), stack]);
    const secretName = `${stack}_db`;
    const globalSvc = uniqueName('rot-global');
    const customSvc = uniqueName('rot-custom');
    services.push(globalSvc, customSvc);
    await createService(m1, globalSvc, ['--mode', 'global', '--secret', secretName, '--update-delay', '0s', 'local/busybox:1', 'sleep', '86400']);
    await createService(m1, customSvc, ['--replicas', '1', '--secret', `source=${secretName},target=custom_creds,uid=100,gid=101,mode=0400`, 'local/busybox:1', 'sleep', '86400']);
    await waitRunning(m1, `${stack}_app`, 2);
    await waitRunning(m1, globalSvc, lab.nodes.length);
    await waitRunning(m1, customSvc, 1);
    expect(await readInTasks(customSvc, '/run/secrets/custom_creds')).toEqual([`${oldValue}\n400`]);
    const refsBefore = new Map<string, Json[]>();
    for (const s of [`${stack}_app`, globalSvc, customSvc]) refsBefore.set(s, secretRefs(await inspectJson('service', s)));
    await live().until('the three services in the live state', 30_000, (s) => [`${stack}_app`, globalSvc, customSvc].every((n) => serviceByName(s, n)));

    const { prepared, outcome, ctx } = await rotate(secretName, null, newValue);
    expect(prepared.kind).toBe('plan');
    if (prepared.kind !== 'plan') return;
    const plan = prepared.plan as RotationPlan;
    const newName = `${secretName}_v2`;
    expect(plan.next.name).toBe(newName);
    expect(plan.services.map((s) => s.name).sort()).toEqual([`${stack}_app`, customSvc, globalSvc].sort());
    const impact = prepared.impact.join('\n');
    expect(impact).toContain(`New secret ${newName}`);
    expect(impact).toContain('/run/secrets/custom_creds uid 100 gid 101 mode 0400');
    expect(impact).toContain(`${lab.nodes.length} tasks restart`);
    expect(impact).toContain(`Stack ${stack}`);
    expect(impact).not.toContain(newValue);
    // The value the plan held was zeroed once sent.
    expect(plan.value?.every((b) => b === 0)).toBe(true);
    expect(outcome?.kind, outcome?.message).toBe('done');

    // Every service mounts the new secret at the same target, uid, gid and mode; the docker CLI makes the same reference.
    const created = await inspectJson('secret', newName);
    const labels = (created.Spec as Json).Labels as Record<string, string>;
    expect(labels['com.docker.stack.namespace']).toBe(stack);
    expect(labels[ROTATED_FROM_NAME]).toBe(secretName);
    for (const s of [`${stack}_app`, globalSvc, customSvc]) {
      const refs = secretRefs(await inspectJson('service', s));
      expect(refs.map((r) => r.SecretName)).toEqual([newName]);
      expect(refs.map((r) => r.File)).toEqual(refsBefore.get(s)!.map((r) => r.File));
      expect(refs[0]!.SecretID).toBe(created.ID);
    }
    const twin = uniqueName('rot-twin');
    services.push(twin);
    await createService(m1, twin, ['--replicas', '0', '--secret', `source=${newName},target=custom_creds,uid=100,gid=101,mode=0400`, 'local/busybox:1', 'sleep', '86400']);
    expect(secretRefs(await inspectJson('service', customSvc))).toEqual(secretRefs(await inspectJson('service', twin)));
    await dockerCli(m1, ['service', 'rm', twin]);

    // All tasks run with the new value, read inside their containers on their nodes.
    // The stack mounts it under its compose key; a service created with --secret NAME under its name.
    for (const [s, target] of [[`${stack}_app`, 'db'], [globalSvc, secretName]] as const) {
      await waitConverged(s);
      const seen = await readInTasks(s, `/run/secrets/${target}`);
      expect(seen.length).toBe(s === globalSvc ? lab.nodes.length : 2);
      expect(new Set(seen)).toEqual(new Set([`${newValue}\n444`]));
    }
    await waitConverged(customSvc);
    expect(await readInTasks(customSvc, '/run/secrets/custom_creds')).toEqual([`${newValue}\n400`]);

    // The old one: offered for removal, removed.
    const removed = await removeOld(outcome!, ctx);
    expect(removed.kind, removed.message).toBe('done');
    secrets.push(newName);
    await waitFor('the old secret gone', 30_000, async () => !(await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n').includes(secretName), 500);

    // One audit line per step, no value anywhere in it.
    const audit = readFileSync(ops.auditFile, 'utf8');
    const lines = audit.trim().split('\n').map((l) => JSON.parse(l) as { action: string; target: { name?: string }; input: string | null; result: string });
    const mine = lines.filter((l) => l.action.startsWith('secret.') && (l.target.name === newName || l.target.name === secretName || [`${stack}_app`, globalSvc, customSvc].includes(l.target.name ?? '')));
    // Each run starts with its attempt line (written before anything is sent).
    expect(mine.map((l) => (l.result === 'attempt' ? `${l.action} (attempt)` : l.action))).toEqual([
      'secret.rotate (attempt)', 'secret.rotate:create', 'secret.rotate:update-service', 'secret.rotate:update-service', 'secret.rotate:update-service', 'secret.rotate',
      'secret.remove (attempt)', 'secret.remove',
    ]);
    expect(audit).not.toContain(newValue);
    expect(audit).not.toContain(oldValue);
    expect(audit).not.toContain(Buffer.from(newValue).toString('base64'));
  });

  it('a rotation stopped by a service that fails with the new value keeps the old one for those not moved, and continues after the fix', async () => {
    const secretName = uniqueName('rot-int');
    secrets.push(secretName);
    const oldValue = value();
    const newValue = value();
    writeFileSync(join(dir, 'int.txt'), oldValue);
    await dockerCli(m1, ['secret', 'create', secretName, join(dir, 'int.txt')]);
    // Moved in name order: a (fine), b (refuses any value but the old one: its update pauses), c (never reached).
    const base = uniqueName('rot-int');
    const [a, b, c] = ['a', 'b', 'c'].map((x) => `${base}-${x}`) as [string, string, string];
    services.push(a, b, c);
    for (const s of [a, c]) await createService(m1, s, ['--replicas', '1', '--secret', secretName, 'local/busybox:1', 'sleep', '86400']);
    await createService(m1, b, [
      '--replicas', '1', '--secret', secretName, '--update-failure-action', 'pause', '--update-monitor', '4s',
      'local/busybox:1', 'sh', '-c', `grep -qx ${oldValue} /run/secrets/${secretName} || exit 1; sleep 86400`,
    ]);
    for (const s of [a, b, c]) await waitRunning(m1, s, 1);
    await live().until('the services in the live state', 30_000, (s) => [a, b, c].every((n) => serviceByName(s, n)));

    const first = await rotate(secretName, null, newValue);
    expect(first.outcome?.kind).toBe('failed');
    const message = first.outcome!.message;
    expect(message).toContain(`${b}: the rollout paused`);
    expect(message).toContain(`Left on ${secretName}: ${c}`);
    expect(message).toContain(`${secretName} is kept`);
    const newName = `${secretName}_v2`;
    secrets.push(newName);
    const uses = async (s: string): Promise<string[]> => secretRefs(await inspectJson('service', s)).map((r) => r.SecretName as string);
    expect(await uses(a)).toEqual([newName]);
    expect(await uses(b)).toEqual([newName]);
    expect(await uses(c)).toEqual([secretName]);
    // Services not moved keep working with the old value.
    expect(await readInTasks(c, `/run/secrets/${secretName}`)).toEqual([`${oldValue}\n444`]);

    // The operator fixes b (it now accepts the new value); its update runs to the end.
    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--args', 'sleep 86400', b]);
    await waitConverged(b);
    await waitRunning(m1, b, 1);

    // R again: the half-done rotation is found from the cluster's labels; no new value is asked.
    const second = await rotate(secretName, null, null);
    expect(second.prepared.kind).toBe('plan');
    if (second.prepared.kind !== 'plan') return;
    expect((second.prepared.plan as RotationPlan).next.name).toBe(newName);
    expect(second.prepared.impact[0]).toContain(`Continues the rotation of ${secretName} to ${newName}`);
    expect(second.prepared.impact.join('\n')).toContain(`Already on ${newName}:`);
    expect(second.outcome?.kind, second.outcome?.message).toBe('done');
    expect(await uses(c)).toEqual([newName]);
    const fromId = (((await inspectJson('secret', newName)).Spec as Json).Labels as Record<string, string>)[ROTATED_FROM_ID];
    expect(typeof fromId).toBe('string');
    const removed = await removeOld(second.outcome!, second.ctx);
    expect(removed.kind, removed.message).toBe('done');
    await waitConverged(c);
    expect(await readInTasks(c, `/run/secrets/${secretName}`)).toEqual([`${newValue}\n444`]);
  });

  it('removing a secret a service uses is refused, with the services named (ours, then the engine)', async () => {
    const secretName = uniqueName('rm-used');
    secrets.push(secretName);
    writeFileSync(join(dir, 'rm.txt'), value());
    await dockerCli(m1, ['secret', 'create', secretName, join(dir, 'rm.txt')]);
    const svc = uniqueName('rm-used');
    services.push(svc);
    await createService(m1, svc, ['--replicas', '0', '--secret', secretName, 'local/busybox:1', 'sleep', '86400']);
    const st = await live().until('the service in the live state', 30_000, (s) => serviceByName(s, svc) && [...s.secrets.values()].find((x) => x.name === secretName) && s);
    const secret = [...st.secrets.values()].find((x) => x.name === secretName)!;
    const target: ActionTarget = { kind: 'secret', id: secret.id, name: secret.name, version: secret.version };
    const available = ops.action('secret.remove').available(st, target);
    expect(available).toContain(`used by 1 service: ${svc}`);
    const out = await ops.run('secret.remove', target);
    expect(out.kind).toBe('refused');
    expect(out.message).toMatch(/in use/);
    expect(out.message).toContain(svc);
    expect((await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n')).toContain(secretName);
  });

  it('read-only refuses a rotation before anything is sent', async () => {
    const secretName = uniqueName('ro');
    secrets.push(secretName);
    writeFileSync(join(dir, 'ro.txt'), value());
    await dockerCli(m1, ['secret', 'create', secretName, join(dir, 'ro.txt')]);
    const st = await live().until('the secret in the live state', 30_000, (s) => [...s.secrets.values()].find((x) => x.name === secretName) && s);
    const secret = [...st.secrets.values()].find((x) => x.name === secretName)!;
    const out = await ops.action('secret.rotate', true).run({ connection: ops.connection, context: 'lab', readOnly: false }, { kind: 'secret', id: secret.id, name: secretName, version: secret.version }, `${secretName}_v2`, undefined);
    expect(out.kind).toBe('refused');
    expect((await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n')).not.toContain(`${secretName}_v2`);
  });
});
