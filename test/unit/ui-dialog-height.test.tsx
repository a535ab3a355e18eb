import { afterEach, describe, expect, it } from 'vitest';
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
    await new Promise((r) => setTimeout(r, 50));
    expect(app.frame()).toContain('Force update: re-reading; confirm again — service web changed');
  });
});
