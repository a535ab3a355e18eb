/**
 * Values as operators type them and the docker CLI accepts them, turned into what the engine stores:
 * memory "512m", "512Mi", "1g", "1GiB" → bytes (binary multiples, like docker's RAMInBytes); CPUs "0.5"
 * → NanoCPUs; durations "10s", "1m30s", "500ms" (Go syntax) → nanoseconds.
 */

const MEMORY = /^(\d+(?:\.\d+)?)\s*([kmgtp])?(i)?(b)?$/i;
const POWERS: Readonly<Record<string, number>> = { k: 1, m: 2, g: 3, t: 4, p: 5 };

export function parseMemory(raw: string): number | string {
  const m = MEMORY.exec(raw.trim());
  if (!m) return `"${raw}" is not a size: write e.g. 512m, 512Mi, 1g (binary multiples, as docker does)`;
  const unit = m[2]?.toLowerCase();
  const bytes = Math.floor(Number(m[1]) * 1024 ** (unit ? POWERS[unit] ?? 0 : 0));
  if (!Number.isSafeInteger(bytes)) return `"${raw}" is too large`;
  return bytes;
}

export function parseCpus(raw: string): number | string {
  const s = raw.trim();
  if (!/^\d+(\.\d+)?$/.test(s)) return `"${raw}" is not a number of CPUs: write e.g. 0.5 or 2`;
  const nano = Math.round(Number(s) * 1e9);
  if (!Number.isSafeInteger(nano)) return `"${raw}" is too large`;
  return nano;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const DURATION_PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;

/** A Go duration ("1m30s", "500ms", "0") in nanoseconds. */
export function parseDuration(raw: string): number | string {
  const s = raw.trim();
  if (s === '0') return 0;
  const bad = `"${raw}" is not a duration: write e.g. 10s, 1m30s, 500ms`;
  if (s === '') return bad;
  DURATION_PART.lastIndex = 0;
  let total = 0;
  let at = 0;
  for (let m = DURATION_PART.exec(s); m !== null; m = DURATION_PART.exec(s)) {
    total += Number(m[1]) * (DURATION_UNITS[m[2] ?? ''] ?? 0);
    at = DURATION_PART.lastIndex;
  }
  if (at !== s.length) return bad;
  return Math.round(total);
}

/** Nanoseconds as the shortest Go-style duration ("1m30s", "500ms", "0s"). */
export function formatDuration(ns: number): string {
  if (ns === 0) return '0s';
  if (ns % 1e9 !== 0) return ns % 1e6 === 0 ? `${ns / 1e6}ms` : `${ns}ns`;
  let s = ns / 1e9;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  return `${h > 0 ? `${h}h` : ''}${m > 0 ? `${m}m` : ''}${s > 0 ? `${s}s` : ''}`;
}

/** Bytes as docker prints limits: "512MiB", "1GiB", "1.5GiB". */
export function formatMemory(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${Number.isInteger(v) ? v : v.toFixed(1)}${units[i]}`;
}

export function formatCpus(nano: number): string {
  return String(nano / 1e9);
}
