import { readFileSync } from 'node:fs';
import { Box, Text } from 'ink';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastRow } from '../../src/ui/ink/fast-row.js';
import {
  INK_VERIFIED, describeRowReuse, installRowReuse, inkOutputClass, reuseRowsGet, rowReuseStats, rowReuseStatus, type OutputClass, type OutputLike,
} from '../../src/ui/ink/row-reuse.js';
import { rng as seededRandom } from '../fixtures/rng.js';

type Get = OutputLike['get'];
let Output: OutputClass;
let original: Get;

beforeAll(async () => {
  const cls = await inkOutputClass();
  if (!cls) throw new Error("Ink's Output class was not found");
  Output = cls;
  // Taken before the patch: the reference every frame is compared with.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called with .call(output) below
  original = (Output.prototype as OutputLike).get;
  expect(await installRowReuse()).toBe(true);
});

const PIECES = [
  'a', 'word', ' ', '   ', '漢字', '🙂', 'é', '👍🏽', '\n', '\t', '\u0007', 'ｗｉｄｅ', '한글',
  '\u001b[31mred\u001b[39m', '\u001b[1mbold\u001b[22m', '\u001b[7minv\u001b[27m', '\u001b[38;5;200mx\u001b[39m',
  '\u001b[31m', '\u001b[39m', '\u001b[1m', '\u001b[2m', '\u001b[22m', '\u001b[0m', '\u001b[m', '\u001b[1;31m', '\u001b[44m', '\u001b[49m',
  '\u001b[38;2;10;20;30m', '\u001b[4m', '\u001b[24m', '\u001b[9m', '\u001b[7m', '\u001b[27m', '\u001b[91m',
  '\u001b]8;;https://example.invalid\u0007link\u001b]8;;\u0007', '\u001b[2K', '\u001b',
];
/**
 * Joined and varied graphemes, one piece in ten: zero-width joiner sequences, emoji and text presentation
 * selectors, combining marks, a flag, and the joiner, selectors and zero-width space on their own.
 */
const JOINED = ['👩\u200d💻', '👨\u200d👩\u200d👧', '❤\ufe0f', '☺\ufe0e', 'e\u0301', '🇩🇪', '\u200d', '\ufe0f', '\u200b'];

function piece(rand: () => number): string {
  return rand() < 0.1 ? (JOINED[Math.floor(rand() * JOINED.length)] as string) : (PIECES[Math.floor(rand() * PIECES.length)] as string);
}

const TRANSFORMS: readonly ((line: string, index: number) => string)[] = [
  (l) => `\u001b[32m${l}\u001b[39m`,
  (l, i) => (i % 2 === 0 ? l.toUpperCase() : l),
];

function randomOps(rand: () => number, width: number, height: number): (o: OutputLike) => void {
  const ops: { x: number; y: number; text: string; transformers: ((l: string, i: number) => string)[] }[] = [];
  const count = 1 + Math.floor(rand() * 12);
  for (let k = 0; k < count; k++) {
    let text = '';
    const len = Math.floor(rand() * 14);
    for (let j = 0; j < len; j++) text += piece(rand);
    ops.push({
      // Off the grid on purpose, on both sides.
      x: Math.floor(rand() * (width + 4)) - 1,
      y: Math.floor(rand() * (height + 3)) - 1,
      text,
      transformers: TRANSFORMS.filter(() => rand() < 0.3),
    });
  }
  // Now and then a clipped region (overflow hidden), which is left to Ink as a whole.
  const clip = rand() < 0.1 ? { x1: 1, x2: width - 1, y1: 0, y2: height - 1 } : null;
  return (o) => {
    const ops2 = o as OutputLike & { clip(c: object): void; unclip(): void };
    if (clip) ops2.clip(clip);
    ops.forEach((op) => o.write(op.x, op.y, op.text, { transformers: op.transformers }));
    if (clip) ops2.unclip();
  };
}

describe("reusing unchanged rows of Ink's frame", () => {
  it('builds exactly what Ink builds, frame after frame (random writes, styles, wide characters, lines off the grid)', () => {
    const rand = seededRandom(7);
    for (let frame = 0; frame < 1500; frame++) {
      const width = 1 + Math.floor(rand() * 30);
      const height = 1 + Math.floor(rand() * 8);
      // Every other frame repeats the previous one, or changes one write, so reuse is exercised.
      const ops = randomOps(rand, width, height);
      for (let repeat = 0; repeat < 2; repeat++) {
        const a = new Output({ width, height });
        const b = new Output({ width, height });
        ops(a);
        ops(b);
        expect(reuseRowsGet(b, original, Output)).toEqual(original.call(a));
      }
    }
  });

  it('builds a one-line row per styled run exactly as Ink does, or leaves it to Ink (20,000 random rows)', () => {
    const rand = seededRandom(11);
    let fast = 0;
    for (let k = 0; k < 20_000; k++) {
      let line = '';
      const len = Math.floor(rand() * 10);
      for (let j = 0; j < len; j++) line += piece(rand);
      line = line.replace(/\n/g, '');
      const width = 1 + Math.floor(rand() * 12);
      const x = Math.floor(rand() * (width + 4)) - 1;
      const ink = new Output({ width, height: 1 });
      ink.write(x, 0, line, { transformers: [] });
      const ours = fastRow(width, x, line);
      if (ours === null) continue;
      fast++;
      expect(ours, JSON.stringify({ width, x, line })).toBe(original.call(ink).output);
    }
    // Most rows qualify (the rest hold other escapes or control characters, or start off the row).
    expect(fast).toBeGreaterThan(5000);
  });

  it('is in effect for Ink frames, and reuses the rows a cursor move does not touch', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `row ${i}`);
    const Table = ({ cursor }: { cursor: number }) => (
      <Box flexDirection="column">
        {rows.map((r, i) => <Text key={r} inverse={i === cursor} color={i % 3 === 0 ? 'red' : undefined}>{r}</Text>)}
      </Box>
    );
    const view = render(<Table cursor={0} />);
    const before = rowReuseStats();
    view.rerender(<Table cursor={1} />);
    const after = rowReuseStats();
    expect(view.lastFrame()).toContain('row 19');
    expect(after.frames).toBeGreaterThan(before.frames);
    // Two rows changed (the old and the new cursor row); the rest came from the previous frame.
    expect(after.reused - before.reused).toBeGreaterThanOrEqual(18);
    view.unmount();
  });
});

describe('the frame patch says whether it is in effect', () => {
  it('is active on the Ink version it was verified for, which package.json pins exactly', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string> };
    // Upgrading Ink: run this file's fuzz tests on the new version, then move INK_VERIFIED and the pin together.
    expect(pkg.dependencies.ink).toBe(INK_VERIFIED);
    expect(rowReuseStatus()).toEqual({ active: true, ink: INK_VERIFIED, reason: null });
    expect(describeRowReuse(rowReuseStatus())).toBe(`frame patch: active (row reuse, ink ${INK_VERIFIED})`);
    expect(describeRowReuse({ active: false, ink: '7.0.0', reason: `ink 7.0.0 is not the version the patch was verified for (${INK_VERIFIED})` }))
      .toMatch(/^frame patch: inactive — ink 7.0.0 is not the version .*frames are built by Ink alone\)$/);
  });
});

