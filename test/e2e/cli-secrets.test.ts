import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectObject } from '../../src/docker/api/inspect.js';
import { openUnixSocket } from '../../src/docker/connection.js';
import { STACK_LINE, cliHome, ensureBuilt, runCli, type CliHome, type CliResult } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { createService, waitFor, waitRunning, type Json } from './ops-support.js';

/**
 * `swarmtop secret|config ...` as a script runs it: the value from a file or piped in, compared with what
 * the docker CLI makes from the same input; a rotation without a terminal refused unless --yes.
 */
const lab = testLab();
const m1 = lab.node('m1');
let h: CliHome;
const services: string[] = [];
const objects: { kind: 'secret' | 'config'; name: string }[] = [];

beforeAll(() => {
  ensureBuilt();
  h = cliHome('swarmtop-cli-secrets-');
});
afterAll(async () => {
  for (const s of services) await dockerCli(m1, ['service', 'rm', s]).catch(() => undefined);
  await waitFor('services gone', 60_000, async () => !(await dockerCli(m1, ['service', 'ls', '--format', '{{.Name}}'])).split('\n').some((n) => services.includes(n)), 500).catch(() => undefined);
  for (const o of objects) await dockerCli(m1, [o.kind, 'rm', o.name]).catch(() => undefined);
  h?.remove();
});

/** bin/swarmtop against m1 with the given standard input (null: none, as in CI). */
function swarmtop(args: readonly string[], stdin: string | null): Promise<CliResult> {
  return runCli([...args, '--host', `unix://${m1.socket}`], h.env, 240_000, stdin);
}

async function spec(kind: 'secret' | 'config', name: string): Promise<Json> {
  return (JSON.parse(await dockerCli(m1, [kind, 'inspect', name])) as Json[])[0]!.Spec as Json;
}

const value = (): string => `cli-${randomBytes(12).toString('hex')}`;

describe('swarmtop secret / config from scripts', () => {
  it('creates a secret from standard input and a config from a file, as the docker CLI does from the same input', async () => {
    const piped = value();
    const name = uniqueName('cli-sec');
    const twin = `${name}-cli`;
    objects.push({ kind: 'secret', name }, { kind: 'secret', name: twin });
    const made = await swarmtop(['secret', 'create', name, '-', '--label', 'team=ops', '--label', 'note=two words'], piped);
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout).toContain(`secret ${name} created`);
    writeFileSync(join(h.dir, 'piped.txt'), piped);
    await dockerCli(m1, ['secret', 'create', '--label', 'team=ops', '--label', 'note=two words', twin, join(h.dir, 'piped.txt')]);
    expect({ ...(await spec('secret', name)), Name: '' }).toEqual({ ...(await spec('secret', twin)), Name: '' });
    // The value itself, read where it is used: in a task's container.
    const svc = uniqueName('cli-sec-use');
    services.push(svc);
    await createService(m1, svc, ['--replicas', '1', '--constraint', `node.hostname==${m1.hostname}`, '--secret', name, 'local/busybox:1', 'sleep', '86400']);
    await waitRunning(m1, svc, 1);
    const container = (await dockerCli(m1, ['ps', '-q', '--filter', `label=com.docker.swarm.service.name=${svc}`])).trim();
    expect((await dockerCli(m1, ['exec', container, 'cat', `/run/secrets/${name}`]))).toBe(piped);

    const content = `listen: 8080\nname: {{ .Service.Name }}\n`;
    writeFileSync(join(h.dir, 'app.tmpl'), content);
    const config = uniqueName('cli-cfg');
    objects.push({ kind: 'config', name: config }, { kind: 'config', name: `${config}-cli` });
    const cfg = await swarmtop(['config', 'create', config, join(h.dir, 'app.tmpl'), '--label', 'a=b', '--template-driver', 'golang'], null);
    expect(cfg.code, cfg.stderr).toBe(0);
    // A config is not secret: its content is shown in the plan.
    expect(cfg.stdout).toContain('| listen: 8080');
    await dockerCli(m1, ['config', 'create', '--label', 'a=b', '--template-driver', 'golang', `${config}-cli`, join(h.dir, 'app.tmpl')]);
    expect({ ...(await spec('config', config)), Name: '' }).toEqual({ ...(await spec('config', `${config}-cli`)), Name: '' });
    // The console's inspect shows a config's content as text (a secret's is never returned by the engine).
    const conn = openUnixSocket(m1.socket);
    try {
      expect(((await inspectObject(conn, 'config', config)) as { Content?: string }).Content).toBe(content);
    } finally {
      await conn.close();
    }

    for (const r of [made, cfg]) expect(r.stderr).not.toMatch(STACK_LINE);
    expect(made.stdout + made.stderr).not.toContain(piped);
    const audit = readFileSync(join(h.stateHome, 'swarmtop', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"secret.create"');
    expect(audit).not.toContain(piped);
  });

  it('refuses to remove a secret a service uses, naming it; an empty value and a missing file are refused in words', async () => {
    const name = uniqueName('cli-used');
    objects.push({ kind: 'secret', name });
    await swarmtop(['secret', 'create', name, '-'], value());
    const svc = uniqueName('cli-used-svc');
    services.push(svc);
    await createService(m1, svc, ['--replicas', '0', '--secret', name, 'local/busybox:1']);
    const rm = await swarmtop(['secret', 'rm', name, '--yes'], null);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toContain(`used by 1 service: ${svc}`);
    expect(rm.stderr).toMatch(/in use/);
    expect((await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n')).toContain(name);

    const empty = await swarmtop(['secret', 'create', uniqueName('cli-empty'), '-'], '');
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('a secret cannot be empty');
    const missing = await swarmtop(['secret', 'create', uniqueName('cli-missing'), join(h.dir, 'no-such-file')], null);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot read');
    expect(missing.stderr).toContain('ENOENT');
    for (const r of [rm, empty, missing]) expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('rotate without a terminal prints the plan and refuses; with --yes it moves the services and removes the old one', async () => {
    const name = uniqueName('cli-rot');
    objects.push({ kind: 'secret', name }, { kind: 'secret', name: `${name}_v2` });
    const oldValue = value();
    const newValue = value();
    await swarmtop(['secret', 'create', name, '-'], oldValue);
    const svc = uniqueName('cli-rot-svc');
    services.push(svc);
    await createService(m1, svc, ['--replicas', '1', '--update-delay', '0s', '--secret', `source=${name},target=app_pw,mode=0400`, 'local/busybox:1', 'sleep', '86400']);
    await waitRunning(m1, svc, 1);
    writeFileSync(join(h.dir, 'new.txt'), newValue);

    const refused = await swarmtop(['secret', 'rotate', name, join(h.dir, 'new.txt')], null);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toContain(`Plan: rotate secret ${name} → ${name}_v2`);
    expect(refused.stdout).toContain(`${svc} (replicated 1`);
    expect(refused.stdout).toContain('/run/secrets/app_pw uid 0 gid 0 mode 0400');
    expect(refused.stderr).toContain('--yes');
    expect((await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n')).not.toContain(`${name}_v2`);

    const done = await swarmtop(['secret', 'rotate', name, join(h.dir, 'new.txt'), '--yes'], null);
    expect(done.code, done.stderr + done.stdout).toBe(0);
    expect(done.stdout).toContain(`${svc}: ${name}_v2`);
    expect(done.stdout).toContain('converged');
    expect(done.stdout).toContain(`secret ${name} removed`);
    const names = (await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n');
    expect(names).toContain(`${name}_v2`);
    expect(names).not.toContain(name);
    const refs = (JSON.parse(await dockerCli(m1, ['service', 'inspect', svc])) as Json[])[0]!;
    const secretsOf = ((((refs.Spec as Json).TaskTemplate as Json).ContainerSpec as Json).Secrets as Json[]);
    expect(secretsOf.map((r) => [r.SecretName, (r.File as Json).Name, (r.File as Json).Mode])).toEqual([[`${name}_v2`, 'app_pw', 0o400]]);
    for (const text of [refused.stdout, refused.stderr, done.stdout, done.stderr]) {
      expect(text).not.toContain(newValue);
      expect(text).not.toContain(oldValue);
    }
    const audit = readFileSync(join(h.stateHome, 'swarmtop', 'audit.jsonl'), 'utf8');
    expect(audit).toContain('"secret.rotate:update-service"');
    expect(audit).not.toContain(newValue);
  });
});
