import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileAuditLog, type AuditEntry } from '../../src/actions/audit.js';
import { guardAction, guardedActions } from '../../src/actions/guard.js';
import { ACTIONS } from '../../src/actions/registry.js';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget } from '../../src/actions/types.js';
import { openUnixSocket } from '../../src/docker/connection.js';

// Never dialled: the test actions below do not touch the connection.
const ctx: ActionContext = { connection: openUnixSocket('/nonexistent/docker.sock'), context: 'prod', readOnly: false };
const target: ActionTarget = { kind: 'service', id: 'svc1', name: 'web', version: 7 };
const TOKEN = 'SWMTKN-1-abcdefghijklmnopqrstuvwxyz0123456789-secretpart';

function fake(o: Partial<ActionSpec> & { result: () => Promise<ActionOutcome> }): ActionSpec & { calls: number } {
  const spec = {
    id: 'test.op', label: 'Test op', key: 'z', command: 'op', targets: 'service' as const, mutating: true, dangerous: false,
    available: () => true as const, impact: () => [], calls: 0,
    ...o,
    run() {
      spec.calls += 1;
      return o.result();
    },
  };
  return spec;
}

function memoryAudit(): { lines: AuditEntry[]; sink: (e: AuditEntry) => Promise<void> } {
  const lines: AuditEntry[] = [];
  return { lines, sink: (e) => Promise.resolve(void lines.push(e)) };
}

describe('guard', () => {
  it('read-only refuses a mutating action without running it, and audits the refusal', async () => {
    const a = fake({ result: () => Promise.resolve({ kind: 'done', message: 'ok' }) });
    const audit = memoryAudit();
    const out = await guardAction(a, { readOnly: true, audit: audit.sink, user: 'alice', now: () => new Date(0) }).run(ctx, target, '3');
    expect(out).toEqual({ kind: 'refused', message: 'read-only mode: "Test op" is refused, nothing was sent' });
    expect(a.calls).toBe(0);
    expect(audit.lines).toEqual([{
      time: '1970-01-01T00:00:00.000Z', context: 'prod', user: 'alice', action: 'test.op',
      target: { kind: 'service', id: 'svc1', name: 'web' }, input: '3', result: 'refused', message: out.message,
    }]);
  });
  it('a read-only context refuses too; a non-mutating action still runs', async () => {
    const audit = memoryAudit();
    const m = fake({ result: () => Promise.resolve({ kind: 'done', message: 'ok' }) });
    expect((await guardAction(m, { readOnly: false, audit: audit.sink }).run({ ...ctx, readOnly: true }, target, null)).kind).toBe('refused');
    const r = fake({ mutating: false, result: () => Promise.resolve({ kind: 'done', message: 'ok' }) });
    expect((await guardAction(r, { readOnly: true, audit: audit.sink }).run(ctx, target, null)).kind).toBe('done');
    expect(audit.lines.map((l) => l.result)).toEqual(['refused', 'attempt', 'done']);
  });
  it('never writes a revealed secret, even if a message repeats it', async () => {
    const a = fake({
      mutating: false,
      result: () => Promise.resolve({ kind: 'done', message: `fetched ${TOKEN}`, reveal: [{ label: 'worker join command', value: TOKEN }] }),
    });
    const audit = memoryAudit();
    const out = await guardAction(a, { readOnly: false, audit: audit.sink }).run(ctx, target, null);
    // The operator still gets the secret (masked by the UI until revealed)...
    expect(out.kind === 'done' ? out.reveal?.[0]?.value : null).toBe(TOKEN);
    // ...the audit log never does.
    expect(JSON.stringify(audit.lines)).not.toContain(TOKEN);
    expect(JSON.stringify(audit.lines)).not.toContain('secretpart');
  });
  it('does not record a secret input', async () => {
    const a = fake({
      input: { kind: 'text', prompt: 'passphrase', secret: true, initial: () => '', validate: () => null },
      result: () => Promise.resolve({ kind: 'done', message: 'ok' }),
    });
    const audit = memoryAudit();
    await guardAction(a, { readOnly: false, audit: audit.sink }).run(ctx, target, 'hunter2-passphrase');
    expect(audit.lines[0]?.input).toBeNull();
    expect(JSON.stringify(audit.lines)).not.toContain('hunter2');
  });
  it('turns a throw into a failed outcome, audited', async () => {
    const a = fake({ result: () => Promise.reject(new Error('boom')) });
    const audit = memoryAudit();
    expect(await guardAction(a, { readOnly: false, audit: audit.sink }).run(ctx, target, null)).toEqual({ kind: 'failed', message: 'boom' });
    expect(audit.lines.map((l) => l.result)).toEqual(['attempt', 'failed']);
  });
  it('writes the attempt, with the endpoint, before anything is sent; the outcome after, tied by the run id', async () => {
    const audit = memoryAudit();
    let seenBeforeRun: string[] = [];
    const a = fake({ result: () => {
      seenBeforeRun = audit.lines.map((l) => l.result);
      return Promise.resolve({ kind: 'done', message: 'scaled' });
    } });
    await guardAction(a, { readOnly: false, audit: audit.sink, user: 'alice', now: () => new Date(0) }).run(ctx, target, '3');
    expect(seenBeforeRun).toEqual(['attempt']);
    const [attempt, done] = audit.lines;
    expect(attempt).toMatchObject({ result: 'attempt', action: 'test.op', input: '3', endpoint: 'unix:///nonexistent/docker.sock', message: 'Test op' });
    expect(done).toMatchObject({ result: 'done', message: 'scaled', endpoint: 'unix:///nonexistent/docker.sock', run: attempt?.run });
    expect(attempt?.run).toMatch(/^[0-9a-f]{12}$/);
  });
  it('fails closed: when the attempt cannot be written the action is refused with the reason, nothing sent', async () => {
    const a = fake({ result: () => Promise.resolve({ kind: 'done', message: 'scaled' }) });
    const out = await guardAction(a, { readOnly: false, audit: () => Promise.reject(new Error('EACCES: permission denied, open \'/state/audit.jsonl\'')) }).run(ctx, target, null);
    expect(a.calls).toBe(0);
    expect(out.kind).toBe('refused');
    expect(out.message).toBe('"Test op" was not run, nothing was sent: the audit log cannot be written (EACCES: permission denied, open \'/state/audit.jsonl\'). Fix it, or start swarmtop with --no-audit to act without one');
  });
  it('an outcome that cannot be written is still reported, saying the audit log missed it', async () => {
    let writes = 0;
    const a = fake({ result: () => Promise.resolve({ kind: 'done', message: 'scaled' }) });
    const out = await guardAction(a, { readOnly: false, audit: () => (++writes === 1 ? Promise.resolve() : Promise.reject(new Error('disk full'))) }).run(ctx, target, null);
    expect(out).toEqual({ kind: 'done', message: 'scaled (its outcome could not be written to the audit log: disk full)' });
  });
  it('--no-audit (no sink) runs without writing anything', async () => {
    const a = fake({ result: () => Promise.resolve({ kind: 'done', message: 'scaled' }) });
    expect(await guardAction(a, { readOnly: false, audit: null }).run(ctx, target, null)).toEqual({ kind: 'done', message: 'scaled' });
    expect(a.calls).toBe(1);
  });
  it('hands the confirmed plan from prepare() to run() and keeps prepare()', async () => {
    let got: unknown = null;
    const prepare = () => Promise.resolve({ kind: 'plan' as const, impact: ['x'], plan: { id: 42 } });
    const a = { ...fake({ result: () => Promise.resolve({ kind: 'done', message: 'ok' }) }), prepare, run: (_c: ActionContext, _t: ActionTarget, _i: string | null, plan?: unknown) => {
      got = plan;
      return Promise.resolve({ kind: 'done' as const, message: 'ok' });
    } };
    const g = guardAction(a, { readOnly: false, audit: memoryAudit().sink });
    expect(g).toHaveProperty('prepare', prepare);
    await g.run(ctx, target, null, { id: 42 });
    expect(got).toEqual({ id: 42 });
  });
  it('the manager join token is mutating-grade (refused read-only, it lets a machine join the control plane); the worker one is not', async () => {
    const audit = memoryAudit();
    const ro = guardedActions({ readOnly: true, audit: audit.sink });
    const swarm: ActionTarget = { kind: 'swarm', id: '', version: 1 };
    const manager = await ro.find((a) => a.id === 'swarm.reveal-manager-join')!.run(ctx, swarm, null);
    expect(manager).toEqual({ kind: 'refused', message: 'read-only mode: "Reveal the manager join command" is refused, nothing was sent' });
    expect(ro.find((a) => a.id === 'swarm.reveal-worker-join')?.mutating).toBe(false);
    expect(audit.lines.map((l) => [l.action, l.result])).toEqual([['swarm.reveal-manager-join', 'refused']]);
  });
  it('guardedActions wraps every declared action, keeping its declaration', () => {
    const wrapped = guardedActions({ readOnly: true, audit: memoryAudit().sink });
    expect(wrapped.map((a) => [a.id, a.key, a.mutating])).toEqual(ACTIONS.map((a) => [a.id, a.key, a.mutating]));
  });
  it('read-only refuses every mutating declared action without touching Docker', async () => {
    const audit = memoryAudit();
    for (const a of guardedActions({ readOnly: true, audit: audit.sink }).filter((x) => x.mutating)) {
      const out = await a.run(ctx, { kind: a.targets, id: 'x', version: 1 }, null);
      expect(out.kind, a.id).toBe('refused');
    }
    expect(audit.lines.length).toBe(ACTIONS.filter((a) => a.mutating).length);
  });
});

describe('fileAuditLog', () => {
  it('appends JSON lines to a 0600 file in a 0700 dir', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'swarmtop-audit-')), 'state', 'swarmtop', 'audit.jsonl');
    const sink = fileAuditLog(file);
    const entry: AuditEntry = {
      time: 't', context: 'c', user: 'u', action: 'a', target: { kind: 'node', id: 'n' }, input: null, result: 'done', message: 'm',
    };
    await sink(entry);
    await sink({ ...entry, message: 'second' });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditEntry);
    expect(lines.map((l) => l.message)).toEqual(['m', 'second']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
  });
});

describe('audit lines of spec changes', () => {
  it('carry the confirmed diff (masked) on every result, and the input as the action masks it', async () => {
    const a = fake({
      input: { kind: 'text', prompt: 'env', initial: () => '', validate: () => null, redact: (raw) => raw.replace(/(PASSWORD=)\S+/, '$1•••') },
      result: () => Promise.resolve({ kind: 'stale', message: 'changed meanwhile' }),
    });
    const audit = memoryAudit();
    const plan = { audit: ['TaskTemplate.ContainerSpec.Env: + DB_PASSWORD=•••'], spec: { secret: 'hunter2' } };
    await guardAction(a, { readOnly: false, audit: audit.sink, user: 'alice', now: () => new Date(0) }).run(ctx, target, 'DB_PASSWORD=hunter2', plan);
    const changes = ['TaskTemplate.ContainerSpec.Env: + DB_PASSWORD=•••'];
    expect(audit.lines[0]).toMatchObject({ input: 'DB_PASSWORD=•••', result: 'attempt', changes });
    expect(audit.lines[1]).toMatchObject({ input: 'DB_PASSWORD=•••', result: 'stale', changes });
    expect(JSON.stringify(audit.lines)).not.toContain('hunter2');
  });

  it('every service change action masks secret-looking env values in its audit input', () => {
    for (const id of ['service.env', 'service.labels', 'service.create']) {
      const a = ACTIONS.find((x) => x.id === id);
      expect(a?.input?.redact?.('API_TOKEN=abc LOG=debug'), id).toBe('API_TOKEN=••• LOG=debug');
    }
  });
});
