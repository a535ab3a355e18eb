import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/actions/audit.js';
import { guardAction } from '../../src/actions/guard.js';
import { parseCreateLine, quoteWord, splitWords, valueError } from '../../src/actions/secrets/create-line.js';
import { verdictOf } from '../../src/actions/secrets/converge.js';
import { findRotation, nameError, proposeName, ROTATED_FROM_ID, ROTATED_FROM_NAME, successorLabels } from '../../src/actions/secrets/names.js';
import { removable } from '../../src/actions/secrets/remove.js';
import { rotationImpact, type RotationPlan } from '../../src/actions/secrets/rotation-plan.js';
import { releasePlan } from '../../src/actions/secrets/rotation-run.js';
import { selectRotationStatus } from '../../src/actions/secrets/rotation-status.js';
import { rotateAction, validateNewName } from '../../src/actions/secrets/rotate.js';
import type { ActionContext, ActionSpec, ActionTarget } from '../../src/actions/types.js';
import { openUnixSocket } from '../../src/docker/connection.js';
import type { UpdateStatus } from '../../src/store/model.js';
import { clusterState, makeSecret, makeService, makeTask } from '../fixtures/cluster.js';

const secretTarget = (id: string, name = id): ActionTarget => ({ kind: 'secret', id, name, version: 1 });
const status = (state: UpdateStatus['state'], message = ''): UpdateStatus => ({ state, startedAt: 1000, completedAt: 0, message });

describe('secret names and the rotation found in the cluster', () => {
  it('accepts the names docker accepts', () => {
    expect(nameError('db_pass.v2-x')).toBeNull();
    expect(nameError('')).toBe('a name is needed');
    expect(nameError('-db')).toContain('letters, digits');
    expect(nameError('a'.repeat(65))).toContain('at most 64');
  });

  it('proposes NAME_v2, NAME_v3 after _v2, skipping names taken', () => {
    const state = clusterState({ secrets: [makeSecret({ id: 's1', name: 'db' }), makeSecret({ id: 's2', name: 'db_v2' })] });
    expect(proposeName(state, 'secret', 'db')).toBe('db_v3');
    expect(proposeName(state, 'secret', 'db_v2')).toBe('db_v3');
    expect(proposeName(state, 'secret', 'api')).toBe('api_v2');
    expect(proposeName(state, 'config', 'db')).toBe('db_v2');
  });

  it('a new version keeps the old one\'s labels (a stack\'s namespace too) and records where it comes from', () => {
    const old = makeSecret({ id: 'old1', name: 'shop_db', labels: { 'com.docker.stack.namespace': 'shop', [ROTATED_FROM_ID]: 'older', team: 'ops' } });
    expect(successorLabels(old)).toEqual({ 'com.docker.stack.namespace': 'shop', team: 'ops', [ROTATED_FROM_ID]: 'old1', [ROTATED_FROM_NAME]: 'shop_db' });
  });

  it('finds a half-done rotation from either end, and a fresh one otherwise', () => {
    const old = makeSecret({ id: 'old', name: 'db' });
    const next = makeSecret({ id: 'new', name: 'db_v2', createdAt: 5, labels: { [ROTATED_FROM_ID]: 'old' } });
    const user = makeService({ id: 'web', secretIds: ['old'], secretNames: ['db'] });
    const half = clusterState({ secrets: [old, next], services: [user] });
    expect(findRotation(half, 'secret', old)).toEqual({ old, next });
    expect(findRotation(half, 'secret', next)).toEqual({ old, next });
    // Every service moved and the old one kept: R on the new one starts a new rotation.
    const done = clusterState({ secrets: [old, next], services: [makeService({ id: 'web', secretIds: ['new'] })] });
    expect(findRotation(done, 'secret', next)).toEqual({ old: next, next: null });
    expect(findRotation(clusterState({ secrets: [old] }), 'secret', old)).toEqual({ old, next: null });
  });

  it('the new name must be the half-done rotation\'s, or a free one', () => {
    const old = makeSecret({ id: 'old', name: 'db' });
    const next = makeSecret({ id: 'new', name: 'db_v2', labels: { [ROTATED_FROM_ID]: 'old' } });
    const half = clusterState({ secrets: [old, next] });
    expect(validateNewName(half, 'secret', secretTarget('old'), 'db_v2')).toBeNull();
    expect(validateNewName(half, 'secret', secretTarget('old'), 'db_v9')).toContain('half done: enter db_v2 to continue it');
    const fresh = clusterState({ secrets: [old, makeSecret({ id: 'x', name: 'taken' })] });
    expect(validateNewName(fresh, 'secret', secretTarget('old'), 'taken')).toContain('exists already');
    const rotate = rotateAction('secret');
    expect(rotate.input!.initial(half, secretTarget('old'))).toBe('db_v2');
    expect(rotate.value!.needed(half, secretTarget('old'), 'db_v2')).toBe(false);
    expect(rotate.value!.needed(fresh, secretTarget('old'), 'db_v2')).toBe(true);
  });
});

describe('the create line', () => {
  it('reads NAME [FILE] [key=value …] and a config\'s template driver', () => {
    expect(parseCreateLine('db ./pw.txt team=ops "note=two words"', 'secret')).toEqual({ name: 'db', file: './pw.txt', labels: { team: 'ops', note: 'two words' }, templateDriver: null });
    expect(parseCreateLine('app /etc/app.tmpl --template-driver golang', 'config')).toEqual({ name: 'app', file: '/etc/app.tmpl', labels: {}, templateDriver: 'golang' });
    expect(parseCreateLine('db', 'secret')).toEqual({ name: 'db', file: null, labels: {}, templateDriver: null });
  });

  it('says what is wrong', () => {
    expect(parseCreateLine('db --template-driver golang', 'secret')).toBe('a template driver is for configs only');
    expect(parseCreateLine('app --template-driver=jinja', 'config')).toContain('the engine knows golang');
    expect(parseCreateLine('db -', 'secret')).toContain('cannot read standard input');
    expect(parseCreateLine('db a.txt b.txt', 'secret')).toContain('one file only');
    expect(parseCreateLine('db a=1 a=2', 'secret')).toContain('appears twice');
    expect(parseCreateLine('db "open', 'secret')).toBe('a quote is not closed');
  });

  it('quotes words so the line reads back the same', () => {
    for (const w of ['plain', 'two words', 'a"quote', 'back\\slash']) expect(splitWords(quoteWord(w))).toEqual([w]);
  });

  it('checks the engine\'s size limits before sending', () => {
    expect(valueError('secret', Buffer.alloc(0))).toBe('a secret cannot be empty');
    expect(valueError('config', Buffer.alloc(0))).toBeNull();
    expect(valueError('secret', Buffer.alloc(500 * 1024))).toContain('smaller than 500 KiB');
  });
});

describe('remove', () => {
  it('is refused while services use it, naming them', () => {
    const state = clusterState({
      secrets: [makeSecret({ id: 's1', name: 'db' }), makeSecret({ id: 's2', name: 'spare' })],
      services: [makeService({ id: 'web', secretIds: ['s1'] }), makeService({ id: 'api', secretIds: ['s1'] })],
    });
    expect(removable(state, 'secret', 's1')).toMatch(/^db is used by 2 services: (web, api|api, web) — the engine refuses/);
    expect(removable(state, 'secret', 's2')).toBe(true);
    expect(removable(state, 'secret', 'gone')).toContain('no longer exists');
  });
});

const plan = (o: Partial<RotationPlan> = {}): RotationPlan => ({
  kind: 'secret',
  old: { id: 'old', name: 'shop_db', version: 10 },
  next: { id: null, name: 'shop_db_v2', labels: { 'com.docker.stack.namespace': 'shop' } },
  value: Buffer.from('s3cret-value'),
  templateDriver: null,
  services: [
    { id: 'web', name: 'shop_web', version: 41, uses: 'old', mounts: [{ target: 'db', uid: '0', gid: '0', mode: 0o444, runtime: false }], mode: 'replicated 3', policy: '1 at a time, 0s apart, stop-first, on failure: pause', restarts: 3, stack: 'shop' },
    { id: 'cron', name: 'cron', version: 7, uses: 'old', mounts: [{ target: 'creds', uid: '100', gid: '101', mode: 0o400, runtime: false }], mode: 'global', policy: 'default policy: 1 task at a time, stop-first', restarts: 4, stack: null },
    { id: 'api', name: 'api', version: 9, uses: 'new', mounts: [], mode: 'replicated 1', policy: '', restarts: 0, stack: null },
  ],
  ...o,
});

describe('the rotation plan as confirmed', () => {
  it('names the new version, every service with its mounts, policy, version and tasks, and what stays', () => {
    const lines = rotationImpact(plan());
    const text = lines.join('\n');
    expect(lines[0]).toBe('New secret shop_db_v2 (12 bytes), labels kept (stack shop); it records that it replaces shop_db.');
    expect(text).toContain('shop_web (replicated 3, stack shop, v41): /run/secrets/db uid 0 gid 0 mode 0444 — 3 tasks restart: 1 at a time, 0s apart, stop-first, on failure: pause.');
    expect(text).toContain('cron (global, v7): /run/secrets/creds uid 100 gid 101 mode 0400 — 4 tasks restart');
    expect(text).toContain('Already on shop_db_v2: api');
    expect(text).toContain('2 services move to shop_db_v2, one at a time');
    expect(text).toContain('7 tasks restart in all');
    expect(text).toContain('shop_db is kept until every rollout has converged');
    expect(text).toContain('Stack shop: a later docker stack deploy of the same compose file puts shop_db back');
    expect(text).not.toContain('s3cret-value');
  });

  it('continuing a half-done rotation creates nothing', () => {
    expect(rotationImpact(plan({ next: { id: 'new', name: 'shop_db_v2', labels: {} }, value: null }))[0]).toContain('Continues the rotation of shop_db to shop_db_v2');
  });

  it('zeroes the value a dropped plan holds', () => {
    const p = plan();
    releasePlan(p);
    expect(p.value!.every((b) => b === 0)).toBe(true);
    releasePlan(null);
  });
});

describe('convergence of one service after the rotation updated it (on selectRollout)', () => {
  const applied = (s: { secretIds: readonly string[] }): boolean => s.secretIds.includes('new');
  const at = (o: Parameters<typeof makeService>[0], tasks = [makeTask({ id: 't1', serviceId: 'web', createdAt: 2000 })]) =>
    clusterState({ services: [makeService({ secretIds: ['new'], ...o })], tasks });

  it('waits until the state shows the update, then follows the updater', () => {
    expect(verdictOf(at({ id: 'web', version: 41, updateStatus: status('completed') }), 'web', 41, applied).kind).toBe('converging');
    expect(verdictOf(at({ id: 'web', version: 42, updateStatus: null }), 'web', 41, applied).kind).toBe('converging');
    expect(verdictOf(at({ id: 'web', version: 43, updateStatus: status('updating') }), 'web', 41, applied).kind).toBe('converging');
    expect(verdictOf(at({ id: 'web', version: 44, updateStatus: status('completed') }), 'web', 41, applied).kind).toBe('converged');
  });

  it('a pause or a rollback stops it; so does someone else changing the service', () => {
    expect(verdictOf(at({ id: 'web', version: 44, updateStatus: status('paused', 'update paused due to failure') }), 'web', 41, applied)).toMatchObject({ kind: 'paused', message: 'update paused due to failure' });
    expect(verdictOf(at({ id: 'web', version: 44, secretIds: ['old'], updateStatus: status('rollback_completed') }), 'web', 41, applied).kind).toBe('rolled-back');
    expect(verdictOf(at({ id: 'web', version: 44, secretIds: ['old'], updateStatus: status('completed') }), 'web', 41, applied).kind).toBe('changed');
    expect(verdictOf(at({ id: 'web', version: 44 }), 'gone', 41, applied).kind).toBe('gone');
  });

  it('nothing to roll (no task wanted) or a job is converged at once', () => {
    expect(verdictOf(at({ id: 'web', version: 42, mode: { kind: 'replicated', replicas: 0 }, updateStatus: null }, []), 'web', 41, applied).kind).toBe('converged');
    expect(verdictOf(at({ id: 'web', version: 42, mode: { kind: 'replicated-job', maxConcurrent: 1, totalCompletions: 1 } }), 'web', 41, applied).kind).toBe('converged');
  });
});

describe('which service uses which version', () => {
  it('lists failed first, then not moved, moving, converged', () => {
    const state = clusterState({
      services: [
        makeService({ id: 'a', secretIds: ['new'], updateStatus: status('completed') }),
        makeService({ id: 'b', secretIds: ['new'], updateStatus: status('paused', 'task failed') }),
        makeService({ id: 'c', secretIds: ['old'] }),
        makeService({ id: 'd', secretIds: ['new'], updateStatus: status('updating') }),
        makeService({ id: 'e', secretIds: ['other'] }),
      ],
    });
    const s = selectRotationStatus(state, { kind: 'secret', oldId: 'old', oldName: 'db', newId: 'new', newName: 'db_v2' });
    expect(s.rows.map((r) => `${r.name}:${r.uses}:${r.failed ? 'failed' : r.converged ? 'ok' : '…'}`)).toEqual(['b:new:failed', 'c:old:…', 'd:new:…', 'a:new:ok']);
    expect([s.onOld, s.onNew, s.complete]).toEqual([1, 3, false]);
  });
});

describe('the guard records each step of a long operation', () => {
  it('the attempt, one line per step with its own target and no input, then the operation\'s own line', async () => {
    const lines: AuditEntry[] = [];
    const ctx: ActionContext = { connection: openUnixSocket('/nonexistent/docker.sock'), context: 'prod', readOnly: false };
    const op: ActionSpec = {
      id: 'secret.rotate', label: 'Rotate', key: 'R', command: 'rotate-secret', targets: 'secret', mutating: true, dangerous: true,
      available: () => true, impact: () => [],
      async run(c) {
        await c.recordStep?.({ step: 'create', target: secretTarget('new', 'db_v2'), outcome: { kind: 'done', message: 'created' } });
        await c.recordStep?.({ step: 'update-service', target: { kind: 'service', id: 'web', name: 'web', version: 4 }, outcome: { kind: 'stale', message: 'web changed' } });
        return { kind: 'stale', message: 'stopped' };
      },
    };
    await guardAction(op, { readOnly: false, audit: (e) => Promise.resolve(void lines.push(e)), user: 'alice' }).run(ctx, secretTarget('old', 'db'), 'db_v2');
    expect(lines.map((l) => [l.action, l.target.name, l.input, l.result])).toEqual([
      ['secret.rotate', 'db', 'db_v2', 'attempt'],
      ['secret.rotate:create', 'db_v2', null, 'done'],
      ['secret.rotate:update-service', 'web', null, 'stale'],
      ['secret.rotate', 'db', 'db_v2', 'stale'],
    ]);
    expect(new Set(lines.map((l) => l.run)).size).toBe(1);
  });
});
