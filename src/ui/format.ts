import { printable } from '../text/printable.js';

/** Compact age like docker's: 45s, 12m, 3h, 9d. */
export function age(sinceMs: number, now = Date.now()): string {
  if (sinceMs <= 0) return '-';
  const s = Math.max(0, Math.floor((now - sinceMs) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

export function bytes(n: number): string {
  if (n <= 0) return '-';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}

export function cpus(nano: number): string {
  return nano > 0 ? String(Math.round((nano / 1e9) * 10) / 10) : '-';
}

export function durationNs(ns: number): string {
  const s = Math.round(ns / 1e9);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export { printable };

/** Zero-width: combining marks, zero-width spaces/joiners, variation selectors. */
function isZeroWidth(cp: number): boolean {
  return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0xfe00 && cp <= 0xfe0f) || cp < 0x20 || (cp >= 0x7f && cp < 0xa0);
}

/** East Asian Wide/Fullwidth and emoji: two cells (the ranges terminals agree on). */
function isWide(cp: number): boolean {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) || (cp >= 0x3041 && cp <= 0x33ff)
    || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf)
    || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f)
    || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f)
    || (cp >= 0x1f680 && cp <= 0x1f6ff) || (cp >= 0x1f900 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

function charWidth(cp: number): number {
  return isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
}

/** Terminal cells a string takes (what Ink measures): wide characters take two, combining marks none. */
export function cellWidth(text: string): number {
  if (PRINTABLE_ASCII.test(text)) return text.length;
  let w = 0;
  for (const ch of text) w += charWidth(ch.codePointAt(0) ?? 0);
  return w;
}

/** The longest prefix of `text` that fits in `width` cells. */
export function sliceCells(text: string, width: number): string {
  let w = 0;
  let out = '';
  for (const ch of text) {
    const cw = charWidth(ch.codePointAt(0) ?? 0);
    if (w + cw > width) break;
    w += cw;
    out += ch;
  }
  return out;
}

/** Table cells mark a cut with an ASCII "~" (as Midnight Commander does): a line of printable ASCII is
 * measured by Ink with a length check, a line with "…" by a grapheme segmenter, about 15 ms a frame at 180x50. */
export const TABLE_CUT = '~';

/**
 * Pads or truncates (with …, or `mark`) to exactly `width` cells. Names and ids are ASCII (the fast path); free text
 * (task messages, labels) may hold wide characters, which would otherwise push a row past the screen edge.
 */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', mark = '…'): string {
  if (width <= 0) return '';
  const clean = PRINTABLE_ASCII.test(text) ? text : printable(text, 'line');
  if (PRINTABLE_ASCII.test(clean)) {
    if (clean.length > width) return width === 1 ? mark : `${clean.slice(0, width - 1)}${mark}`;
    return align === 'right' ? clean.padStart(width) : clean.padEnd(width);
  }
  const w = cellWidth(clean);
  if (w > width) {
    const cut = sliceCells(clean, width - 1);
    return `${cut}${mark}${' '.repeat(Math.max(0, width - 1 - cellWidth(cut)))}`;
  }
  const pad = ' '.repeat(width - w);
  return align === 'right' ? pad + clean : clean + pad;
}

/**
 * Word-wraps text into lines of at most `width` cells (words longer than a line are cut), so a caller
 * knows exactly how many rows it will take before Ink lays it out.
 */
export function wrapCells(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  for (const paragraph of text.replace(/\t/g, ' ').split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(' ')) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (cellWidth(candidate) <= w) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      let rest = word;
      while (cellWidth(rest) > w) {
        // A wide character in a one-cell line still has to go somewhere: it gets a line of its own.
        const head = sliceCells(rest, w) || (Array.from(rest)[0] ?? '');
        lines.push(head);
        rest = rest.slice(head.length);
      }
      line = rest;
    }
    if (line !== '' || lines.length === 0 || paragraph === '') lines.push(line);
  }
  return lines;
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** Image without the digest (name:tag@sha256:... → name:tag). */
export function shortImage(image: string): string {
  const at = image.indexOf('@');
  return at >= 0 ? image.slice(0, at) : image;
}

/** Hard-wraps one line into pieces of at most `width` cells (the logs view's wrap mode). */
export function chunkCells(line: string, width: number): string[] {
  if (width <= 0 || (PRINTABLE_ASCII.test(line) ? line.length <= width : cellWidth(line) <= width)) return [line];
  const out: string[] = [];
  let rest = line;
  while (rest !== '') {
    const head = sliceCells(rest, width) || (Array.from(rest)[0] ?? '');
    out.push(head);
    rest = rest.slice(head.length);
  }
  return out;
}
