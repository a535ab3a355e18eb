/**
 * The first stage of input: a raw chunk from the terminal becomes keys. A terminal delivers what arrives
 * together as one chunk — fast typing over a slow SSH link, key repeat, a paste — so "jjj" is three
 * keys, not one unknown one. Plain characters are keys one by one; an escape sequence (CSI, SS3, an
 * alt-prefixed key) is one key whole; a bracketed paste is one paste, never keys.
 *
 * Key names are those of the keymap table: "j", "G", "ctrl-d", "enter", "esc", "up", "pgdn", "backspace".
 */

export type KeyEvent =
  /** text: what the key types into a prompt ('' for keys that type nothing: arrows, enter, ctrl-…). */
  | { kind: 'key'; name: string; text: string }
  /** A bracketed paste, whole: inserted into a prompt as text, never run as keys. */
  | { kind: 'paste'; text: string };

const ESC = '\x1b';
export const PASTE_START = '\x1b[200~';
export const PASTE_END = '\x1b[201~';
/** What one paste may insert: a prompt is one line, and the frame must stay cheap. */
export const MAX_PASTE = 4096;

const isCsiParam = (c: number): boolean => c >= 0x20 && c <= 0x3f;
const isFinal = (c: number): boolean => c >= 0x40 && c <= 0x7e;

/** End of the CSI sequence whose '[' is at `at` (exclusive), or the chunk's end when it is cut short. */
function csiEnd(s: string, at: number): number {
  let i = at + 1;
  // Legacy function keys: ESC [ [ A.
  if (s[i] === '[') i++;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (isFinal(c)) return i + 1;
    if (!isCsiParam(c)) return i;
  }
  return s.length;
}

/** End of the sequence introduced by the ESC at `at`. */
function escapeEnd(s: string, at: number): number {
  const next = s[at + 1];
  if (next === undefined) return at + 1;
  if (next === '[') return csiEnd(s, at + 1);
  if (next === 'O') return at + 2 < s.length && isFinal(s.charCodeAt(at + 2)) ? at + 3 : at + 2;
  if (next === ESC) {
    // ESC ESC [ A is alt-up; ESC ESC alone is two escapes (a double tap of esc arriving together).
    const third = s[at + 2];
    return third === '[' || third === 'O' ? escapeEnd(s, at + 1) : at + 1;
  }
  // Alt-prefixed character (one code point: a surrogate pair stays whole).
  const cp = s.codePointAt(at + 1) ?? 0;
  return at + 1 + (cp > 0xffff ? 2 : 1);
}

/** The raw sequences of a chunk, in order: one per key. */
export function splitSequences(chunk: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < chunk.length;) {
    let end: number;
    if (chunk[i] === ESC) end = escapeEnd(chunk, i);
    else {
      const cp = chunk.codePointAt(i) ?? 0;
      end = i + (cp > 0xffff ? 2 : 1);
    }
    out.push(chunk.slice(i, end));
    i = end;
  }
  return out;
}

const CSI_LETTER: Readonly<Record<string, string>> = { A: 'up', B: 'down', C: 'right', D: 'left', H: 'home', F: 'end', P: 'f1', Q: 'f2', R: 'f3', S: 'f4' };
const CSI_TILDE: Readonly<Record<string, string>> = {
  // Delete sits where backspace is on many keyboards; the prompts have no cursor to delete forward from.
  1: 'home', 2: 'insert', 3: 'backspace', 4: 'end', 5: 'pgup', 6: 'pgdn', 7: 'home', 8: 'end',
  11: 'f1', 12: 'f2', 13: 'f3', 14: 'f4', 15: 'f5', 17: 'f6', 18: 'f7', 19: 'f8', 20: 'f9', 21: 'f10', 23: 'f11', 24: 'f12',
};

/** xterm's modifier parameter (1 + shift 1, alt 2, ctrl 4) as a name prefix. */
function modifiers(param: string | undefined): string {
  const m = Number(param ?? '1') - 1;
  if (!Number.isInteger(m) || m <= 0) return '';
  return `${m & 4 ? 'ctrl-' : ''}${m & 2 ? 'alt-' : ''}${m & 1 ? 'shift-' : ''}`;
}

function escapeName(seq: string): string {
  if (seq === ESC) return 'esc';
  if (seq.startsWith(ESC + ESC)) {
    const inner = escapeName(seq.slice(1));
    return inner === 'unknown' ? inner : `alt-${inner}`;
  }
  const kind = seq[1];
  if (kind === '[' || kind === 'O') {
    const final = seq[seq.length - 1] ?? '';
    const params = seq.slice(2, -1).split(';');
    if (kind === '[' && seq === '\x1b[Z') return 'shift-tab';
    if (kind === '[' && (seq === '\x1b[I' || seq === '\x1b[O')) return seq === '\x1b[I' ? 'focus-in' : 'focus-out';
    const letter = CSI_LETTER[final];
    if (letter && (kind === 'O' || /^(1?)(;\d+)?$/.test(seq.slice(2, -1)))) return `${modifiers(params[1])}${letter}`;
    const tilde = final === '~' && kind === '[' ? CSI_TILDE[params[0] ?? ''] : undefined;
    if (tilde) return `${modifiers(params[1])}${tilde}`;
    if (seq.length === 2) return `alt-${kind}`;
    return 'unknown';
  }
  const rest = seq.slice(1);
  const inner = keyEvent(rest);
  return inner.kind === 'key' && inner.name !== 'unknown' ? `alt-${inner.name}` : 'unknown';
}

function controlName(code: number): string {
  switch (code) {
    case 0x0d: case 0x0a: return 'enter';
    case 0x09: return 'tab';
    case 0x08: case 0x7f: return 'backspace';
    case 0x00: return 'ctrl-space';
    default:
      if (code >= 0x01 && code <= 0x1a) return `ctrl-${String.fromCharCode(code + 0x60)}`;
      if (code >= 0x1c && code <= 0x1f) return `ctrl-${String.fromCharCode(code + 0x40)}`;
      return 'unknown';
  }
}

/** Whether a character types text: not a C0/C1 control, not DEL. */
function printableChar(cp: number): boolean {
  return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp <= 0x9f);
}

/** One raw sequence (as splitSequences returns it) as a key. */
export function keyEvent(seq: string): KeyEvent {
  if (seq.startsWith(ESC)) return { kind: 'key', name: escapeName(seq), text: '' };
  const cp = seq.codePointAt(0) ?? 0;
  if (printableChar(cp)) return { kind: 'key', name: seq, text: seq };
  return { kind: 'key', name: controlName(cp), text: '' };
}

/**
 * What a paste inserts into a one-line prompt: line breaks and tabs become spaces (a newline in a paste
 * never submits), other control characters and escape sequences are dropped, the ends are trimmed of
 * line breaks (a copied line usually carries its newline), and it is cut at MAX_PASTE characters.
 */
export function pasteText(raw: string): string {
  const parts: string[] = [];
  for (const seq of splitSequences(raw.replace(/\r\n/g, '\n').replace(/^[\r\n]+|[\r\n]+$/g, ''))) {
    if (seq === '\r' || seq === '\n' || seq === '\t') parts.push(' ');
    else if (!seq.startsWith(ESC) && printableChar(seq.codePointAt(0) ?? 0)) parts.push(seq);
  }
  return Array.from(parts.join('')).slice(0, MAX_PASTE).join('');
}

/**
 * What a key or paste types into a prompt (the `/` filter, the `:` line, a dialog's value, a search), or
 * null when it types nothing there (enter, esc, arrows, ctrl-…): the one place that decides.
 */
export function typedText(event: KeyEvent): string | null {
  if (event.kind === 'paste') return event.text;
  return event.text === '' ? null : event.text;
}

/**
 * Turns chunks into keys. Stateful only across a bracketed paste, which the terminal may deliver in
 * several chunks: everything between its start and end markers is one paste.
 */
export class KeyReader {
  private paste: string[] | null = null;
  private pasted = 0;

  push(chunk: string): KeyEvent[] {
    const out: KeyEvent[] = [];
    for (const seq of splitSequences(chunk)) {
      if (seq === PASTE_START) {
        this.paste ??= [];
        continue;
      }
      if (this.paste !== null) {
        if (seq === PASTE_END) {
          out.push({ kind: 'paste', text: pasteText(this.paste.join('')) });
          this.paste = null;
          this.pasted = 0;
        } else if (this.pasted < MAX_PASTE * 2) {
          // Bounded: a paste of megabytes is cut, not held.
          this.paste.push(seq);
          this.pasted += seq.length;
        }
        continue;
      }
      // An end marker without a start (the start was lost): nothing to do.
      if (seq === PASTE_END) continue;
      out.push(keyEvent(seq));
    }
    return out;
  }

  /** Inside a paste whose end has not arrived yet. */
  get pasting(): boolean {
    return this.paste !== null;
  }
}
