import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { ACTIONS } from '../../src/actions/index.js';
import { parseCommand } from '../../src/ui/commands.js';
import { compileSchema } from '../../src/ui/json-schema.js';
import { buildKeymap, helpSections } from '../../src/ui/keymap.js';
import { KeysFileError, keysSchema, loadKeysFile, parseKeysFile } from '../../src/ui/keys/user.js';
import { sampleCluster } from '../fixtures/cluster.js';
import { KEY, renderApp, tick } from './ui-support.js';

afterEach(() => cleanup());

const actions = [
  { id: 'node.drain', key: 'd', label: 'Drain node', targets: 'node' as const, command: 'drain' },
  { id: 'service.scale', key: 's', label: 'Scale service', targets: 'service' as const, command: 'scale' },
];

function problems(text: string): string[] {
  try {
    parseKeysFile(text, 'keys.yaml', actions);
  } catch (err) {
    if (err instanceof KeysFileError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('keys.yaml', () => {
  it('rebinds commands and action keys per context, and adds : aliases', () => {
    const o = parseKeysFile('keys:\n  main:\n    down: [j, ctrl-n]\n    drain: D\n    pane-nodes: ctrl-o\n  input:\n    cancel: [esc, ctrl-g]\naliases:\n  dr: drain\n', 'keys.yaml', actions);
    const km = buildKeymap(actions, o);
    expect(km.lookup('main', 'services', 'ctrl-n')).toEqual({ kind: 'move', by: 1 });
    expect(km.lookup('main', 'services', 'down')).toBeNull();
    expect(km.lookup('main', 'nodes', 'D')).toEqual({ kind: 'action', id: 'node.drain' });
    expect(km.lookup('main', 'nodes', 'd')).toBeNull();
    expect(km.lookup('main', 'nodes', 'ctrl-o')).toEqual({ kind: 'pane', pane: 'nodes' });
    expect(km.lookup('input', null, 'ctrl-g')).toEqual({ kind: 'cancel' });
    // Other contexts keep their keys.
    expect(km.lookup('viewer', null, 'down')).toEqual({ kind: 'move', by: 1 });
    expect(parseCommand(':dr', actions, o.aliases)).toEqual({ kind: 'action', id: 'node.drain', arg: null });
    expect(parseCommand(':dr now', actions, o.aliases)).toEqual({ kind: 'action', id: 'node.drain', arg: 'now' });
    // The help shows the keys in effect.
    const nav = helpSections(km).find((s) => s.title === 'Navigation');
    expect(nav?.rows.find((r) => r.name === 'down')?.keys).toBe('j ctrl-n');
  });

  it('names the line of every problem: unknown names, bad keys, text keys for editing', () => {
    expect(problems('keys:\n  main:\n    dwn: j\n  nope: {}\n  input:\n    confirm: x\n    cancel: [esc, "two words"]\nfoo: 1\n')).toEqual([
      expect.stringMatching(/^line 3: keys.main: unknown command "dwn" in main \(known there: .*down/),
      'line 4: keys: unknown context "nope" (known: global, main, viewer, logs, input, confirm, running, reveal, help)',
      expect.stringMatching(/^line 6: keys.input.confirm: "x": the input context takes only keys that type nothing/),
      expect.stringMatching(/^line 7: keys.input.cancel.1: "two words": the input context/),
      'line 8: (top): unknown section "foo" (known: keys, aliases)',
    ]);
    expect(problems('keys:\n  main:\n    up: {a: b}\n')).toEqual(['line 3: keys.main.up: must be a key or a list of keys']);
    expect(problems('keys: [\n')[0]).toMatch(/^line \d+: /);
  });

  it('refuses a key two commands would share, and aliases that hide or name no command', () => {
    expect(problems('keys:\n  main:\n    top: g\n    up: [k, s]\n')).toEqual([
      'line 4: main: key s of "up" is already "scale" (Scale service) in services; rebind that one too or pick another key',
    ]);
    // Moving the other command away first makes the key free.
    expect(problems('keys:\n  main:\n    up: [k, s]\n    scale: S\n')).toEqual([]);
    expect(problems('aliases:\n  scale: drain\n  x: nothing\n  y: dr\n  dr: drain\n')).toEqual([
      'line 2: alias "scale" would hide the command :scale',
      'line 3: alias "x": unknown command :nothing',
      'line 4: alias "y": unknown command :dr (an alias names a command, not another alias)',
    ]);
  });

  it('a missing file is the table as it is; the schema is valid JSON schema for every declared action', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmtop-keys-'));
    expect(loadKeysFile(join(dir, 'keys.yaml'), ACTIONS)).toEqual({ bind: {}, aliases: {} });
    writeFileSync(join(dir, 'keys.yaml'), 'keys:\n  main:\n    nope: x\n');
    expect(() => loadKeysFile(join(dir, 'keys.yaml'), ACTIONS)).toThrow(/keys.yaml: line 3: keys.main: unknown command "nope"/);
    const validate = compileSchema(keysSchema(ACTIONS));
    expect(validate({ keys: { main: { drain: 'D', down: ['j', 'ctrl-n'] }, global: { quit: 'ctrl-q' } }, aliases: { dr: 'drain' } })).toBe(true);
    expect(validate({ keys: { input: { confirm: 'y' } } })).toBe(false);
  });
});

describe('the console with the user keys', () => {
  it('editing keys and ctrl-c come from the table', async () => {
    const o = parseKeysFile('keys:\n  input:\n    cancel: ctrl-g\n    erase: ctrl-w\n  global:\n    quit: ctrl-q\n  main:\n    filter: F\n', 'keys.yaml', actions);
    const app = renderApp(sampleCluster(), { keys: o });
    await tick();
    await app.press('F');
    await app.type('we');
    expect(app.frame()).toContain('/we');
    await app.press('\x17');
    await vi.waitFor(() => expect(app.frame()).not.toContain('/we'));
    expect(app.frame()).toContain('/w');
    // esc is no longer cancel while typing: ctrl-g is.
    await app.press(KEY.esc);
    expect(app.frame()).toContain('/w');
    await app.press('\x07');
    expect(app.frame()).not.toContain('/w');
    await app.press(KEY.ctrlC);
    expect(app.calls.quits).toBe(0);
    await app.press('\x11');
    expect(app.calls.quits).toBe(1);
  });

  it(': aliases run their command and are listed in the help', async () => {
    const app = renderApp(sampleCluster(), { keys: { bind: {}, aliases: { n: 'nodes' } }, height: 140 });
    await tick();
    await app.press(':');
    await app.type('n');
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Nodes [');
    await app.press('?');
    expect(app.frame()).toContain(':n (:nodes)');
  });
});
