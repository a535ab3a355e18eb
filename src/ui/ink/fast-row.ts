import { ansiCodesToString, diffAnsiCodes, reduceAnsiCodesIncremental, tokenize, type AnsiCode } from '@alcalzone/ansi-tokenize';

/**
 * The string Ink builds for a grid row holding one line written at column x, computed per run of
 * same-styled text instead of per character: a sort or a filter changes every row of the table at
 * once, and Ink's per-character objects then cost ~20 ms a frame.
 *
 * Ink (Output.get + ansi-tokenize) writes, for each character, the codes from the previous
 * character's styles to its own (diffAnsiCodes), then the character; the row starts from no style,
 * ends with the codes back to no style, and its trailing spaces are trimmed. Within a run all
 * characters share the styles, so only run boundaries emit codes: the same string, fewer steps. The
 * style arithmetic is ansi-tokenize's own; escape sequences are tokenized by it too (cached by text).
 * Only lines of printable text and SGR sequences, starting within the row, qualify; anything else (other escapes, control
 * characters) returns null and Ink builds the row itself.
 */

// eslint-disable-next-line no-control-regex
const SGR_OR_TEXT = /\u001b\[[0-9;]*m|[^\u0000-\u001f\u007f-\u009f]+/gy;

const codeCache = new Map<string, AnsiCode[]>();
const CODE_CACHE_MAX = 512;

function codesOf(sequence: string): AnsiCode[] | null {
  let codes = codeCache.get(sequence);
  if (!codes) {
    const tokens = tokenize(sequence);
    if (!tokens.every((t) => t.type === 'ansi')) return null;
    codes = tokens;
    if (codeCache.size >= CODE_CACHE_MAX) codeCache.clear();
    codeCache.set(sequence, codes);
  }
  return codes;
}

/**
 * Characters that join, vary or mark the one before them (zero-width joiner and space, bidi marks,
 * variation selectors, combining marks, regional indicators, skin tones): Ink's per-character grid
 * decides where they go (or drops them), so a line holding one is left to Ink.
 */
const JOINING = /\p{M}|[\u200b-\u200f]|[\u2060-\u206f]|[\ufe00-\ufe0f]|[\u{e0000}-\u{e01ef}]|[\u{1f1e6}-\u{1f1ff}]|[\u{1f3fb}-\u{1f3ff}]/u;

/** The row string for `line` written at column `x` of a row `width` wide, or null: let Ink build it. */
export function fastRow(width: number, x: number, line: string): string | null {
  // Off the row's start or past its end, Ink's grid has holes it drops: not this simple shape.
  if (x < 0 || x > width) return null;
  if (JOINING.test(line)) return null;
  let styles: AnsiCode[] = [];
  let shown: AnsiCode[] = [];
  let out = ' '.repeat(x);
  let first = true;
  SGR_OR_TEXT.lastIndex = 0;
  let at = 0;
  while (at < line.length) {
    const m = SGR_OR_TEXT.exec(line);
    if (!m || m.index !== at) return null;
    const piece = m[0];
    at += piece.length;
    if (piece.charCodeAt(0) === 0x1b) {
      const codes = codesOf(piece);
      if (!codes) return null;
      for (const code of codes) styles = reduceAnsiCodesIncremental(styles, [code]);
      continue;
    }
    out += ansiCodesToString(first ? styles : diffAnsiCodes(shown, styles)) + piece;
    shown = styles;
    first = false;
  }
  if (!first) out += ansiCodesToString(diffAnsiCodes(shown, []));
  return out.trimEnd();
}
