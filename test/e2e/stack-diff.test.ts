/**
 * Differential tests with the docker CLI as the oracle: each compose file is deployed once with
 * `docker stack deploy` (stack A) and once with swarmtop (stack B); every object of both stacks is read
 * back with the docker CLI and must be equal once the stack name is normalized. Then both update
 * (new image tag and values) and are compared again; then --prune; then swarmtop's export of B is
 * deployed back onto B and must change nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportStack } from '../../src/actions/stack-export.js';
import { openUnixSocket } from '../../src/docker/connection.js';
import { dockerCli, testLab } from './setup/lab-handle.js';
import { CASES, UPDATE_ENV } from './stack-fixtures.js';
import { cliDeploy, ourDeploy, readStackView, removeStacks, writeCase } from './stack-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const conn = openUnixSocket(m1.socket);
const tag = process.pid.toString(36).slice(-3);
const stacks: string[] = [];
const dirs = new Map<string, string>();
const ext = { EXT_NET: `extnet${tag}`, EXT_SECRET: `extsecret${tag}`, EXT_CONFIG: `extconfig${tag}` };
// DOTENV_VALUE reaches the docker CLI through its environment (it reads no .env for stacks) and
// swarmtop through the .env file beside the compose file.
const dotenv = { DOTENV_VALUE: 'from-dotenv', EMPTY_VAR: '' };
const envA = { PP: '1', NET: '201', ...ext, ...dotenv };
const envB = { PP: '2', NET: '202', ...ext, EMPTY_VAR: '' };

function names(c: string): { a: string; b: string } {
  return { a: `da${tag}${c.replace(/[^a-z]/g, '').slice(0, 6)}`, b: `sb${tag}${c.replace(/[^a-z]/g, '').slice(0, 6)}` };
}

beforeAll(async () => {
  await dockerCli(m1, ['network', 'create', '--driver', 'overlay', '--attachable', ext.EXT_NET]);
  await dockerCli(m1, ['secret', 'create', ext.EXT_SECRET, '/etc/hostname']);
  await dockerCli(m1, ['config', 'create', ext.EXT_CONFIG, '/etc/hostname']);
  for (const c of CASES) dirs.set(c.name, writeCase(c, { '.env': 'DOTENV_VALUE="from-dotenv"\n' }));
});

afterAll(async () => {
  await removeStacks(m1, stacks);
  for (const [kind, name] of [['secret', ext.EXT_SECRET], ['config', ext.EXT_CONFIG], ['network', ext.EXT_NET]] as const) {
    await dockerCli(m1, [kind, 'rm', name]).catch(() => undefined);
  }
  await conn.close();
});

async function deployBoth(caseName: string, extraEnv: Record<string, string>): Promise<{ cliErr: string }> {
  const c = CASES.find((x) => x.name === caseName);
  if (!c) throw new Error(caseName);
  const dir = dirs.get(c.name) as string;
  const { a, b } = names(c.name);
  if (!stacks.includes(a)) stacks.push(a, b);
  const cli = await cliDeploy(m1, dir, c.compose, a, { ...envA, ...extraEnv });
  await ourDeploy(conn, dir, c.compose, b, { ...envB, ...extraEnv });
  return { cliErr: cli.stderr };
}

async function expectSame(caseName: string): Promise<void> {
  const { a, b } = names(caseName);
  const [va, vb] = await Promise.all([readStackView(m1, a), readStackView(m1, b)]);
  expect(Object.keys(va.services).length).toBeGreaterThan(0);
  expect(vb).toEqual(va);
}

describe('stack deploy: swarmtop and docker stack deploy make the same objects', () => {
  for (const c of CASES) {
    it(`${c.name}: deploy, then update, compare equal`, async () => {
      const { cliErr } = await deployBoth(c.name, {});
      await expectSame(c.name);
      if (c.name === 'unsupported') expect(cliErr).toContain('Ignoring unsupported options: build, privileged, restart');
      await deployBoth(c.name, UPDATE_ENV);
      await expectSame(c.name);
    });
  }

  it('--prune removes the services no longer in the file, as the docker CLI does', async () => {
    const c = CASES.find((x) => x.name === 'merged');
    if (!c) throw new Error('merged');
    const dir = dirs.get(c.name) as string;
    const { a, b } = names(c.name);
    await cliDeploy(m1, dir, ['base.yml'], a, { ...envA, ...UPDATE_ENV }, ['--prune']);
    await ourDeploy(conn, dir, ['base.yml'], b, { ...envB, ...UPDATE_ENV }, { prune: true });
    const [va, vb] = await Promise.all([readStackView(m1, a), readStackView(m1, b)]);
    expect(Object.keys(vb.services).sort()).toEqual(['STACK_side', 'STACK_web']);
    expect(vb).toEqual(va);
  });

  it('export → deploy onto the same stack changes nothing (round trip)', async () => {
    for (const name of ['basic', 'deploy', 'volumes', 'secrets-configs', 'container-options', 'networks']) {
      const { b } = names(name);
      const before = await readStackView(m1, b);
      const { yaml } = await exportStack(conn, b);
      const dir = dirs.get(name) as string;
      writeFileSync(join(dir, 'exported.yml'), yaml);
      const { plan } = await ourDeploy(conn, dir, ['exported.yml'], b, {});
      const changed = plan.steps.filter((s) => s.op !== 'unchanged').map((s) => `${s.op} ${s.kind} ${s.name}: ${s.changes.join('; ')}`);
      expect(changed, `${name}:\n${yaml}`).toEqual([]);
      expect(await readStackView(m1, b)).toEqual(before);
    }
  });
});
