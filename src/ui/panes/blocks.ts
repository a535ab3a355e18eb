import type { RowBase } from './types.js';

/**
 * How a large rows array was put together: blocks of rows (one per service's tasks) that are reused
 * as they are while their source does not change. A sort that knows the blocks of the previous and
 * the new array finds the rows gone and the rows new by comparing a few hundred blocks instead of
 * tens of thousands of rows.
 */
const blocksOf = new WeakMap<readonly RowBase[], readonly (readonly RowBase[])[]>();

export function concatBlocks<R extends RowBase>(blocks: readonly (readonly R[])[]): R[] {
  const out: R[] = [];
  for (const b of blocks) for (const r of b) out.push(r);
  blocksOf.set(out, blocks);
  return out;
}

/** Rows of `now` not in `before`, and rows of `before` whose block is gone; null when either array has no blocks. */
export function blockChanges(before: readonly RowBase[], now: readonly RowBase[]): { added: RowBase[]; gone: Set<RowBase> } | null {
  const a = blocksOf.get(before);
  const b = blocksOf.get(now);
  if (!a || !b) return null;
  const inA = new Set(a);
  const inB = new Set(b);
  const added: RowBase[] = [];
  for (const block of b) if (!inA.has(block)) added.push(...block);
  const gone = new Set<RowBase>();
  for (const block of a) if (!inB.has(block)) for (const r of block) gone.add(r);
  return { added, gone };
}
