import { describe, expect, it } from 'vitest';
import {
  KeyReader, MAX_PASTE, PASTE_END, PASTE_START, keyEvent, pasteText, splitSequences, typedText, type KeyEvent,
} from '../../src/ui/keys/split.js';
import { rng } from '../fixtures/rng.js';

const names = (events: readonly KeyEvent[]): string[] => events.map((e) => (e.kind === 'key' ? e.name : `paste:${e.text}`));
const keysOf = (chunk: string): string[] => names(new KeyReader().push(chunk));

describe('a chunk becomes keys', () => {
  it('plain characters one by one: a burst of j is that many moves', () => {
    expect(keysOf('jjj')).toEqual(['j', 'j', 'j']);
    expect(keysOf('5G')).toEqual(['5', 'G']);
    expect(keysOf('dy')).toEqual(['d', 'y']);
  });

  it('escape sequences whole, between characters', () => {
    expect(keysOf('j\x1b[Bk')).toEqual(['j', 'down', 'k']);
    expect(keysOf('\x1b[A\x1b[A')).toEqual(['up', 'up']);
    expect(keysOf('\x1bOA\x1bOB')).toEqual(['up', 'down']);
    expect(keysOf('\x1b[5~\x1b[6~\x1b[H\x1b[F\x1b[1~\x1b[4~')).toEqual(['pgup', 'pgdn', 'home', 'end', 'home', 'end']);
    expect(keysOf('\x1b[1;5A\x1b[1;2B\x1b[5;5~')).toEqual(['ctrl-up', 'shift-down', 'ctrl-pgup']);
    expect(keysOf('\x1b[Z\x1bOP\x1b[15~')).toEqual(['shift-tab', 'f1', 'f5']);
  });

  it('escape alone, twice, and as alt prefix', () => {
    expect(keysOf('\x1b')).toEqual(['esc']);
    // Two taps of esc arriving together are two escapes (clear the filter, then back out).
    expect(keysOf('\x1b\x1b')).toEqual(['esc', 'esc']);
    expect(keysOf('\x1bj')).toEqual(['alt-j']);
    expect(keysOf('\x1b\x1b[A')).toEqual(['alt-up']);
    expect(keysOf('\x1b[')).toEqual(['alt-[']);
  });

  it('control characters by the names the keymap uses', () => {
    expect(keysOf('\r\n\t\x7f\x08\x04\x15\x03\x00')).toEqual(['enter', 'enter', 'tab', 'backspace', 'backspace', 'ctrl-d', 'ctrl-u', 'ctrl-c', 'ctrl-space']);
    // Delete: the prompts have no cursor, so it erases like backspace (as before).
    expect(keysOf('\x1b[3~')).toEqual(['backspace']);
  });

  it('characters outside the BMP stay whole', () => {
    expect(keysOf('a😀b')).toEqual(['a', '😀', 'b']);
    expect(keyEvent('😀')).toEqual({ kind: 'key', name: '😀', text: '😀' });
  });

  it('unknown sequences are one key that matches nothing', () => {
    expect(keysOf('\x1b[99~j')).toEqual(['unknown', 'j']);
    expect(keysOf('\x1b[[A')).toEqual(['unknown']);
  });
});

describe('what is typed text (the one place that decides)', () => {
  it('printable keys type themselves; enter, esc, arrows and ctrl keys type nothing', () => {
    expect(typedText(keyEvent('a'))).toBe('a');
    expect(typedText(keyEvent(' '))).toBe(' ');
    expect(typedText(keyEvent('é'))).toBe('é');
    for (const seq of ['\r', '\x1b', '\x1b[A', '\x04', '\x7f', '\t', '\x1bj', '\x9b']) expect(typedText(keyEvent(seq)), JSON.stringify(seq)).toBeNull();
  });

  it('a paste types its text', () => {
    expect(typedText({ kind: 'paste', text: 'web api' })).toBe('web api');
  });
});

describe('bracketed paste', () => {
  it('is one paste, its newlines made spaces (a newline never submits), controls dropped', () => {
    expect(names(new KeyReader().push(`${PASTE_START}web\r\napi\x1b[A\x07x${PASTE_END}`))).toEqual(['paste:web apix']);
    expect(pasteText('\nline one\n')).toBe('line one');
    expect(pasteText('a\tb\rc')).toBe('a b c');
  });

  it('may come in several chunks, keys after it are keys again', () => {
    const r = new KeyReader();
    expect(r.push(`j${PASTE_START}ab`)).toEqual([{ kind: 'key', name: 'j', text: 'j' }]);
    expect(r.pasting).toBe(true);
    expect(r.push('c\rd')).toEqual([]);
    expect(names(r.push(`${PASTE_END}k`))).toEqual(['paste:abc d', 'k']);
    expect(r.pasting).toBe(false);
  });

  it('is cut at MAX_PASTE characters; a stray end marker is nothing', () => {
    const r = new KeyReader();
    const [paste] = r.push(`${PASTE_START}${'x'.repeat(MAX_PASTE * 5)}${PASTE_END}`);
    expect(paste?.kind === 'paste' && paste.text.length).toBe(MAX_PASTE);
    expect(keysOf(`${PASTE_END}j`)).toEqual(['j']);
  });
});

/** Complete key sequences (as a terminal sends them) and what they are called. */
const KEYS: readonly [string, string][] = [
  ['j', 'j'], ['G', 'G'], ['5', '5'], ['y', 'y'], [' ', ' '], ['é', 'é'], ['😀', '😀'], ['[', '['], ['O', 'O'], ['~', '~'],
  ['\r', 'enter'], ['\t', 'tab'], ['\x7f', 'backspace'], ['\x04', 'ctrl-d'], ['\x03', 'ctrl-c'],
  ['\x1b[A', 'up'], ['\x1b[B', 'down'], ['\x1bOC', 'right'], ['\x1b[6~', 'pgdn'], ['\x1b[1;5D', 'ctrl-left'], ['\x1b\x1b[A', 'alt-up'],
  ['\x1bj', 'alt-j'], ['\x1b[Z', 'shift-tab'],
];

describe('fuzz: any burst of keys splits back into exactly those keys', () => {
  it('2,000 random bursts, cut into chunks at random key boundaries', () => {
    const next = rng(0x5eed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
    for (let round = 0; round < 2000; round++) {
      const keys = Array.from({ length: 1 + Math.floor(next() * 12) }, () => pick(KEYS));
      // A lone esc is only unambiguous last (the terminal sends nothing with it; Ink flushes it alone).
      if (next() < 0.2) keys.push(['\x1b', 'esc']);
      const raw = keys.map(([s]) => s);
      expect(splitSequences(raw.join('')), JSON.stringify(raw)).toEqual(raw);
      const reader = new KeyReader();
      const got: string[] = [];
      for (let i = 0; i < raw.length;) {
        const n = 1 + Math.floor(next() * 4);
        got.push(...names(reader.push(raw.slice(i, i + n).join(''))));
        i += n;
      }
      expect(got, JSON.stringify(raw)).toEqual(keys.map(([, name]) => name));
    }
  });

  it('random bytes: nothing is lost (the sequences join back to the chunk) and nothing throws', () => {
    const next = rng(0xb17e5);
    const alphabet = ['\x1b', '[', 'O', ';', '1', '5', '~', 'A', 'j', '\r', '\x7f', '\x00', '\x9b', '\ud83d', '\ude00', 'é', ' ', '\x1b[200~', '\x1b[201~'];
    for (let round = 0; round < 2000; round++) {
      const chunk = Array.from({ length: Math.floor(next() * 30) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
      expect(splitSequences(chunk).join('')).toBe(chunk);
      const events = new KeyReader().push(chunk);
      for (const e of events) {
        const text = typedText(e);
        // Typed text never carries a control character or an escape.
        // eslint-disable-next-line no-control-regex
        if (text !== null) expect(text).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      }
    }
  });
});
