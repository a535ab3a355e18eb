import { readFileSync } from 'node:fs';
import { isMap, LineCounter, parseDocument, type Document } from 'yaml';
import type { ActionSpec } from '../../actions/types.js';
import { isCommandWord } from '../commands.js';
import { compileSchema, schemaProblems } from '../json-schema.js';
import { KEY_CONTEXTS, NO_OVERRIDES, allBindings, bindingName, overlaps, type Binding, type KeyContext, type KeyOverrides } from '../keymap.js';

/**
 * The user's keymap, $XDG_CONFIG_HOME/swarmtop/keys.yaml:
 *
 *     keys:
 *       main:
 *         down: [j, down, ctrl-n]   # a command of the table, by its name, and the keys that replace its keys there
 *         drain: D                  # an action, by its `:` command word
 *     aliases:
 *       dr: drain                   # `:dr` runs `:drain`
 *
 * Checked against the schema `swarmtop schema keys` prints, then for what a schema cannot say: a key
 * that two commands would share, an alias that hides a command or names none. Every problem is an error
 * naming its line; nothing is ignored.
 */

type KeysAction = Pick<ActionSpec, 'id' | 'key' | 'label' | 'targets' | 'command'>;

const MODIFIERS = '(?:(?:ctrl|alt|shift)-)';
const NAMED = '(?:esc|enter|tab|backspace|up|down|left|right|home|end|pgup|pgdn|insert|space|f[1-9]|f1[0-2])';
/** A key as the key reader names it: one character, or a named key, with modifiers. */
export const KEY_PATTERN = `^(?:\\S|${MODIFIERS}*${NAMED}|${MODIFIERS}+\\S)$`;
/** Keys that type nothing: those that edit a line being typed (a character there is text). */
export const EDIT_KEY_PATTERN = `^(?:${MODIFIERS}*${NAMED}|${MODIFIERS}+\\S)$`;

const CONTEXT_WORDS: Readonly<Record<KeyContext, string>> = {
  global: 'anywhere', main: 'the panes', viewer: 'the inspect and logs views', logs: 'the logs view',
  input: 'a line being typed (the / filter, the : line, a search, a dialog\'s value)', confirm: 'a confirmation',
  running: 'a long operation and its view', reveal: 'a revealed secret', help: 'the help',
};

function byContext(actions: readonly KeysAction[]): Map<KeyContext, Map<string, Binding>> {
  const out = new Map<KeyContext, Map<string, Binding>>(KEY_CONTEXTS.map((c) => [c, new Map()]));
  for (const b of allBindings(actions)) {
    const names = out.get(b.context);
    if (names && !names.has(bindingName(b))) names.set(bindingName(b), b);
  }
  return out;
}

/** The JSON schema of keys.yaml for these actions (their command words are the names of their keys). */
export function keysSchema(actions: readonly KeysAction[]): object {
  const contexts: Record<string, object> = {};
  for (const [context, names] of byContext(actions)) {
    const props: Record<string, object> = {};
    for (const [name, b] of names) {
      props[name] = { $ref: context === 'input' ? '#/definitions/editKeys' : '#/definitions/keys', description: `${b.help} (default: ${b.keys.join(' ')})` };
    }
    contexts[context] = { type: 'object', description: `Keys in ${CONTEXT_WORDS[context]}`, additionalProperties: false, properties: props };
  }
  // Inline, not $ref'd: an error then says which branch of the anyOf it came from.
  const list = (key: object): object => ({ anyOf: [key, { type: 'array', items: key, minItems: 1, uniqueItems: true }] });
  const key = { type: 'string', pattern: KEY_PATTERN };
  const editKey = { type: 'string', pattern: EDIT_KEY_PATTERN };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/swarmtop/swarmtop/schemas/keys.json',
    title: 'swarmtop keys.yaml',
    description: 'Key bindings per context (each replaces the keys of a command there) and : command aliases.',
    type: 'object',
    additionalProperties: false,
    properties: {
      keys: { type: 'object', additionalProperties: false, properties: contexts },
      aliases: {
        type: 'object',
        description: 'alias: the command line it stands for (words typed after the alias are appended)',
        propertyNames: { pattern: '^[A-Za-z][A-Za-z0-9_-]*$' },
        additionalProperties: { type: 'string', minLength: 1 },
      },
    },
    definitions: {
      keys: { description: 'a key or a list of keys: a character (j, G, ?), or esc enter tab backspace up down left right home end pgup pgdn insert f1-f12, with ctrl-/alt-/shift- in front', ...list(key) },
      editKeys: { description: 'a key or a list of keys that type nothing: enter, esc, backspace, ctrl-…', ...list(editKey) },
    },
  };
}

export class KeysFileError extends Error {
  constructor(readonly file: string, readonly problems: readonly string[]) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`);
  }
}

/** The line of a value (or of a mapping's key) in the document: 1-based; the document's first when not found. */
function lineOf(doc: Document, lines: LineCounter, path: readonly string[], property?: string): number {
  const node = doc.getIn(path, true);
  let offset: number | undefined;
  if (property !== undefined && isMap(node)) {
    const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === property);
    offset = (pair?.key as { range?: [number, number, number] } | null)?.range?.[0];
  }
  offset ??= (node as { range?: [number, number, number] } | undefined)?.range?.[0] ?? 0;
  return lines.linePos(offset).line;
}

function keyList(value: unknown): string[] {
  return typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((k): k is string => typeof k === 'string') : [];
}

function explainSchema(e: { keyword: string; instancePath: string; params: Record<string, unknown>; data?: unknown }, known: Map<KeyContext, Map<string, Binding>>): string | null {
  if (e.keyword === 'pattern' && e.instancePath.startsWith('/keys/input/')) return `${JSON.stringify(e.data)}: the input context takes only keys that type nothing (enter, esc, backspace, ctrl-…)`;
  if (e.keyword === 'pattern' && e.instancePath.startsWith('/keys/')) return `${JSON.stringify(e.data)} is not a key (a character, or esc enter tab backspace up down left right home end pgup pgdn insert f1-f12, with ctrl-/alt-/shift- in front)`;
  if (e.keyword !== 'additionalProperties') return null;
  const name = String(e.params.additionalProperty);
  const path = e.instancePath.split('/').filter(Boolean);
  if (path.length === 0) return `unknown section "${name}" (known: keys, aliases)`;
  if (path.length === 1) return `unknown context "${name}" (known: ${KEY_CONTEXTS.join(', ')})`;
  const names = [...(known.get(path[1] as KeyContext)?.keys() ?? [])];
  return `unknown command "${name}" in ${path[1]} (known there: ${names.join(', ')})`;
}

/** keys.yaml's text as the table's overrides, or every problem in it (each naming its line). */
export function parseKeysFile(text: string, file: string, actions: readonly KeysAction[]): KeyOverrides {
  const lines = new LineCounter();
  // Every scalar a string: `pane-nodes: 1` binds the key "1", `n` is a key, not a boolean.
  const doc = parseDocument(text, { lineCounter: lines, schema: 'failsafe', prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new KeysFileError(file, doc.errors.map((e) => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0] ?? ''}`));
  }
  const raw: unknown = doc.toJS() ?? {};
  const known = byContext(actions);
  const validate = compileSchema(keysSchema(actions));
  if (!validate(raw)) {
    const problems = schemaProblems(validate.errors, (e) => explainSchema(e, known));
    problems.sort((a, b) => lineOf(doc, lines, a.path, a.property) - lineOf(doc, lines, b.path, b.property));
    throw new KeysFileError(file, problems.map((p) => `line ${lineOf(doc, lines, p.path, p.property)}: ${p.path.join('.') || '(top)'}: ${p.message}`));
  }
  const data = raw as { keys?: Record<string, Record<string, unknown>>; aliases?: Record<string, string> };
  const bind: Partial<Record<KeyContext, Record<string, readonly string[]>>> = {};
  for (const [context, names] of Object.entries(data.keys ?? {})) {
    bind[context as KeyContext] = Object.fromEntries(Object.entries(names).map(([name, keys]) => [name, keyList(keys)]));
  }
  const overrides: KeyOverrides = { bind, aliases: data.aliases ?? {} };
  const problems = [...keyConflicts(overrides, actions), ...aliasProblems(overrides, actions)];
  if (problems.length > 0) {
    problems.sort((a, b) => lineOf(doc, lines, a.path, a.property) - lineOf(doc, lines, b.path, b.property));
    throw new KeysFileError(file, problems.map((p) => `line ${lineOf(doc, lines, p.path, p.property)}: ${p.message}`));
  }
  return overrides;
}

interface Problem {
  path: string[];
  property?: string;
  message: string;
}

/** A key the user bound that another command of the same context (and pane) also has. */
function keyConflicts(overrides: KeyOverrides, actions: readonly KeysAction[]): Problem[] {
  const bindings = allBindings(actions, overrides);
  const out: Problem[] = [];
  for (const [context, names] of Object.entries(overrides.bind)) {
    for (const [name, keys] of Object.entries(names)) {
      const mine = bindings.find((b) => b.context === context && bindingName(b) === name);
      if (!mine) continue;
      for (const key of keys) {
        const other = bindings.find((b) => b !== mine && bindingName(b) !== name && b.keys.includes(key) && overlaps(mine, b));
        if (!other) continue;
        const where = other.panes && other.context === 'main' ? ` in ${other.panes.join(', ')}` : '';
        out.push({ path: ['keys', context], property: name, message: `${context}: key ${key} of "${name}" is already "${bindingName(other)}" (${other.help})${where}; rebind that one too or pick another key` });
      }
    }
  }
  return out;
}

function aliasProblems(overrides: KeyOverrides, actions: readonly KeysAction[]): Problem[] {
  const out: Problem[] = [];
  for (const [alias, line] of Object.entries(overrides.aliases)) {
    const target = line.trim().replace(/^:/, '').split(/\s+/)[0] ?? '';
    if (isCommandWord(alias, actions)) out.push({ path: ['aliases'], property: alias, message: `alias "${alias}" would hide the command :${alias}` });
    else if (!isCommandWord(target, actions)) {
      const hint = Object.hasOwn(overrides.aliases, target) ? ' (an alias names a command, not another alias)' : '';
      out.push({ path: ['aliases', alias], message: `alias "${alias}": unknown command :${target}${hint}` });
    }
  }
  return out;
}

/** keys.yaml at `file`: the table's own keys when there is none; a KeysFileError when it is wrong. */
export function loadKeysFile(file: string, actions: readonly KeysAction[]): KeyOverrides {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return NO_OVERRIDES;
    throw new KeysFileError(file, [err instanceof Error ? err.message : String(err)]);
  }
  return parseKeysFile(text, file, actions);
}
