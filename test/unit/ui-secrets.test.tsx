import { PassThrough } from 'node:stream';
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RotationProgress } from '../../src/actions/secrets/rotation-run.js';
import type { ActionOutcome, Prepared } from '../../src/actions/types.js';
import type { UpdateStatus } from '../../src/store/model.js';
import { rotationPrinter } from '../../src/cli/rotation-progress.js';
import { editValue } from '../../src/ui/actionFlow.js';
import { RotationView } from '../../src/ui/rotation/RotationView.js';
import { clusterState, makeConfig, makeSecret, makeService, makeTask, sampleCluster } from '../fixtures/cluster.js';
import { KEY, renderApp, testAction, testStore, tick } from './ui-support.js';

afterEach(() => cleanup());

const status = (state: UpdateStatus['state'], message = ''): UpdateStatus => ({ state, startedAt: 1000, completedAt: 0, message });
const COLORS = { ok: undefined, warn: undefined, bad: undefined, dim: undefined };

describe('the masked value step', () => {
  it('n in the secrets pane: name, then a value that is never drawn, handed to prepare as bytes', async () => {
    let seen: string | null = null;
    let held: Buffer | null = null;
    const create = testAction({
      id: 'secret.create', label: 'Create a secret', key: 'n', targets: 'secret', creates: true, dangerous: true,
      input: { kind: 'text', prompt: 'name', initial: () => '', validate: () => null },
      value: { prompt: 'value (masked)', masked: true, needed: () => true },
      prepare: (_c, _s, _t, _i, more): Promise<Prepared> => {
        const value = more?.value;
        seen = value?.toString('utf8') ?? null;
        held = value ?? null;
        return Promise.resolve({ kind: 'plan', impact: ['secret pw is created'], plan: { value } });
      },
      release: (plan) => (plan as { value: Buffer }).value.fill(0),
    });
    // Nothing selected: an empty secrets pane still takes n.
    const app = renderApp(clusterState(), { actions: [create] });
    await app.press('5', 'n');
    expect(app.frame()).toContain('Create a secret — secret (new)');
    await app.type('pw');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('value (masked):');
    await app.type('hunter2é');
    expect(app.frame()).not.toContain('hunter2');
    expect(app.frame()).toContain('•'.repeat(9));
    await app.press(KEY.backspace);
    await app.press(KEY.enter);
    await tick();
    expect(seen).toBe('hunter2');
    expect(app.frame()).toContain('secret pw is created');
    // Cancelling the confirmation zeroes the bytes the plan holds.
    await app.press('n');
    expect(held!.every((b) => b === 0)).toBe(true);
  });

  it('an empty value is asked again; esc cancels without preparing anything', async () => {
    let prepared = 0;
    const create = testAction({
      id: 'secret.create', label: 'Create a secret', key: 'n', targets: 'secret', creates: true,
      input: { kind: 'text', prompt: 'name', initial: () => '', validate: () => null },
      value: { prompt: 'value', masked: true, needed: () => true },
      prepare: () => Promise.resolve((prepared++, { kind: 'nothing', message: 'x' })),
    });
    const app = renderApp(clusterState(), { actions: [create] });
    await app.press('5', 'n');
    await app.type('pw');
    await app.press(KEY.enter, KEY.enter);
    expect(app.frame()).toContain('type the value (esc cancels)');
    await app.press(KEY.esc);
    expect(app.frame()).toContain('Create a secret: cancelled');
    expect(prepared).toBe(0);
  });

  it('editValue adds and erases whole UTF-8 characters and zeroes what it replaces', () => {
    const a = editValue(Buffer.alloc(0), 'é');
    const b = editValue(a, 'x');
    expect(a.every((x) => x === 0)).toBe(true);
    expect(b.toString('utf8')).toBe('éx');
    const c = editValue(editValue(b, null), null);
    expect(c.length).toBe(0);
  });
});

describe('unused and missing marks', () => {
  it('the secrets pane marks what nothing uses, and a mounted secret that no longer exists', async () => {
    const state = clusterState({
      secrets: [makeSecret({ id: 's1', name: 'db-pass' }), makeSecret({ id: 's2', name: 'left-over' })],
      services: [makeService({ id: 'web', secretIds: ['s1', 'gone1'], secretNames: ['db-pass', 'old-token'] })],
    });
    const app = renderApp(state);
    await app.press('5');
    const line = (name: string): string => app.frame().split('\n').find((l) => l.includes(name)) ?? '';
    expect(line('left-over')).toContain('unused');
    expect(line('old-token')).toContain('missing');
    expect(line('db-pass')).not.toMatch(/unused|missing/);
    await app.press('6');
    expect(app.frame()).toContain('Configs [0]');
  });

  it('the configs pane too', async () => {
    const app = renderApp(clusterState({ configs: [makeConfig({ id: 'c1', name: 'nginx-conf' })] }));
    await app.press('6');
    expect(app.frame().split('\n').find((l) => l.includes('nginx-conf'))).toContain('unused');
  });
});

describe('the rotation view', () => {
  const state = clusterState({
    services: [
      makeService({ id: 'a', name: 'api', secretIds: ['new'], updateStatus: status('completed'), mode: { kind: 'replicated', replicas: 1 } }),
      makeService({ id: 'b', name: 'billing', secretIds: ['new'], updateStatus: status('paused', 'task 1 failed'), mode: { kind: 'replicated', replicas: 1 } }),
      makeService({ id: 'c', name: 'cron', secretIds: ['old'] }),
    ],
    tasks: [makeTask({ id: 't1', serviceId: 'a', createdAt: 2000 }), makeTask({ id: 't2', serviceId: 'b', createdAt: 500 })],
  });
  const progress: RotationProgress = {
    ref: { kind: 'secret', oldId: 'old', oldName: 'db', newId: 'new', newName: 'db_v2' },
    phase: 'billing: the rollout paused (task 1 failed). Done: created db_v2. Left on db: cron. db is kept; R continues.',
    current: null, ended: true, stopped: true,
  };

  it('shows every service with the version it mounts, its rollout, the paused one and why the rotation stopped', () => {
    const { lastFrame } = render(<RotationView state={state} progress={progress} width={100} height={12} colors={COLORS} />);
    const frame = lastFrame() ?? '';
    expect(frame).toContain('Rotating secret db → db_v2');
    expect(frame).toContain('Left on db: cron');
    expect(frame).toContain('on db: 1 · on db_v2: 2');
    const rows = frame.split('\n');
    expect(rows.find((l) => l.startsWith('  billing'))).toMatch(/db_v2\s+0\/1\s+paused: task 1 failed/);
    expect(rows.find((l) => l.startsWith('  cron'))).toMatch(/db\s+.*not moved yet/);
    expect(rows.find((l) => l.startsWith('  api'))).toMatch(/db_v2\s+1\/1\s+converged/);
  });

  it('the console opens it while a rotation runs; esc stops the rotation, a second esc closes the view', async () => {
    const rotate = testAction({
      id: 'secret.rotate', label: 'Rotate the secret', key: 'R', targets: 'secret', dangerous: true,
      run: (ctx) => {
        ctx.progress?.({ ...progress, phase: 'moving cron to db_v2…', current: 'c', ended: false, stopped: false });
        return new Promise<ActionOutcome>((r) => ctx.signal?.addEventListener('abort', () => r({ kind: 'failed', message: 'Stopped at your request.' })));
      },
    });
    const app = renderApp({ ...state, secrets: new Map([['old', makeSecret({ id: 'old', name: 'db' })]]) }, { actions: [rotate] });
    await app.press('5', 'R', 'y');
    await tick();
    expect(app.frame()).toContain('Rotating secret db → db_v2');
    expect(app.frame()).toContain('› cron');
    expect(app.frame()).toContain('<esc>stop');
    await app.press(KEY.esc);
    // The outcome ends the view in words; it stays until esc.
    await vi.waitFor(() => expect(app.frame()).toContain('Stopped at your request.'));
    expect(app.frame()).toContain('Rotating secret db → db_v2');
    expect(app.frame()).toContain('<esc>close');
    await app.press(KEY.esc);
    expect(app.frame()).not.toContain('Rotating secret');
  });

  it('esc does not claim to stop an operation that is not a long one', async () => {
    let finish: (o: ActionOutcome) => void = () => undefined;
    const scale = testAction({ id: 'scale', label: 'Scale', key: 's', targets: 'service', run: () => new Promise((r) => (finish = r)) });
    const app = renderApp(sampleCluster(), { actions: [scale] });
    await app.press('2', 's', KEY.esc);
    expect(app.frame()).not.toContain('stopping after the current step');
    finish({ kind: 'done', message: 'scaled' });
  });
});

describe('the CLI printer', () => {
  it('prints each step and a line per service when what it mounts or its rollout changes', () => {
    const store = testStore(sampleCluster());
    const out = new PassThrough();
    let text = '';
    out.on('data', (b: Buffer) => (text += b.toString('utf8')));
    const p = rotationPrinter(store, out);
    p.progress({ ref: { kind: 'secret', oldId: 's1', oldName: 'db-pass', newId: 'n1', newName: 'db-pass_v2' }, phase: 'moving web to db-pass_v2…', current: 'web', ended: false, stopped: false });
    const s = sampleCluster();
    const web = s.services.get('web')!;
    store.set({ ...s, services: new Map([...s.services, ['web', { ...web, secretIds: ['n1'], updateStatus: status('updating') }]]) });
    store.set({ ...s, services: new Map([...s.services, ['web', { ...web, secretIds: ['n1'], updateStatus: status('completed') }]]) });
    p.stop();
    expect(text.split('\n').filter(Boolean)).toEqual([
      'moving web to db-pass_v2…',
      '  web: db-pass, 2/2 tasks updated',
      '  web: db-pass_v2, 2/2 tasks updated, updating',
      '  web: db-pass_v2, 2/2 tasks updated, converged',
    ]);
  });
});
