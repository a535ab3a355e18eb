/**
 * Stable argsort of strings in code-unit order (the order of `<` and of Array.prototype.sort), for
 * columns where almost every value differs (ids, names): 50,000 such keys cost ~80 ms through a
 * Map of distinct values and a generic sort, and a keystroke has ~30. Most-significant-digit radix
 * passes, four characters per digit, each pass a native Float64Array sort of digit·n + position
 * (no comparator calls); only small runs and runs whose digits hide non-ASCII characters are
 * finished with a comparator.
 */

/** Characters per digit, and the digit base: end of string 0, ASCII 0..126 as 1..127, the rest 128. */
const CHARS = 4;
const BASE = 129;
const NON_ASCII = 128;
/** Runs this short are finished with a comparator. */
const SMALL_RUN = 48;

function digitOf(key: string, at: number): number {
  let d = 0;
  let hidden = false;
  for (let i = 0; i < CHARS; i++) {
    const c = hidden || at + i >= key.length ? -1 : key.charCodeAt(at + i);
    // Past a hidden (non-ASCII) character the digit says nothing more: its run goes to the comparator.
    if (c >= 127) hidden = true;
    d = d * BASE + (c < 0 ? 0 : c < 127 ? c + 1 : NON_ASCII);
  }
  return d;
}

/** Whether any of the digit's characters is past ASCII (its digit value hides which one). */
function hidesCharacters(d: number): boolean {
  for (let i = 0; i < CHARS; i++, d = Math.floor(d / BASE)) if (d % BASE === NON_ASCII) return true;
  return false;
}

/** Sorts order[lo, hi) — already in index order among equal prefixes — by the whole key, stably. */
function finishWithComparator(keys: readonly string[], order: Int32Array, lo: number, hi: number): void {
  const part = Array.from(order.subarray(lo, hi));
  part.sort((a, b) => {
    const x = keys[a] as string;
    const y = keys[b] as string;
    return x < y ? -1 : x > y ? 1 : a - b;
  });
  order.set(part, lo);
}

/**
 * A run of keys equal up to and including digit `d` at `at`: hidden characters need the comparator;
 * keys that ended within the digit are equal (already in position order); others go one digit on.
 */
function finishRun(keys: readonly string[], order: Int32Array, lo: number, hi: number, at: number, d: number): void {
  if (hidesCharacters(d)) finishWithComparator(keys, order, lo, hi);
  else if (d % BASE !== 0) sortRun(keys, order, lo, hi, at + CHARS);
}

function sortRun(keys: readonly string[], order: Int32Array, lo: number, hi: number, at: number): void {
  const len = hi - lo;
  if (len <= 1) return;
  if (len <= SMALL_RUN) {
    finishWithComparator(keys, order, lo, hi);
    return;
  }
  const before = order.slice(lo, hi);
  const digits = new Float64Array(len);
  let uniform = true;
  for (let j = 0; j < len; j++) {
    const d = digitOf(keys[before[j] as number] as string, at);
    digits[j] = d;
    if (d !== digits[0]) uniform = false;
  }
  // A shared prefix (every name starting "web-"): nothing to sort at this digit.
  if (uniform) {
    finishRun(keys, order, lo, hi, at, digits[0] as number);
    return;
  }
  const packed = new Float64Array(len);
  for (let j = 0; j < len; j++) packed[j] = (digits[j] as number) * len + j;
  packed.sort();
  const sortedDigits = new Float64Array(len);
  for (let j = 0; j < len; j++) {
    const from = (packed[j] as number) % len;
    order[lo + j] = before[from] as number;
    sortedDigits[j] = digits[from] as number;
  }
  // Runs of one digit: equal so far. A digit ending in end-of-string means the keys are equal (done).
  let start = 0;
  for (let j = 1; j <= len; j++) {
    if (j < len && sortedDigits[j] === sortedDigits[start]) continue;
    if (j - start > 1) finishRun(keys, order, lo + start, lo + j, at, sortedDigits[start] as number);
    start = j;
  }
}

/**
 * Positions of `keys` in ascending order (equal keys by position), or descending (equal keys still by
 * position, as a stable sort would leave them).
 */
export function argsortStrings(keys: readonly string[], desc = false): Int32Array {
  const n = keys.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  sortRun(keys, order, 0, n, 0);
  if (!desc) return order;
  // Groups of equal keys in reverse, each group keeping its ascending positions.
  const out = new Int32Array(n);
  let w = 0;
  let end = n;
  while (end > 0) {
    let start = end - 1;
    const k = keys[order[start] as number];
    while (start > 0 && keys[order[start - 1] as number] === k) start--;
    for (let j = start; j < end; j++) out[w++] = order[j] as number;
    end = start;
  }
  return out;
}
