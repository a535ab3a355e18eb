/**
 * `swarmtop service set-image` and `service edit` for scripts, the real binary against the lab: without
 * --detach it follows the rollout as `docker service update` does and exits 0 once converged (docker
 * service inspect agrees), 1 when the update pauses; --detach returns at once; --read-only refuses.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STACK_LINE, cliHome, ensureBuilt, runCli, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { createService, waitFor, waitRunning } from './ops-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const created: string[] = [];
let h: CliHome;

beforeAll(() => {
  ensureBuilt();
  h = cliHome('cli-service-');
});
afterAll(async () => {
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  h?.remove();
});

async function newService(prefix: string, args: readonly string[] = []): Promise<string> {
  const name = uniqueName(prefix);
  created.push(name);
  await createService(m1, name, ['--replicas', '2', '--update-delay', '0s', '--update-monitor', '1s', ...args, 'local/busybox:1', 'sleep', '1d']);
  await waitRunning(m1, name, 2);
  return name;
}

const host = (): string[] => ['--host', `unix://${m1.socket}`];
const field = async (name: string, f: string): Promise<string> => (await dockerCli(m1, ['service', 'inspect', name, '--format', f])).trim();

describe('swarmtop service set-image', () => {
  it('follows the rollout to convergence, exit 0; docker service inspect agrees; the audit line has the diff', async () => {
    const name = await newService('cli-image');
    const r = await runCli(['service', 'set-image', name, 'local/busybox:2', ...host()], h.env, 180_000);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('overall progress: 2 out of 2 tasks');
    expect(r.stdout).toContain(`verify: Service ${name} converged`);
    expect(r.stderr).toContain(`${name}: image local/busybox:1 → local/busybox:2`);
    expect(await field(name, '{{.Spec.TaskTemplate.ContainerSpec.Image}} {{.UpdateStatus.State}}')).toBe('local/busybox:2 completed');
    const images = await dockerCli(m1, ['service', 'ps', name, '--filter', 'desired-state=running', '--format', '{{.Image}}']);
    expect(images.trim().split('\n')).toEqual(['local/busybox:2', 'local/busybox:2']);
    const audit = readFileSync(join(h.stateHome, 'swarmtop', 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; result: string; changes?: string[] });
    expect(audit.at(-1)).toMatchObject({ action: 'service.set-image', result: 'done', changes: ['TaskTemplate.ContainerSpec.Image: local/busybox:1 → local/busybox:2'] });
  });

  it('exits 1 with the engine\'s reason when the update pauses (an image no node has)', async () => {
    const name = await newService('cli-pause', ['--update-failure-action', 'pause']);
    const r = await runCli(['service', 'set-image', name, 'local/busybox:missing', ...host()], h.env, 180_000);
    expect(r.code, r.stdout).toBe(1);
    expect(r.stderr).toMatch(/swarmtop: service update paused: /);
    expect(await field(name, '{{.UpdateStatus.State}}')).toBe('paused');
  });

  it('--detach returns once the update is sent; --read-only refuses and changes nothing', async () => {
    const name = await newService('cli-detach');
    const ro = await runCli(['service', 'set-image', name, 'local/busybox:2', '--read-only', ...host()], h.env);
    expect(ro.code).toBe(1);
    expect(ro.stderr).toMatch(/read-only/);
    expect(await field(name, '{{.Spec.TaskTemplate.ContainerSpec.Image}}')).toBe('local/busybox:1');
    const r = await runCli(['service', 'set-image', name, 'local/busybox:2', '--detach', ...host()], h.env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(name);
    await waitFor('the update done', 120_000, async () => (await field(name, '{{.UpdateStatus.State}}')) === 'completed', 500);
  });

  it('bad input is a message and exit code 2 (a missing argument, an invalid image, edit without a terminal)', async () => {
    const name = await newService('cli-bad');
    expect((await runCli(['service', 'set-image', name, ...host()], h.env)).code).toBe(2);
    const bad = await runCli(['service', 'set-image', name, 'not an image', ...host()], h.env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no spaces/);
    const edit = await runCli(['service', 'edit', name, ...host()], h.env);
    expect(edit.code).toBe(2);
    expect(edit.stderr).toMatch(/needs a terminal/);
    const missing = await runCli(['service', 'set-image', 'no-such-service', 'local/busybox:2', ...host()], h.env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no service named no-such-service');
  });
});
