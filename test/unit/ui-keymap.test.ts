import { describe, expect, it } from 'vitest';
import { READ_ONLY_SECTION, buildKeymap, footerHints, helpSections, mainHints, STATIC_BINDINGS } from '../../src/ui/keymap.js';
import { parseCommand } from '../../src/ui/commands.js';

const actions = [
  { id: 'node.drain', key: 'd', label: 'Drain node', targets: 'node' as const, command: 'drain' },
  { id: 'service.scale', key: 's', label: 'Scale service', targets: 'service' as const, command: 'scale' },
  { id: 'swarm.rotate-worker', key: 't', label: 'Rotate worker token', targets: 'swarm' as const, command: 'rotate-worker-token' },
  { id: 'bad', key: 'j', label: 'Clashes with j', targets: 'node' as const, command: 'bad' },
];

describe('keymap', () => {
  const km = buildKeymap(actions);

  it('maps keys to commands per context and pane', () => {
    expect(km.lookup('main', 'nodes', 'd')).toEqual({ kind: 'action', id: 'node.drain' });
    expect(km.lookup('main', 'services', 'd')).toBeNull();
    expect(km.lookup('main', 'swarm', 't')).toEqual({ kind: 'action', id: 'swarm.rotate-worker' });
    expect(km.lookup('logs', null, 't')).toEqual({ kind: 'toggle-timestamps' });
    expect(km.lookup('main', 'nodes', 'j')).toEqual({ kind: 'move', by: 1 });
    expect(km.lookup('main', 'tasks', '3')).toEqual({ kind: 'pane', pane: 'tasks' });
    expect(km.lookup('main', 'tasks', 'l')).toEqual({ kind: 'logs' });
    expect(km.lookup('main', 'nodes', 'l')).toBeNull();
  });

  it('refuses action keys that clash with navigation keys, and says so', () => {
    expect(km.conflicts).toEqual(['bad: key j is already "move down" in nodes']);
  });

  it('has no duplicate key inside one context and pane', () => {
    const seen = new Map<string, string>();
    for (const b of km.bindings) {
      for (const k of b.keys) {
        for (const pane of b.panes ?? ['*']) {
          const id = `${b.context}/${pane}/${k}`;
          expect(seen.has(id), `${id} bound twice`).toBe(false);
          seen.set(id, b.help);
        }
      }
    }
  });

  it('covers the decided global keys', () => {
    const keys = new Set(STATIC_BINDINGS.filter((b) => b.context === 'main').flatMap((b) => b.keys));
    for (const k of ['q', '?', ':', '/', 'esc', 'enter', 'j', 'k', 'up', 'down', 'g', 'G', 'pgup', 'pgdn', 'ctrl-u', 'ctrl-d', 'o', 'O', 'y', 'l', '1', '8', 'r', 'c']) {
      expect(keys.has(k), k).toBe(true);
    }
  });

  it('derives footer hints and help from the same table', () => {
    expect(footerHints(km, 'main', 'nodes').map((h) => h.key)).toContain('d');
    expect(footerHints(km, 'main', 'services').map((h) => h.key)).not.toContain('d');
    const sections = helpSections(km);
    expect(sections.map((s) => s.title)).toEqual(expect.arrayContaining(['Global', 'Navigation', 'Panes', 'Node actions', 'Swarm actions', 'Logs', 'Dialogs']));
    expect(sections.find((s) => s.title === 'Node actions')?.rows).toEqual([{ keys: 'd', help: 'Drain node', where: 'nodes', name: 'drain', context: 'main' }]);
  });
});

describe('read-only: keys of actions that change the cluster', () => {
  const km = buildKeymap([
    { id: 'node.drain', key: 'd', label: 'Drain node', targets: 'node', command: 'drain', mutating: true },
    { id: 'service.scale', key: 's', label: 'Scale service', targets: 'service', command: 'scale', mutating: true },
    { id: 'swarm.join-worker', key: 'W', label: 'Reveal the worker join command', targets: 'swarm', command: 'join-worker', mutating: false },
  ]);

  it('are not offered in the footer (the flag decides, not a list), other keys are', () => {
    expect(footerHints(km, 'main', 'nodes', true).map((h) => h.key)).not.toContain('d');
    expect(footerHints(km, 'main', 'nodes', true).map((h) => h.key)).toEqual(expect.arrayContaining(['y', 'q', '?']));
    expect(footerHints(km, 'main', 'nodes', false).map((h) => h.key)).toContain('d');
    expect(footerHints(km, 'main', 'swarm', true).map((h) => h.key)).toContain('W');
    // The rollout view's service keys too.
    expect(mainHints(km, 'tasks', true, true).map((h) => h.key)).not.toContain('s');
    expect(mainHints(km, 'tasks', true, false).map((h) => h.key)).toContain('s');
  });

  it('are listed in the help under "disabled: read-only", last, not in their own section', () => {
    const sections = helpSections(km, true);
    expect(sections.at(-1)).toEqual({
      title: READ_ONLY_SECTION, disabled: true,
      rows: [{ keys: 'd', help: 'Drain node', where: 'nodes', name: 'drain', context: 'main' }, { keys: 's', help: 'Scale service', where: 'services', name: 'scale', context: 'main' }],
    });
    expect(sections.find((s) => s.title === 'Node actions')).toBeUndefined();
    expect(sections.find((s) => s.title === 'Swarm actions')?.rows.map((r) => r.keys)).toContain('W');
    // Writable: no such section (and the README, generated writable, is unchanged).
    expect(helpSections(km).map((s) => s.title)).not.toContain(READ_ONLY_SECTION);
  });
});

describe(': commands', () => {
  it('parses panes, contexts, quit and action commands', () => {
    expect(parseCommand(':svc', actions)).toEqual({ kind: 'pane', pane: 'services' });
    expect(parseCommand('nodes', actions)).toEqual({ kind: 'pane', pane: 'nodes' });
    expect(parseCommand(':ctx prod', actions)).toEqual({ kind: 'ctx', name: 'prod' });
    expect(parseCommand(':q', actions)).toEqual({ kind: 'quit' });
    expect(parseCommand(':scale 5', actions)).toEqual({ kind: 'action', id: 'service.scale', arg: '5' });
    expect(parseCommand(':drain', actions)).toEqual({ kind: 'action', id: 'node.drain', arg: null });
    expect(parseCommand(':nope', actions).kind).toBe('error');
  });
});

describe('footer hints', () => {
  it('keep the help key when some must be left out: it is where the rest are', async () => {
    const { fitHints } = await import('../../src/ui/components/Footer.js');
    const hints = [{ key: 's', label: 'scale' }, { key: 'F', label: 'force-update' }, { key: 'q', label: 'quit' }, { key: '?', label: 'help' }, { key: 'o', label: 'sort' }];
    expect(fitHints(hints, 200).map((h) => h.key)).toEqual(['s', 'F', 'q', '?', 'o']);
    expect(fitHints(hints, 34).map((h) => h.key)).toEqual(['s', 'F', '?']);
    expect(fitHints(hints, 30).map((h) => h.key)).toEqual(['s', '?']);
  });
});
