/**
 * The value syntaxes compose files borrow from Go and the docker CLI: durations ("1m30s", Go's
 * time.ParseDuration), memory sizes ("512m", binary multiples) and CPU counts ("0.5" → nano CPUs).
 */

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Nanoseconds, or null when the text is not a Go duration. */
export function parseDuration(text: string): number | null {
  let s = text;
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    sign = s.startsWith('-') ? -1 : 1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return null;
  let total = 0;
  const re = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;
  while (s !== '') {
    const m = re.exec(s);
    if (!m) return null;
    total += Number(m[1]) * (DURATION_UNITS[m[2] as string] as number);
    s = s.slice(m[0].length);
  }
  return Math.round(sign * total);
}

/** Go's Duration.String(): "1h2m3.5s", "500ms", "0s". */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(ns);
  let out: string;
  if (n < 1e9) {
    const [unit, div] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trimFraction(n / div)}${unit}`;
  } else {
    const h = Math.floor(n / 3600e9);
    n -= h * 3600e9;
    const m = Math.floor(n / 60e9);
    n -= m * 60e9;
    const s = `${trimFraction(n / 1e9)}s`;
    out = h > 0 ? `${h}h${m}m${s}` : m > 0 ? `${m}m${s}` : s;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(x: number): string {
  return String(Number(x.toFixed(9)));
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** docker's RAMInBytes: "512m", "1.5g", "1024", "2GiB" → bytes; null when not a size. */
export function parseBytes(text: string | number): number | null {
  if (typeof text === 'number') return Number.isInteger(text) ? text : null;
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!m) return null;
  const n = Number(m[1]);
  if (!Number.isFinite(n)) return null;
  return Math.trunc(n * (SIZE_UNITS[(m[2] ?? '').toLowerCase()] as number));
}

/** docker's ParseCPUs: "0.5" → 500000000; a value finer than a nano CPU is an error. */
export function parseCpus(text: string): number | string {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(text.trim());
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return `failed to parse ${text} as a rational number`;
  const frac = (m[2] ?? '').replace(/0+$/, '');
  if (frac.length > 9) return 'value is too precise';
  return Number(m[1] || '0') * 1e9 + Number(frac.padEnd(9, '0') || '0');
}

/** Nano CPUs back to the shortest decimal text ("0.5"). */
export function formatCpus(nano: number): string {
  return String(Number((nano / 1e9).toFixed(9)));
}
