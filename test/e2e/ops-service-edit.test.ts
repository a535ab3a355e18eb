/**
 * Service changes through the guarded actions against the lab, with a scripted $EDITOR (a small shell
 * script that rewrites the file, as an operator would): an edit changes exactly the fields edited and
 * keeps every other field as the engine had it; a `docker service update` between opening and saving
 * gives the stale path (what changed meanwhile, the edit merged onto the fresh spec); invalid YAML and
 * invalid values get line-and-column messages and send nothing; quick edits give the spec the docker CLI
 * gives from the same input; create's form matches `docker service create`; read-only refuses all.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ActionContext, ActionTarget, Prepared } from '../../src/actions/types.js';
import { sampleCluster } from '../fixtures/cluster.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { createService, inspect, opsHarness, serviceTarget, versionOf, waitRunning, type Json } from './ops-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const ops = opsHarness(m1);
const ctx: ActionContext = { connection: ops.connection, context: 'lab', readOnly: false };
const created: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'svc-edit-'));
const savedEditor = process.env.EDITOR;

afterEach(() => {
  process.env.EDITOR = savedEditor;
});
afterAll(async () => {
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  await ops.connection.close();
  rmSync(dir, { recursive: true, force: true });
});

let scripts = 0;
/** $EDITOR: a shell script run on the file ("$1"); `body` edits it (sed, a here-document...). */
function editor(body: string): void {
  scripts += 1;
  const file = join(dir, `edit-${scripts}.sh`);
  writeFileSync(file, `#!/bin/sh\nset -e\nf="$1"\n${body}\n`, { mode: 0o700 });
  process.env.EDITOR = `sh ${file}`;
}

async function newService(prefix: string, args: readonly string[] = [], replicas = 1): Promise<string> {
  const name = uniqueName(prefix);
  created.push(name);
  await createService(m1, name, ['--replicas', String(replicas), '--update-delay', '0s', '--env', 'KEEP=1', '--env', 'DB_PASSWORD=hunter2', '--label', 'team=ops',
    '--limit-memory', '64M', '--constraint', 'node.role!=nobody', '--mount', 'type=tmpfs,target=/scratch', ...args, 'local/busybox:1', 'sleep', '1d']);
  await waitRunning(m1, name, replicas);
  return name;
}

const spec = async (name: string): Promise<Json> => (await inspect(m1, 'service', name)).Spec as Json;

function without(obj: Json, paths: readonly string[][]): Json {
  const copy = structuredClone(obj);
  for (const p of paths) {
    let cur: Json | undefined = copy;
    for (const k of p.slice(0, -1)) cur = cur?.[k] as Json | undefined;
    if (cur) delete cur[p[p.length - 1]!];
  }
  return copy;
}

async function prepare(target: ActionTarget, id = 'service.edit', input: string | null = null, resume?: unknown): Promise<Prepared> {
  const action = ops.action(id);
  // The plan's counts come from the state; the spec, the diff and the checks from the engine.
  return action.prepare!(ctx, sampleCluster(), target, input, { resume });
}

describe('edit the spec in $EDITOR (scripted)', () => {
  it('changes exactly the fields edited; every other field stays as the engine had it', async () => {
    const name = await newService('edit');
    const before = await spec(name);
    editor([
      `sed -i 's/Replicas: 1/Replicas: 2/' "$f"`,
      `sed -i 's/KEEP=1/KEEP=2/' "$f"`,
      `sed -i 's/^  team: ops$/  team: ops\\n  tier: front/' "$f"`,
    ].join('\n'));
    const target = await serviceTarget(m1, name);
    const prepared = await prepare(target);
    if (prepared.kind !== 'plan') throw new Error(`expected a plan, got ${JSON.stringify(prepared)}`);
    const text = prepared.impact.join('\n');
    expect(text).toContain('Mode.Replicated.Replicas: 1 → 2');
    expect(text).toContain('TaskTemplate.ContainerSpec.Env: - KEEP=1');
    expect(text).toContain('TaskTemplate.ContainerSpec.Env: + KEEP=2');
    expect(text).toContain('Labels.tier: + front');
    expect(text).toMatch(/Every task of .* is replaced, rolling 1 at a time, 0s apart/);
    // The secret-looking env value never shows (it did not change, and would be masked if it had).
    expect(text).not.toContain('hunter2');
    const out = await ops.action('service.edit').run(ctx, target, null, prepared.plan);
    expect(out).toMatchObject({ kind: 'done', follow: { services: [{ id: target.id }] } });
    const after = await spec(name);
    expect((after.Mode as Json).Replicated).toEqual({ Replicas: 2 });
    expect(((after.TaskTemplate as Json).ContainerSpec as Json).Env).toEqual(['KEEP=2', 'DB_PASSWORD=hunter2']);
    expect(after.Labels).toEqual({ team: 'ops', tier: 'front' });
    const edited = [['Mode'], ['Labels'], ['TaskTemplate', 'ContainerSpec', 'Env']];
    // TaskTemplate compared without Env; the rest of the spec (mounts, limits, placement, policies...) byte for byte.
    const strip = (s: Json): Json => {
      const c = without(s, edited.slice(0, 2));
      const cs = ((c.TaskTemplate as Json).ContainerSpec as Json);
      delete cs.Env;
      return c;
    };
    expect(JSON.stringify(strip(after))).toBe(JSON.stringify(strip(before)));
    const line = JSON.parse(readFileSync(ops.auditFile, 'utf8').trim().split('\n').pop()!) as { action: string; changes: string[] };
    expect(line.action).toBe('service.edit');
    expect(line.changes).toContain('Mode.Replicated.Replicas: 1 → 2');
    expect(readFileSync(ops.auditFile, 'utf8')).not.toContain('hunter2');
  });

  it('an unchanged file or an emptied one sends nothing', async () => {
    const name = await newService('noop');
    const v = versionOf(await inspect(m1, 'service', name));
    editor('true');
    expect(await prepare(await serviceTarget(m1, name))).toMatchObject({ kind: 'nothing', message: expect.stringMatching(/no change/) as unknown });
    editor(`: > "$f"`);
    expect(await prepare(await serviceTarget(m1, name))).toMatchObject({ kind: 'nothing', message: expect.stringMatching(/emptied/) as unknown });
    expect(versionOf(await inspect(m1, 'service', name))).toBe(v);
  });

  it('a docker service update between opening and saving yields the stale path: what changed, and the edit merged onto the fresh spec', async () => {
    const name = await newService('stale');
    // The editor saves an edit while someone else changes the service (the script runs the docker CLI).
    const sock = m1.socket;
    editor([
      `sed -i 's/KEEP=1/KEEP=mine/' "$f"`,
      `docker -H unix://${sock} service update --detach --label-add theirs=1 ${name} >/dev/null`,
    ].join('\n'));
    const target = await serviceTarget(m1, name);
    const asked = await prepare(target);
    if (asked.kind !== 'ask') throw new Error(`expected the stale question, got ${JSON.stringify(asked)}`);
    expect(asked.title).toMatch(/changed since you opened it/);
    expect(asked.lines.join('\n')).toContain('Labels.theirs: + 1');
    expect(asked.question).toMatch(/re-open the editor with your edits merged/);
    // Nothing of the operator's was sent.
    expect(((await spec(name)).TaskTemplate as Json).ContainerSpec).toMatchObject({ Env: ['KEEP=1', 'DB_PASSWORD=hunter2'] });
    // Re-opened on the merged text: the operator saves it as it is.
    editor('grep -q "KEEP=mine" "$f" && grep -q "theirs:" "$f"');
    const merged = await prepare(target, 'service.edit', null, asked.resume);
    if (merged.kind !== 'plan') throw new Error(`expected a plan, got ${JSON.stringify(merged)}`);
    expect(await ops.action('service.edit').run(ctx, target, null, merged.plan)).toMatchObject({ kind: 'done' });
    const after = await spec(name);
    expect(after.Labels).toMatchObject({ theirs: '1', team: 'ops' });
    expect(((after.TaskTemplate as Json).ContainerSpec as Json).Env).toEqual(['KEEP=mine', 'DB_PASSWORD=hunter2']);
  });

  it('a change between the confirmation and the update is stale too, never overwritten', async () => {
    const name = await newService('race');
    editor(`sed -i 's/KEEP=1/KEEP=mine/' "$f"`);
    const target = await serviceTarget(m1, name);
    const prepared = await prepare(target);
    if (prepared.kind !== 'plan') throw new Error('expected a plan');
    await dockerCli(m1, ['service', 'update', '--detach', '--label-add', 'theirs=2', name]);
    const out = await ops.action('service.edit').run(ctx, target, null, prepared.plan);
    expect(out.kind).toBe('stale');
    if (out.kind !== 'stale') return;
    expect(out.ask?.lines.join('\n')).toContain('Labels.theirs: + 2');
    expect((await spec(name)).Labels).toMatchObject({ theirs: '2' });
    expect(((await spec(name)).TaskTemplate as Json).ContainerSpec).toMatchObject({ Env: ['KEEP=1', 'DB_PASSWORD=hunter2'] });
  });

  it('invalid YAML and invalid values: line and column, re-open with the text kept, nothing sent', async () => {
    const name = await newService('invalid');
    const v = versionOf(await inspect(m1, 'service', name));
    const target = await serviceTarget(m1, name);
    editor(`printf 'Name: ${name}\\nMode: [unclosed\\n' > "$f"`);
    const yaml = await prepare(target);
    if (yaml.kind !== 'ask') throw new Error(`expected a question, got ${JSON.stringify(yaml)}`);
    expect(yaml.lines[0]).toMatch(/^line \d+, column \d+: invalid YAML/);
    expect(yaml.question).toBe('re-open the editor with your text');
    // Re-opened with the text kept and the error on top: the script checks it, then fixes one value badly.
    editor(`grep -q '^# error: line' "$f" && grep -q 'unclosed' "$f"`);
    const again = await prepare(target, 'service.edit', null, yaml.resume);
    expect(again.kind).toBe('ask');
    editor(`sed -i 's/Replicas: 1/Replicas: -1/; s/MemoryBytes: 67108864/MemoryBytes: 512m/' "$f"`);
    const values = await prepare(target);
    if (values.kind !== 'ask') throw new Error('expected a question');
    const text = values.lines.join('\n');
    expect(text).toMatch(/line \d+, column \d+: Mode.Replicated.Replicas: must be a whole number from 0/);
    expect(text).toMatch(/line \d+, column \d+: TaskTemplate.Resources.Limits.MemoryBytes: must be a whole number \(bytes\)/);
    expect(versionOf(await inspect(m1, 'service', name))).toBe(v);
  });

  it('an editor that fails or is killed changes nothing and says so', async () => {
    const name = await newService('editor-fail');
    const target = await serviceTarget(m1, name);
    process.env.EDITOR = join(dir, 'no-such-editor');
    expect(await prepare(target)).toMatchObject({ kind: 'failed', message: expect.stringMatching(/was not found.*nothing was changed/) as unknown });
    editor('kill -9 $$');
    expect(await prepare(target)).toMatchObject({ kind: 'failed', message: expect.stringMatching(/ended by SIGKILL|exited with status 137/) as unknown });
    editor('exit 3');
    expect(await prepare(target)).toMatchObject({ kind: 'failed', message: expect.stringMatching(/exited with status 3/) as unknown });
  });
});

describe('quick edits give the spec the docker CLI gives from the same input', () => {
  it('env, ports, limits, update policy, restart policy, placement, labels', async () => {
    const ours = await newService('quick-ours');
    const theirs = await newService('quick-cli');
    const steps: [string, string, string[]][] = [
      ['service.env', 'LOG=debug -KEEP', ['--env-add', 'LOG=debug', '--env-rm', 'KEEP']],
      ['service.publish', '18080:80', ['--publish-add', '18081:80']],
      ['service.resources', 'limit-cpu=0.5 limit-memory=128m reserve-memory=32Mi', ['--limit-cpu', '0.5', '--limit-memory', '128M', '--reserve-memory', '32M']],
      ['service.update-policy', 'parallelism=2 delay=3s order=start-first failure-action=rollback monitor=7s max-failure-ratio=0.2',
        ['--update-parallelism', '2', '--update-delay', '3s', '--update-order', 'start-first', '--update-failure-action', 'rollback', '--update-monitor', '7s', '--update-max-failure-ratio', '0.2']],
      ['service.restart-policy', 'condition=on-failure delay=2s max-attempts=4 window=30s', ['--restart-condition', 'on-failure', '--restart-delay', '2s', '--restart-max-attempts', '4', '--restart-window', '30s']],
      ['service.placement', 'node.labels.zone==a -node.role!=nobody spread=node.labels.rack', ['--constraint-add', 'node.labels.zone==a', '--constraint-rm', 'node.role!=nobody', '--placement-pref-add', 'spread=node.labels.rack']],
      ['service.labels', 'tier=front -team', ['--label-add', 'tier=front', '--label-rm', 'team']],
    ];
    for (const [id, line, args] of steps) {
      const target = await serviceTarget(m1, ours);
      const prepared = await prepare(target, id, line);
      if (prepared.kind !== 'plan') throw new Error(`${id}: ${JSON.stringify(prepared)}`);
      expect(await ops.action(id).run(ctx, target, line, prepared.plan), id).toMatchObject({ kind: 'done' });
      await dockerCli(m1, ['service', 'update', '--detach', ...args, theirs]);
    }
    const a = await spec(ours);
    const b = await spec(theirs);
    const tt = (s: Json): Json => s.TaskTemplate as Json;
    // The docker CLI rebuilds the list from a Go map after --env-add: its order is random, the set is what counts.
    const env = (s: Json): string[] => [...((tt(s).ContainerSpec as Json).Env as string[])].sort();
    expect(env(a)).toEqual(env(b));
    expect(tt(a).Resources).toEqual(tt(b).Resources);
    expect(tt(a).RestartPolicy).toEqual(tt(b).RestartPolicy);
    expect(tt(a).Placement).toEqual(tt(b).Placement);
    expect(a.UpdateConfig).toEqual(b.UpdateConfig);
    expect(a.Labels).toEqual(b.Labels);
    const port = (s: Json): unknown => ((s.EndpointSpec as Json).Ports as Json[]).map((p) => ({ ...p, PublishedPort: 0 }));
    expect(port(a)).toEqual(port(b));
  });

  it('a bad value is refused before anything is read or sent, with the reason', () => {
    const env = ops.action('service.resources');
    expect(env.input?.validate('limit-memory=lots', (null as never), (null as never))).toMatch(/limit-memory: "lots" is not a size/);
    expect(ops.action('service.placement').input?.validate('node.label.zone==a', (null as never), (null as never))).toMatch(/unknown key "node.label.zone"/);
  });
});

describe('read-only refuses every service change before anything is sent', () => {
  it.each(['service.set-image', 'service.edit', 'service.env', 'service.create', 'service.update-policy'])('%s', async (id) => {
    const name = await newService('ro');
    const v = versionOf(await inspect(m1, 'service', name));
    const out = await ops.run(id, await serviceTarget(m1, name), 'local/busybox:2', true);
    expect(out.kind).toBe('refused');
    expect(out.message).toMatch(/read-only/);
    expect(versionOf(await inspect(m1, 'service', name))).toBe(v);
  });
});
