import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import stringWidth from 'string-width';
import type { ActionOutcome } from '../../src/actions/types.js';
import { dialogRows } from '../../src/ui/components/Dialog.js';
import { cellWidth, fit, wrapCells } from '../../src/ui/format.js';
import { clusterState, makeManager, makeService, makeTask } from '../fixtures/cluster.js';
import { KEY, renderApp, testAction } from './ui-support.js';

afterEach(() => cleanup());

/** Many services and tasks, so every pane fills the screen and the dialog has to share it. */
function busyCluster() {
  const services = Array.from({ length: 60 }, (_, i) => makeService({ id: `svc${i}`, name: `service-${i}`, mode: { kind: 'replicated', replicas: 3 }, runningTasks: 3, desiredTasks: 3 }));
  const tasks = services.flatMap((s) => [1, 2, 3].map((slot) => makeTask({ id: `${s.id}-t${slot}`, serviceId: s.id, slot, nodeId: 'm1', message: 'started — 起動済み' })));
  return clusterState({ nodes: [makeManager('m1', true)], services, tasks });
}

const LONG = 'tasks that will move to other nodes: ' + Array.from({ length: 30 }, (_, i) => `service-${i}.1`).join(', ');
const TOKEN = `SWMTKN-1-${'a'.repeat(50)}-${'b'.repeat(25)}`;

/** Asserts the frame fits the terminal: at most `height` lines, none wider than `width` cells. */
function expectFits(frame: string, width: number, height: number, what: string): void {
  const lines = frame.split('\n');
  expect(lines.length, `${what}: ${lines.length} lines in a ${height}-line frame`).toBeLessThanOrEqual(height);
  for (const line of lines) expect(stringWidth(line), `${what}: line too wide: ${line}`).toBeLessThanOrEqual(width);
  // Content taller than the frame makes Yoga shrink boxes and draw rows over each other (and over the
  // footer), and the clipped frame still has the right size: so check that the frame's parts are intact.
  expect(lines[0], `${what}: header pushed out:\n${frame}`).toMatch(/^swarmtop /);
  const hints = lines[lines.length - 2] ?? '';
  expect(hints.trim() === '' || hints.startsWith('<'), `${what}: footer overdrawn:\n${frame}`).toBe(true);
  expect(frame.split('\n').filter((l) => /^[╭╔]/.test(l)).length, `${what}: dialog top border`).toBeLessThanOrEqual(1);
  const top = lines.findIndex((l) => /^[╭╔]/.test(l));
  if (top >= 0) expect(lines.findIndex((l) => /^[╰╚]/.test(l)), `${what}: dialog bottom border missing:\n${frame}`).toBeGreaterThan(top);
}

type Open = (app: ReturnType<typeof renderApp>) => Promise<void>;

const never = (): Promise<ActionOutcome> => new Promise(() => undefined);

const STEPS: [string, Open][] = [
  ['input', (app) => app.press('s')],
  ['input with an error', async (app) => app.press('s', 'x', KEY.enter)],
  ['confirm with long impact', async (app) => app.press('s', '5', KEY.enter)],
  ['second confirmation', async (app) => app.press('s', '5', KEY.enter, 'y')],
  ['reveal (shown)', async (app) => app.press('8', 'W', 'v')],
  ['running', async (app) => app.press('F')],
];

describe('the frame never exceeds the terminal (no overlapping lines)', () => {
  const sizes: [number, number][] = [[140, 40], [80, 24], [60, 16], [40, 12], [30, 10]];
  for (const [width, height] of sizes) {
    for (const [what, open] of STEPS) {
      it(`${what} at ${width}x${height}`, async () => {
        const scale = testAction({
          id: 'scale', label: 'Scale', key: 's', targets: 'service', dangerous: true, confirmTwice: () => true,
          input: { kind: 'number', prompt: 'replicas', initial: () => '3', validate: (raw) => (/^\d+$/.test(raw) ? null : 'enter a whole number of replicas (0 or more); global services cannot be scaled') },
          impact: () => [LONG, LONG, 'replicas 3 → 5', '2 tasks start', LONG],
        });
        const reveal = testAction({ id: 'reveal', label: 'Reveal worker join command', key: 'W', targets: 'swarm', mutating: false }, undefined,
          { kind: 'done', message: 'the worker join command', reveal: [{ label: 'worker', value: `docker swarm join --token ${TOKEN} 10.99.2.11:2377` }] });
        const force = testAction({ id: 'force', label: 'Force update', key: 'F', targets: 'service', run: never });
        const app = renderApp(busyCluster(), { actions: [scale, reveal, force], width, height });
        await open(app);
        expectFits(app.frame(), width, height, `${what} at ${width}x${height}`);
      });
    }
  }

  it('every pane and the help fit at 50x14', async () => {
    const app = renderApp(busyCluster(), { width: 50, height: 14 });
    for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', '?']) {
      await app.press(KEY.esc, key);
      expectFits(app.frame(), 50, 14, `pane ${key}`);
    }
  });

  it('keeps the dialog whole and the table visible when the terminal is big enough', async () => {
    const scale = testAction({
      id: 'scale', label: 'Scale', key: 's', targets: 'service', dangerous: true,
      input: { kind: 'number', prompt: 'replicas', initial: () => '3', validate: () => null }, impact: () => [LONG],
    });
    const app = renderApp(busyCluster(), { actions: [scale], width: 80, height: 24 });
    await app.press('s', '5', KEY.enter);
    const frame = app.frame();
    expect(frame).toContain('Scale?');
    expect(frame).toContain('service-29.1');
    expect(frame).toContain('NAME');
    expect(frame).toContain('y: confirm');
  });
});

describe('dialog rows', () => {
  const reveal = { step: 'reveal' as const, label: 'Reveal', secrets: [{ label: 'worker', value: `docker swarm join --token ${TOKEN} 10.0.0.1:2377` }], shown: true, message: '' };

  it('wraps a revealed value instead of cutting it', () => {
    const rows = dialogRows(reveal, 40);
    const text = rows.map((r) => r.map((s) => s.text).join('')).join('');
    expect(text.replace(/\s/g, '')).toContain(TOKEN);
    for (const r of rows) expect(cellWidth(r.map((s) => s.text).join(''))).toBeLessThanOrEqual(40);
  });

  it('cuts the body with "… N more" when rows exceed the room', () => {
    const rows = dialogRows(reveal, 40, 5);
    expect(rows).toHaveLength(5);
    expect(rows.map((r) => r.map((s) => s.text).join('')).join('\n')).toMatch(/… \d+ more/);
  });
});

describe('cell widths', () => {
  it('counts wide characters as two cells, like the terminal', () => {
    for (const s of ['abc', '起動済み', 'é', 'x\u0301', '→ • —', '🚀 go']) expect(cellWidth(s), s).toBe(stringWidth(s));
  });

  it('fits wide text to exactly the width', () => {
    for (const w of [1, 2, 5, 9, 12]) {
      expect(stringWidth(fit('started — 起動済み', w))).toBe(w);
      expect(stringWidth(fit('起動済み', w, 'right'))).toBe(w);
    }
  });

  it('word-wraps, cutting words longer than a line', () => {
    expect(wrapCells('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrapCells('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapCells('起動済み', 3)).toEqual(['起', '動', '済', 'み']);
    expect(wrapCells('起', 1)).toEqual(['起']);
  });
});
