import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { sampleCluster } from '../fixtures/cluster.js';
import { KEY, renderApp, testAction } from './ui-support.js';

afterEach(() => cleanup());

describe('dialog layout', () => {
  it('an input dialog with a validation message still fits the terminal (title and header stay on screen)', async () => {
    const scale = testAction({
      id: 'scale', label: 'Scale service', key: 's', targets: 'service',
      input: { kind: 'number', prompt: 'replicas', initial: () => '2', validate: (raw) => (/^\d+$/.test(raw) ? null : 'a whole number, please') },
    });
    const height = 30;
    const app = renderApp(sampleCluster(), { actions: [scale], height });
    await app.press('j', 's', KEY.backspace, 'x', KEY.enter);
    const frame = app.frame();
    expect(frame).toContain('a whole number, please');
    expect(frame).toContain('Scale service — service web');
    expect(frame.split('\n').length).toBeLessThanOrEqual(height);
  });
});

describe('dialog layout with wrapped lines', () => {
  it('a confirmation whose impact lines wrap still fits the terminal', async () => {
    const long = 'It paused because: update paused due to failure or early termination of task by1jc310ces3beu43malb0xbu and more words to wrap';
    const resume = testAction({ id: 'resume', label: 'Resume the paused update', key: 'U', targets: 'service', dangerous: true, impact: () => [long, long, long] });
    const height = 30;
    const app = renderApp(sampleCluster(), { actions: [resume], height, width: 70 });
    await app.press('U');
    const frame = app.frame();
    expect(frame).toContain('Resume the paused update?');
    expect(frame).toContain('y: confirm');
    expect(frame.split('\n')[0]).toContain('swarmtop');
    expect(frame.split('\n').length).toBeLessThanOrEqual(height);
  });
});

describe('stale outcome message', () => {
  it('says "re-reading; confirm again" first, so a long engine message cannot push it off a narrow footer', async () => {
    let n = 0;
    const long = `service web changed since you looked (you saw version 1): nothing was changed; re-read and try again. Engine: rpc error: code = Unknown desc = update out of sequence`;
    const force = testAction({ id: 'force', label: 'Force update', key: 'F', targets: 'service', dangerous: true }, undefined,
      () => (n++ === 0 ? { kind: 'stale', message: long } : { kind: 'done', message: 'ok' }));
    const app = renderApp(sampleCluster(), { actions: [force], width: 80 });
    await app.press('F', 'y');
    await vi.waitFor(() => expect(app.frame()).toContain('Force update: re-reading; confirm again — service web changed'));
  });
});

describe('a long plan in the confirmation scrolls, and every other key still cancels', () => {
  const plan = Array.from({ length: 40 }, (_, i) => `TaskTemplate.ContainerSpec.Env: + VAR_${String(i + 1).padStart(2, '0')}=x`);
  const edit = (runs: string[]) => testAction({ id: 'edit', label: 'Edit spec', key: 'E', targets: 'service', dangerous: true, impact: () => plan }, undefined,
    () => {
      runs.push('run');
      return { kind: 'done', message: 'updated' };
    });

  it('shows a window of the plan with where it is, moves with j/k, pgdn/pgup, G/g, within the terminal', async () => {
    const height = 30;
    const app = renderApp(sampleCluster(), { actions: [edit([])], height });
    await app.press('j', 'E');
    let frame = app.frame();
    expect(frame).toContain('Edit spec?');
    expect(frame).toContain('VAR_01=x');
    expect(frame).not.toContain('VAR_40=x');
    expect(frame).toMatch(/lines 1–\d+ of 40 · j\/k pgup\/pgdn: scroll/);
    expect(frame.split('\n').length).toBeLessThanOrEqual(height);
    await app.press('j');
    frame = app.frame();
    expect(frame).not.toContain('VAR_01=x');
    expect(frame).toContain('VAR_02=x');
    expect(frame).toContain('Edit spec?');
    await app.press(KEY.pgdn);
    expect(app.frame()).not.toContain('VAR_02=x');
    await app.press('G');
    frame = app.frame();
    expect(frame).toContain('VAR_40=x');
    expect(frame).toMatch(/lines \d+–40 of 40/);
    // Past the end stays at the end: k moves back one at once.
    await app.press('j', 'j', 'k');
    expect(app.frame()).toMatch(/lines \d+–39 of 40/);
    await app.press('g');
    expect(app.frame()).toContain('VAR_01=x');
    expect(app.frame().split('\n').length).toBeLessThanOrEqual(height);
  });

  it('y confirms from anywhere in the plan; any other key cancels (the default)', async () => {
    const runs: string[] = [];
    const app = renderApp(sampleCluster(), { actions: [edit(runs)], height: 30 });
    await app.press('j', 'E', 'j', 'x');
    expect(app.frame()).toContain('Edit spec: cancelled');
    await app.press('E', KEY.enter);
    expect(app.frame()).toContain('Edit spec: cancelled');
    expect(runs).toEqual([]);
    await app.press('E', KEY.pgdn, 'y');
    await vi.waitFor(() => expect(runs).toEqual(['run']));
  });

  it('a plan that fits shows no scroll line, and scroll keys there do not cancel', async () => {
    const short = testAction({ id: 'scale', label: 'Scale', key: 's', targets: 'service', dangerous: true, impact: () => ['web: replicas 2 → 3'] });
    const app = renderApp(sampleCluster(), { actions: [short], height: 30 });
    await app.press('j', 's', 'j');
    expect(app.frame()).toContain('Scale?');
    expect(app.frame()).not.toContain('j/k pgup/pgdn: scroll');
  });
});
