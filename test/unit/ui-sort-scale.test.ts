import { describe, expect, it } from 'vitest';
import { argsortStrings } from '../../src/ui/panes/argsort-strings.js';
import { concatBlocks } from '../../src/ui/panes/blocks.js';
import { sortRows } from '../../src/ui/panes/order.js';
import type { Column, RowBase } from '../../src/ui/panes/types.js';
import { rng } from '../fixtures/rng.js';

/** The order every fast path must give: by key, ties by name ascending, then by position. */
function reference<T>(items: readonly T[], key: (t: T) => string | number, name: (t: T) => string | number, desc: boolean): T[] {
  const cmp = (a: string | number, b: string | number): number => (a < b ? -1 : a > b ? 1 : 0);
  return items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => (desc ? -1 : 1) * cmp(key(a.item), key(b.item)) || cmp(name(a.item), name(b.item)) || a.i - b.i)
    .map((x) => x.item);
}

const ALPHABET = ['a', 'b', 'c', 'web-', 'web-1', '.', '-', '9', 'Z', 'é', '漢', '🙂', ' ', '\u007f'];
function randomString(rand: () => number, maxParts: number): string {
  let s = '';
  const parts = Math.floor(rand() * maxParts);
  for (let i = 0; i < parts; i++) s += ALPHABET[Math.floor(rand() * ALPHABET.length)];
  return s;
}

interface R extends RowBase {
  n: number;
  few: string;
}

function randomRows(rand: () => number, count: number, prefix = ''): R[] {
  return Array.from({ length: count }, (_, i) => {
    const name = `${prefix}${randomString(rand, 8)}`;
    return { id: `${prefix}${i}`, name, version: 1, search: name.toLowerCase(), n: Math.floor(rand() * 50) - 10, few: ['running', 'pending', 'failed'][i % 3] as string };
  });
}

const COLUMNS: Column<R>[] = [
  { title: 'NAME', width: 0, cell: (r) => r.name, sortKey: (r) => r.name },
  { title: 'ID', width: 8, cell: (r) => r.id, sortKey: (r) => r.id },
  { title: 'N', width: 4, cell: (r) => String(r.n), sortKey: (r) => r.n },
  { title: 'STATE', width: 8, cell: (r) => r.few, sortKey: (r) => r.few },
];
const columns = COLUMNS as unknown as Column<RowBase>[];

describe('sorting at scale', () => {
  it('argsortStrings: code-unit order, stable both ways (prefixes, equal keys, non-ASCII, empty strings)', () => {
    const rand = rng(5);
    for (let round = 0; round < 40; round++) {
      const keys = Array.from({ length: 1 + Math.floor(rand() * 400) }, () => randomString(rand, 6));
      for (const desc of [false, true]) {
        const order = Array.from(argsortStrings(keys, desc));
        const positions = keys.map((_, i) => i);
        expect(order).toEqual(reference(positions, (i) => keys[i] as string, () => 0, desc));
      }
    }
  });

  it('sortRows gives the reference order for every kind of column (radix, ranked numbers, few values)', () => {
    const rand = rng(9);
    const rows = randomRows(rand, 3000);
    for (let column = 0; column < COLUMNS.length; column++) {
      for (const desc of [false, true]) {
        const col = COLUMNS[column] as Column<R>;
        const expected = column === 0
          ? reference(rows, (r) => col.sortKey(r), () => 0, desc)
          : reference(rows, (r) => col.sortKey(r), (r) => r.name, desc);
        expect((sortRows(rows, columns, { column, desc }) as R[]).map((r) => r.id)).toEqual(expected.map((r) => r.id));
      }
    }
  });

  it('a rows array that replaced some rows of one sorted before is merged: still in order, every row once', () => {
    const rand = rng(13);
    let rows = randomRows(rand, 4000, 'a');
    for (const desc of [false, true]) sortRows(rows, columns, { column: 0, desc });
    for (let round = 0; round < 5; round++) {
      // A poll replaced a few hundred tasks: new row objects, the rest the same objects in place.
      const fresh = randomRows(rand, 300, `r${round}-`);
      rows = rows.map((r, i) => (i % 13 === round ? (fresh[i % 300] as R) : r));
      for (const desc of [false, true]) {
        const sorted = sortRows(rows, columns, { column: 0, desc }) as R[];
        expect(new Set(sorted)).toEqual(new Set(rows));
        expect(sorted).toHaveLength(rows.length);
        for (let i = 1; i < sorted.length; i++) {
          const a = (sorted[i - 1] as R).name;
          const b = (sorted[i] as R).name;
          expect(desc ? a >= b : a <= b, `${a} before ${b}`).toBe(true);
        }
        // Another column over the merged name order: by that column, ties by name.
        const byState = sortRows(rows, columns, { column: 3, desc }) as R[];
        expect(byState.map((r) => `${r.few}\u0000${r.name}`)).toEqual(
          reference(rows, (r) => r.few, (r) => r.name, desc).map((r) => `${r.few}\u0000${r.name}`),
        );
      }
    }
  });

  it('rows built from blocks (tasks per service) merge by comparing blocks; a block replaced keeps its unchanged rows once', () => {
    const rand = rng(21);
    let blocks = Array.from({ length: 40 }, (_, b) => randomRows(rand, 100, `s${b}-`));
    let rows = concatBlocks(blocks);
    sortRows(rows, columns, { column: 0, desc: false });
    for (let round = 0; round < 6; round++) {
      // One service's tasks re-read: a new block holding some of the same row objects and some new ones.
      const at = (round * 7) % blocks.length;
      const old = blocks[at] as R[];
      blocks = blocks.map((b, i) => (i === at ? [...old.slice(0, 60), ...randomRows(rand, 50, `n${round}-`)] : b));
      if (round === 3) blocks = blocks.filter((_, i) => i !== 5); // a service removed
      rows = concatBlocks(blocks);
      const sorted = sortRows(rows, columns, { column: 0, desc: false }) as R[];
      expect(sorted).toHaveLength(rows.length);
      expect(new Set(sorted)).toEqual(new Set(rows));
      for (let i = 1; i < sorted.length; i++) expect((sorted[i - 1] as R).name <= (sorted[i] as R).name).toBe(true);
    }
  });
});
