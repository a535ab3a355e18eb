import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fastRow } from './fast-row.js';

/**
 * Ink turns every frame into text cell by cell: each line is tokenized into one object per character,
 * laid on a fresh width × height grid, and each grid row is turned back into a string — ~20 ms for a
 * 180×50 frame here, most of a keystroke's cost, though a cursor move changes two rows. This keeps
 * Ink's own algorithm and reuses a row's string when the row is built from exactly the same writes as
 * in the previous frame; changed rows go through Ink's own code, unchanged.
 *
 * Ink does not export its Output class, so it is reached by file (the same module instance Ink uses)
 * and only patched when it has the expected shape and passes a self-check; otherwise Ink is untouched.
 */

interface WriteOperation {
  type: 'write';
  x: number;
  y: number;
  text: string;
  transformers: readonly ((line: string, index: number) => string)[];
}
type Operation = WriteOperation | { type: 'clip' | 'unclip' };

export interface OutputLike {
  width: number;
  height: number;
  operations: Operation[];
  write(x: number, y: number, text: string, options: { transformers: WriteOperation['transformers'] }): void;
  get(): { output: string; height: number };
}
export type OutputClass = new (options: { width: number; height: number }) => OutputLike;
type Get = OutputLike['get'];

/** Row strings of the previous frame, by width and writes: the cache holds one frame's rows. */
let previousRows = new Map<string, string>();
/** Frames built and rows reused since the process started (for the benchmark and tests). */
const stats = { frames: 0, rows: 0, reused: 0 };
export const rowReuseStats = (): Readonly<typeof stats> => ({ ...stats });

/** One row's writes, in order: x and the final (transformed) line, as a cache key. */
function rowKey(width: number, placements: readonly (number | string)[]): string {
  return `${width}\u0000${placements.join('\u0001')}`;
}

/**
 * Ink's Output.get with unchanged rows reused. Every row depends only on the frame's width and the
 * writes that land on it, in order; rows not seen last frame are built per styled run when they hold
 * one line (fast-row.ts), else by Ink's original get on an Output holding just those rows' writes.
 */
export function reuseRowsGet(output: OutputLike, original: Get, Output: OutputClass): { output: string; height: number } {
  // Clipping (overflow hidden) is rare in this UI: left entirely to Ink.
  if (output.operations.some((op) => op.type !== 'write')) return original.call(output);
  const { width, height } = output;
  const rows: (number | string)[][] = Array.from({ length: height }, () => []);
  for (const op of output.operations as WriteOperation[]) {
    if (!op.text) continue;
    let offsetY = 0;
    for (const [index, raw] of op.text.split('\n').entries()) {
      const row = rows[op.y + offsetY];
      // As Ink: a line with no row to land on is dropped and the next line aims at the same row.
      if (!row) continue;
      let line = raw;
      for (const transform of op.transformers) line = transform(line, index);
      // A transform that adds a line break would make Ink's rows differ from these: Ink decides.
      if (line.includes('\n')) return original.call(output);
      row.push(op.x, line);
      offsetY++;
    }
  }
  const seen = new Map<string, string>();
  const keys = rows.map((r) => rowKey(width, r));
  const lines: (string | undefined)[] = keys.map((k) => previousRows.get(k));
  const built = lines.filter((l) => l === undefined).length;
  // A row holding one line is built per styled run (fast-row.ts); the rest by Ink.
  const missing: number[] = [];
  lines.forEach((l, i) => {
    if (l !== undefined) return;
    const placements = rows[i] as (number | string)[];
    const fast = placements.length === 0 ? '' : placements.length === 2 ? fastRow(width, placements[0] as number, placements[1] as string) : null;
    if (fast === null) missing.push(i);
    else lines[i] = fast;
  });
  stats.frames++;
  stats.rows += height;
  stats.reused += height - built;
  if (missing.length > 0) {
    const fresh = new Output({ width, height: missing.length });
    missing.forEach((rowIndex, i) => {
      const placements = rows[rowIndex] as (number | string)[];
      for (let p = 0; p < placements.length; p += 2) fresh.write(placements[p] as number, i, placements[p + 1] as string, { transformers: [] });
    });
    const inkRows = original.call(fresh).output.split('\n');
    missing.forEach((rowIndex, i) => {
      lines[rowIndex] = inkRows[i] ?? '';
    });
  }
  lines.forEach((l, i) => seen.set(keys[i] as string, l as string));
  previousRows = seen;
  return { output: lines.join('\n'), height };
}

/**
 * A frame with styles, wide characters, joined and varied graphemes (zero-width joiner, variation
 * selectors, combining marks), overlapping writes and lines off the grid: both ways must agree.
 */
function selfCheck(Output: OutputClass, original: Get): boolean {
  const make = (): OutputLike => {
    const o = new Output({ width: 12, height: 6 });
    o.write(0, 0, '\u001b[1mbold\u001b[22m and plain', { transformers: [] });
    o.write(2, 0, '\u001b[31mred\u001b[39m', { transformers: [(l) => `\u001b[7m${l}\u001b[27m`] });
    o.write(0, 1, '漢字 wide\nnext', { transformers: [] });
    o.write(0, 3, '👩\u200d💻 ❤\ufe0f e\u0301', { transformers: [] });
    o.write(1, 4, '\u001b[32mｗ\u200d\ufe0f🇩🇪\u001b[39m', { transformers: [] });
    o.write(0, 5, 'last\noff the grid', { transformers: [] });
    return o;
  };
  const a = make();
  const b = make();
  return original.call(a).output === reuseRowsGet(b, original, Output).output;
}

/** Ink's Output class: the module Ink itself loads (same file, same instance), or null. */
export async function inkOutputClass(): Promise<OutputClass | null> {
  const inkEntry = createRequire(import.meta.url).resolve('ink');
  const mod = (await import(pathToFileURL(join(dirname(inkEntry), 'output.js')).href)) as { default?: unknown };
  return typeof mod.default === 'function' ? (mod.default as OutputClass) : null;
}

/**
 * The Ink version the patch was verified against (its fuzz test, test/unit/ui-row-reuse.test.tsx).
 * package.json pins ink to it exactly: an upgrade is a deliberate change that runs the fuzz test and
 * moves this line. Any other version is left unpatched (slower frames, same output).
 */
export const INK_VERIFIED = '6.8.0';

export interface RowReuseStatus {
  active: boolean;
  /** The Ink version found ('unknown' when its package.json could not be read). */
  ink: string;
  /** Why the patch is not active (null when it is). */
  reason: string | null;
}

let status: RowReuseStatus | null = null;

/** Whether the frame patch is in effect, and why not: for `--version --verbose` and the debug log. */
export function rowReuseStatus(): RowReuseStatus | null {
  return status;
}

function inkVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const pkg = require(join(dirname(require.resolve('ink')), '..', 'package.json')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

async function install(ink: string): Promise<string | null> {
  if (ink !== INK_VERIFIED) return `ink ${ink} is not the version the patch was verified for (${INK_VERIFIED})`;
  const Output = await inkOutputClass();
  const proto = (Output as { prototype?: Partial<OutputLike> } | undefined)?.prototype;
  if (typeof Output !== 'function' || typeof proto?.get !== 'function' || typeof proto.write !== 'function') return "Ink's Output class is not where or what the patch expects";
  const probe = new Output({ width: 1, height: 1 });
  if (!Array.isArray(probe.operations)) return "Ink's Output keeps no list of operations";
  const original = proto.get;
  if (!selfCheck(Output, original)) return "the self-check frame differs from Ink's own";
  proto.get = function get(this: OutputLike) {
    return reuseRowsGet(this, original, Output);
  };
  return null;
}

/** Patches Ink's Output once per process; false (Ink untouched) when its internals are not as expected. */
export async function installRowReuse(): Promise<boolean> {
  if (status !== null) return status.active;
  const ink = inkVersion();
  let reason: string | null;
  try {
    reason = await install(ink);
  } catch (err) {
    reason = `the patch failed to install: ${err instanceof Error ? err.message : String(err)}`;
  }
  status = { active: reason === null, ink, reason };
  return status.active;
}

/** One line for `--version --verbose` and the debug log. */
export function describeRowReuse(s: RowReuseStatus | null): string {
  if (s === null) return 'frame patch: not loaded';
  return s.active ? `frame patch: active (row reuse, ink ${s.ink})` : `frame patch: inactive — ${s.reason ?? 'unknown reason'} (ink ${s.ink}; frames are built by Ink alone)`;
}
