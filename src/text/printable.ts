/**
 * The one cleaning function for text from outside the program (engine payloads and errors, container
 * logs, SSH servers, certificates). Text from there is made safe to draw where it enters the program;
 * nothing else in swarmtop should need to know what a control sequence is.
 */

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// Escape sequences, removed whole with their payload: CSI (colours, cursor moves, clear screen), OSC
// (window title, hyperlinks, OSC 52 clipboard writes) ended by BEL or ST or not at all, DCS/SOS/PM/APC
// strings, the other two-byte escapes, and the 8-bit C1 forms of CSI, OSC and the string introducers.
const ESCAPES = new RegExp(
  [
    '\\x1b\\[[0-?]*[ -/]*[@-~]',
    '\\x1b\\][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?',
    '\\x1b[PX^_][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?',
    '\\x1b[@-Z\\\\-_]',
    '\\x9b[0-?]*[ -/]*[@-~]',
    '[\\x90\\x98\\x9d\\x9e\\x9f][^\\x07\\x1b\\x9c]*(?:\\x07|\\x1b\\\\|\\x9c)?',
  ].join('|'),
  'g',
);
// Any control left (a lone ESC, one revealed by removing a sequence around it, C0, DEL, C1) becomes "?".
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/g;
// eslint-disable-next-line no-control-regex
const CONTROLS_KEEP_NEWLINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;
// Characters that draw nothing or reorder what is drawn: bidi embeddings, overrides and isolates (a name
// that reads differently from what it is), zero-width spaces and joiners, invisible separators, the BOM,
// Hangul fillers, interlinear annotation marks, line/paragraph separators and Unicode tag characters.
// They are shown as <U+XXXX>, as `less` does, so an operator sees that something odd is there.
const INVISIBLE = /[\u00ad\u061c\u115f\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\u3164\ufeff\uffa0\ufff9-\ufffb\u{e0000}-\u{e007f}]|\u1160|\u17b4|\u17b5/gu;

function placeholder(ch: string): string {
  return `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`;
}

/**
 * `text` made safe to draw: escape sequences removed, other control characters shown as "?", invisible
 * and reordering characters shown as <U+XXXX>, tabs as spaces. 'text' keeps newlines (logs, inspect,
 * error messages of several lines); 'line' makes one line of it (names, labels, messages in a table
 * cell or a header), so no value can draw a line of its own. Idempotent: clean text stays as it is.
 */
export function printable(text: string, mode: 'text' | 'line' = 'text'): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const noEscapes = text.replace(ESCAPES, '');
  const flat = mode === 'line' ? noEscapes.replace(/\r\n|[\r\n\t]/g, ' ') : noEscapes.replace(/\t/g, '    ');
  return flat.replace(mode === 'line' ? CONTROLS : CONTROLS_KEEP_NEWLINE, '?').replace(INVISIBLE, placeholder);
}

/** True for text that needs no cleaning and is one cell per character (the renderers' fast path). */
export function isPrintableAscii(text: string): boolean {
  return PRINTABLE_ASCII.test(text);
}
