/**
 * Bad input to `swarmtop stack deploy|rm`, through the real binary against the lab: each gets a clear
 * message, a non-zero exit, no stack trace, and nothing half-done that the message does not name.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlan, describeReport } from '../../src/actions/stack-apply.js';
import { prepareDeploy } from '../../src/actions/stacks.js';
import { auditLogFile } from '../../src/config/paths.js';
import { openUnixSocket } from '../../src/docker/connection.js';
import { cliHome, ensureBuilt, runCli, STACK_LINE, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab } from './setup/lab-handle.js';
import { removeStacks, writeCase } from './stack-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const conn = openUnixSocket(m1.socket);
const tag = process.pid.toString(36).slice(-3);
const host = `unix://${m1.socket}`;
let home: CliHome;
const stacks: string[] = [];
const PIN = '\n    deploy:\n      placement:\n        constraints: [node.labels.swarmtop_never == yes]\n';

function files(content: Record<string, string>): string {
  return writeCase({ name: 'bad', compose: [], files: content });
}

async function deploy(dir: string, stack: string, extra: string[] = []): Promise<{ code: number | null; out: string; err: string }> {
  stacks.push(stack);
  const r = await runCli(['stack', 'deploy', '--host', host, '--resolve-image', 'never', '-c', join(dir, 'stack.yml'), ...extra, stack], home.env);
  expect(r.stderr).not.toMatch(STACK_LINE);
  return { code: r.code, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  ensureBuilt();
  home = cliHome();
});

afterAll(async () => {
  await removeStacks(m1, stacks);
  await dockerCli(m1, ['network', 'rm', `bn${tag}c_default`]).catch(() => undefined);
  home.remove();
  await conn.close();
});

describe('swarmtop stack deploy: bad input', () => {
  it('a missing file, YAML errors, schema errors and a missing required variable are located', async () => {
    const missing = await deploy('/nonexistent-dir', `bn${tag}a`);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('/nonexistent-dir/stack.yml: no such file');
    const yaml = await deploy(files({ 'stack.yml': 'services:\n  a:\n    image: x\n   oops: [\n' }), `bn${tag}a`);
    expect(yaml.err).toMatch(/stack\.yml:4: YAML error at line 4, column \d+/);
    const schema = await deploy(files({ 'stack.yml': 'services:\n  a:\n    image: x\n    deploy:\n      replicas: many\n    ports: [{target: nope}]\n' }), `bn${tag}a`);
    expect(schema.err).toContain('stack.yml:5: services.a.deploy.replicas: must be integer');
    expect(schema.err).toContain('stack.yml:6: services.a.ports.0.target: must be integer');
    const variable = await deploy(files({ 'stack.yml': 'services:\n  a:\n    image: local/busybox:${TAG:?set TAG to the release}\n' }), `bn${tag}a`);
    expect(variable.err).toContain('services.a.image: required variable TAG is missing a value: set TAG to the release');
    expect(await dockerCli(m1, ['stack', 'ls'])).not.toContain(`bn${tag}a`);
  });

  it('an unreadable secret file and a network name taken outside the stack are refused before anything is sent', async () => {
    const dir = files({ 'stack.yml': `services:\n  a:\n    image: local/busybox:1\n    secrets: [pw]${PIN}secrets:\n  pw:\n    file: ./pw-dir\n` });
    mkdirSync(join(dir, 'pw-dir'));
    const secret = await deploy(dir, `bn${tag}b`);
    expect(secret.code).toBe(1);
    expect(secret.err).toContain(`secrets.pw.file: cannot read ${join(dir, 'pw-dir')}: is a directory, not a file`);
    await dockerCli(m1, ['network', 'create', '--driver', 'overlay', `bn${tag}c_default`]);
    const conflict = await deploy(files({ 'stack.yml': `services:\n  a:\n    image: local/busybox:1${PIN}` }), `bn${tag}c`);
    expect(conflict.code).toBe(1);
    expect(conflict.err).toContain(`network bn${tag}c_default already exists and is not part of stack bn${tag}c`);
    expect(conflict.err).toContain('nothing will be sent');
    expect(await dockerCli(m1, ['service', 'ls', '--filter', `label=com.docker.stack.namespace=bn${tag}c`, '-q'])).toBe('');
  });

  it('a failure halfway says what was done and what was not, and the audit log has one line per object', async () => {
    const stack = `bn${tag}d`;
    // A placement constraint the schema accepts and the engine refuses: the second service fails.
    const dir = files({ 'stack.yml': `services:\n  aa:\n    image: local/busybox:1${PIN}  bb:\n    image: local/busybox:1\n    deploy:\n      placement:\n        constraints: [not-an-expression]\n  cc:\n    image: local/busybox:1${PIN}` });
    const r = await deploy(dir, stack);
    expect(r.code).toBe(1);
    expect(r.out).toContain(`+ service ${stack}_bb`);
    expect(r.err).toContain(`done: create network ${stack}_default, create service ${stack}_aa`);
    expect(r.err).toMatch(new RegExp(`failed to create service ${stack}_bb: .*constraint expected one operator`));
    expect(r.err).toContain(`not done: create service ${stack}_cc`);
    const services = (await dockerCli(m1, ['service', 'ls', '--filter', `label=com.docker.stack.namespace=${stack}`, '--format', '{{.Name}}'])).trim().split('\n');
    expect(services).toEqual([`${stack}_aa`]);
    const audit = readFileSync(auditLogFile({ XDG_STATE_HOME: home.stateHome }), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { target: { name: string }; result: string });
    const mine = audit.filter((e) => e.target.name.startsWith(stack));
    expect(mine.map((e) => `${e.target.name}:${e.result}`)).toEqual([`${stack}:attempt`, `${stack}_default:done`, `${stack}_aa:done`, `${stack}_bb:failed`]);
  });

  it('a service changed between plan and apply is not overwritten (stale), and nothing after it is sent', async () => {
    const stack = `bn${tag}e`;
    stacks.push(stack);
    const dir = files({ 'stack.yml': `services:\n  aa:\n    image: local/busybox:\${TAG:-1}${PIN}  bb:\n    image: local/busybox:\${TAG:-1}${PIN}` });
    const first = await applyPlan(conn, await prepareDeploy(conn, { files: ['stack.yml'], stack, prune: false, resolveImage: 'never', env: {}, cwd: dir }));
    expect(first.ok).toBe(true);
    const plan = await prepareDeploy(conn, { files: ['stack.yml'], stack, prune: false, resolveImage: 'never', env: { TAG: '2' }, cwd: dir });
    expect(plan.steps.filter((s) => s.op === 'update').map((s) => s.changes)).toEqual([
      ['TaskTemplate.ContainerSpec.Image: local/busybox:1 → local/busybox:2', 'Labels.com.docker.stack.image: local/busybox:1 → local/busybox:2'].sort(),
      ['TaskTemplate.ContainerSpec.Image: local/busybox:1 → local/busybox:2', 'Labels.com.docker.stack.image: local/busybox:1 → local/busybox:2'].sort(),
    ]);
    await dockerCli(m1, ['service', 'update', '--detach', '--label-add', 'touched=yes', `${stack}_aa`]);
    const report = await applyPlan(conn, plan);
    expect(report.ok).toBe(false);
    const lines = describeReport(report).join('\n');
    expect(lines).toContain(`service ${stack}_aa changed since the plan was made`);
    expect(lines).toContain(`not done: update service ${stack}_bb`);
    expect((await dockerCli(m1, ['service', 'inspect', `${stack}_bb`, '--format', '{{.Spec.TaskTemplate.ContainerSpec.Image}}'])).trim()).toBe('local/busybox:1');
  });

  it('stack rm removes everything the stack has and says what', async () => {
    const stack = `bn${tag}d`;
    const r = await runCli(['stack', 'rm', '--host', host, stack], home.env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Stack ${stack} is removed:`);
    expect(r.stdout).toContain(`- 1 service(s): ${stack}_aa`);
    expect(r.stdout).toContain(`- 1 network(s): ${stack}_default`);
    expect(await dockerCli(m1, ['service', 'ls', '--filter', `label=com.docker.stack.namespace=${stack}`, '-q'])).toBe('');
    const again = await runCli(['stack', 'rm', '--host', host, stack], home.env);
    expect(again.stderr).toContain(`Nothing found in stack: ${stack}`);
  });
});
