import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { nameError, type SecretKind } from './names.js';

/** What the create prompt says: `NAME [FILE] [key=value …]` (configs: `[--template-driver golang]` too). */
export interface CreateLine {
  name: string;
  /** A file to read the value from; null: the value is typed (masked for a secret). */
  file: string | null;
  labels: Readonly<Record<string, string>>;
  templateDriver: string | null;
}

const LABEL_KEY = /^[^\s=]+$/;
export const TEMPLATE_DRIVERS: readonly string[] = ['golang'];

export function createPrompt(kind: SecretKind): string {
  return kind === 'secret' ? 'name [file] [key=value …]' : 'name [file] [key=value …] [--template-driver golang]';
}

/** Words separated by spaces; "double quotes" keep spaces in one word (a backslash escapes a quote or itself inside). */
export function splitWords(raw: string): string[] | string {
  const words: string[] = [];
  let cur: string | null = null;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '"') {
      cur ??= '';
      for (i++; i < raw.length && raw[i] !== '"'; i++) cur += raw[i] === '\\' && i + 1 < raw.length ? raw[++i]! : raw[i]!;
      if (i >= raw.length) return 'a quote is not closed';
    } else if (/\s/.test(ch)) {
      if (cur !== null) words.push(cur);
      cur = null;
    } else cur = (cur ?? '') + ch;
  }
  if (cur !== null) words.push(cur);
  return words;
}

/** One word for splitWords, quoted when it has to be. */
export function quoteWord(word: string): string {
  return /^[^\s"\\]+$/.test(word) ? word : `"${word.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** Parses the prompt's line; a message says what is wrong. */
export function parseCreateLine(raw: string, kind: SecretKind): CreateLine | string {
  const words = splitWords(raw);
  if (typeof words === 'string') return words;
  const [name = '', ...rest] = words;
  const bad = nameError(name);
  if (bad !== null) return bad;
  const labels: Record<string, string> = {};
  let file: string | null = null;
  let templateDriver: string | null = null;
  for (let i = 0; i < rest.length; i++) {
    const w = rest[i]!;
    if (w === '--template-driver' || w.startsWith('--template-driver=')) {
      if (kind !== 'config') return 'a template driver is for configs only';
      const d = w.includes('=') ? w.slice(w.indexOf('=') + 1) : rest[++i] ?? '';
      if (!TEMPLATE_DRIVERS.includes(d)) return `template driver "${d}": the engine knows ${TEMPLATE_DRIVERS.join(', ')}`;
      templateDriver = d;
    } else if (w.includes('=') && !w.includes('/')) {
      const key = w.slice(0, w.indexOf('='));
      if (!LABEL_KEY.test(key)) return `"${w}": a label is key=value`;
      if (key in labels) return `label "${key}" appears twice`;
      labels[key] = w.slice(w.indexOf('=') + 1);
    } else if (file === null) {
      if (w === '-') return 'the console cannot read standard input: name a file, or leave it out and type the value';
      file = w;
    } else return `"${w}": one file only (labels are key=value)`;
  }
  return { name, file, labels, templateDriver };
}

/** ~/ is the operator's home, as in a shell. */
export function expandHome(path: string, home: string = homedir()): string {
  return path === '~' ? home : path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

/** Reads a value file; the message names the file and the reason, never its content. */
export async function readValueFile(path: string): Promise<Buffer | string> {
  try {
    return await readFile(expandHome(path));
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return `cannot read ${path}: ${typeof code === 'string' ? code : err instanceof Error ? err.message : String(err)}`;
  }
}

/** The engine's own limits (swarmkit: a secret 1 byte to 500 KiB, a config below 1000 KiB), said before sending. */
export function valueError(kind: SecretKind, value: Buffer): string | null {
  if (kind === 'secret' && value.length === 0) return 'a secret cannot be empty';
  const max = kind === 'secret' ? 500 * 1024 : 1000 * 1024;
  if (value.length >= max) return `${value.length} bytes: a ${kind} must be smaller than ${max / 1024} KiB`;
  return null;
}
