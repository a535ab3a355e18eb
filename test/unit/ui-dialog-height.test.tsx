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
