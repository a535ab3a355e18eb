import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { Prepared } from '../../src/actions/types.js';
import { PASTE_END, PASTE_START } from '../../src/ui/keys/split.js';
import { TYPEAHEAD_MS } from '../../src/ui/keys/typeahead.js';
import { sampleCluster } from '../fixtures/cluster.js';
import { renderApp, testAction, tick, type Calls } from './ui-support.js';

afterEach(() => cleanup());

function calls(): Calls {
  return { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
}

/** The footer's last line: the selected row's name (or the open prompt, or a message). */
const status = (frame: string): string => frame.trimEnd().split('\n').at(-1)?.trim() ?? '';

describe('keys that arrive together (one chunk) act one by one', () => {
  it('jjj moves three rows, then k one back', async () => {
    const app = renderApp(sampleCluster());
    await app.press('1');
    expect(status(app.frame())).toBe('m1');
    await app.send('jjj');
    expect(status(app.frame())).toBe('w1');
    await app.send('kk');
    expect(status(app.frame())).toBe('m2');
  });

  it('escape sequences and characters mixed: down, j, up', async () => {
    const app = renderApp(sampleCluster());
    await app.press('1');
    await app.send('\x1b[Bj\x1b[A');
    expect(status(app.frame())).toBe('m2');
  });

  it('"2G" is a pane switch then the last row, as typed', async () => {
    const app = renderApp(sampleCluster());
    await app.press('1');
    await app.send('2G');
    expect(app.frame()).toContain('Services [2]');
    expect(status(app.frame())).toBe('web');
  });

  it('a burst into the / filter, enter included, filters and closes the prompt', async () => {
    const app = renderApp(sampleCluster());
    await app.press('1');
    await app.send('/w1\r');
    await tick();
    expect(app.frame()).toContain('Nodes [1/4]');
    expect(status(app.frame())).toMatch(/^filter: w1\s+w1$/);
  });
});

describe('bracketed paste', () => {
  it('goes into the / prompt whole; its newline does not submit it', async () => {
    const app = renderApp(sampleCluster());
    await app.press('1', '/');
    await app.send(`${PASTE_START}m\r\n${PASTE_END}`);
    await tick();
    // Still typing: the prompt is open with the pasted text (the newline made a space at most).
    expect(status(app.frame())).toBe('/m');
    expect(app.frame()).toContain('Nodes [3/4]');
    await app.press('\r');
    expect(status(app.frame())).toMatch(/^filter: m/);
  });

  it('goes into a dialog value whole', async () => {
    const c = calls();
    const scale = testAction({
      id: 'scale', label: 'Scale service', key: 's', targets: 'service',
      input: { kind: 'number', prompt: 'replicas', initial: () => '2', validate: () => null },
    }, c);
    const app = renderApp(sampleCluster(), { actions: [scale] });
    await app.press('s');
    await app.send(`${PASTE_START}12\n${PASTE_END}`);
    expect(app.frame()).toContain('replicas: 12');
    expect(c.runs).toHaveLength(0);
  });

  it('in a pane is not run as keys, and the operator is told', async () => {
    const c = calls();
    const drain = testAction({ id: 'drain', key: 'd', targets: 'node', dangerous: true }, c);
    const app = renderApp(sampleCluster(), { actions: [drain] });
    await app.press('1');
    await app.send(`${PASTE_START}jjdy${PASTE_END}`);
    expect(status(app.frame())).toContain('pasted text goes into a prompt');
    expect(app.frame()).not.toContain('drain?');
    expect(c.runs).toHaveLength(0);
  });
});

describe('typeahead never confirms', () => {
  const dangerous = (c: Calls) => testAction({ id: 'drain', label: 'Drain', key: 'd', targets: 'node', dangerous: true }, c);

  it('"dy" in one chunk opens the confirmation and ignores the y, saying so; y after a pause confirms', async () => {
    const c = calls();
    const app = renderApp(sampleCluster(), { actions: [dangerous(c)] });
    await app.press('1');
    await app.send('dy');
    expect(app.frame()).toContain('Drain?');
    expect(app.frame()).toContain('ignored 1 key typed before the dialog was shown: nothing was done');
    // y is not offered until the dialog has been on screen long enough.
    expect(app.frame()).not.toContain('y: confirm');
    expect(app.frame()).not.toContain('<y>confirm');
    expect(c.runs).toHaveLength(0);
    await app.pause(TYPEAHEAD_MS);
    expect(app.frame()).toContain('y: confirm');
    expect(app.frame()).toContain('<y>confirm');
    await app.send('y');
    await tick();
    expect(c.runs.map((r) => r.id)).toEqual(['drain']);
  });

  it('a key within the window after the dialog was drawn is ignored (also n: nothing is cancelled either)', async () => {
    const c = calls();
    const app = renderApp(sampleCluster(), { actions: [dangerous(c)] });
    await app.press('1');
    await app.send('d');
    await app.send('y');
    app.clock.advance(TYPEAHEAD_MS - 1);
    await app.send('n');
    expect(app.frame()).toContain('ignored 2 keys typed before the dialog was shown');
    expect(app.frame()).toContain('Drain?');
    await app.pause(1);
    await app.send('y');
    await tick();
    expect(c.runs).toHaveLength(1);
  });

  it('"yy" on a confirmation that asks twice: the second y lands on the new dialog and is ignored', async () => {
    const c = calls();
    const demote = testAction({ id: 'demote', label: 'Demote', key: '-', targets: 'node', dangerous: true, confirmTwice: () => true }, c);
    const app = renderApp(sampleCluster(), { actions: [demote] });
    await app.press('1', '-');
    await app.send('yy');
    expect(app.frame()).toContain('SECOND CONFIRMATION — Demote');
    expect(app.frame()).toContain('ignored 1 key');
    expect(c.runs).toHaveLength(0);
    await app.pause();
    await app.send('y');
    await tick();
    expect(c.runs).toHaveLength(1);
  });

  it('a confirmation opened after prepare() read its plan is guarded the same way', async () => {
    let resolvePrepare: (p: Prepared) => void = () => undefined;
    const c = calls();
    const edit = testAction({ id: 'edit', label: 'Edit service', key: 'E', targets: 'service', prepare: () => new Promise<Prepared>((r) => (resolvePrepare = r)) }, c);
    const app = renderApp(sampleCluster(), { actions: [edit] });
    await app.press('E');
    resolvePrepare({ kind: 'plan', impact: ['Image: 1 → 2'], plan: {} });
    await tick();
    expect(app.frame()).toContain('Edit service?');
    await app.send('y');
    expect(app.frame()).toContain('ignored 1 key');
    expect(c.runs).toHaveLength(0);
    await app.pause();
    await app.send('y');
    await tick();
    expect(c.runs).toHaveLength(1);
  });
});
