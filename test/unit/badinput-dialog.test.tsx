import { describe, expect, it } from 'vitest';
import { sampleCluster } from '../fixtures/cluster.js';
import { KEY, renderApp, testAction } from './ui-support.js';

/**
 * A refused input (a garbage replica count) or a long impact/secret makes a dialog taller than its
 * plain form: the frame must still fit the terminal, title and all, or Ink draws over itself.
 */
const HEIGHT = 24;

function expectFits(frame: string, ...visible: string[]): void {
  const lines = frame.split('\n');
  expect(lines.length).toBeLessThanOrEqual(HEIGHT);
  expect(lines[0]).toContain('swarmtop');
  for (const v of visible) expect(frame).toContain(v);
}

describe('dialogs taller than their plain form still fit the frame', () => {
  it('a garbage replica count: the error line is added, the title and the prompt stay', async () => {
    const scale = testAction({
      id: 'scale', label: 'Scale service', key: 's', targets: 'service', dangerous: true,
      input: { kind: 'number', prompt: 'replicas', initial: () => '2', validate: (raw) => (/^\d+$/.test(raw) ? null : 'enter a whole number of replicas') },
    });
    const app = renderApp(sampleCluster(), { actions: [scale], height: HEIGHT });
    await app.press('j', 's', KEY.backspace, '3', 'x', '!', KEY.enter);
    expectFits(app.frame(), 'Scale service — service web', 'replicas: 3x!', 'enter a whole number of replicas', 'enter: continue');
    app.unmount();
  });

  it('a confirmation whose impact lines wrap at a narrow width', async () => {
    const long = 'this impact line is long enough to wrap twice at a narrow terminal width, and it must not push the frame';
    const act = testAction({ id: 'drain', label: 'Drain', key: 'd', targets: 'node', dangerous: true, impact: () => [long, long] });
    const app = renderApp(sampleCluster(), { actions: [act], height: HEIGHT, width: 50 });
    await app.press('1', 'd');
    expectFits(app.frame(), 'Drain?', 'any other key: cancel');
    app.unmount();
  });

  it('a revealed join command shown (v) at a narrow width: the long token wraps inside the frame', async () => {
    const token = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;
    const reveal = testAction({ id: 'reveal', label: 'Reveal worker join', key: 'W', targets: 'swarm', mutating: false }, undefined, {
      kind: 'done', message: 'worker join command fetched', reveal: [{ label: 'worker join command', value: `docker swarm join --token ${token} 10.0.0.1:2377` }],
    });
    const app = renderApp(sampleCluster(), { actions: [reveal], height: HEIGHT, width: 60 });
    await app.press('8', 'W');
    expectFits(app.frame(), 'worker join command fetched');
    expect(app.frame()).not.toContain('b'.repeat(25));
    await app.press('v');
    expectFits(app.frame(), 'worker join command fetched', 'b'.repeat(25));
    app.unmount();
  });
});
