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

/** Pads or truncates (with …) to exactly `width` cells. ASCII-width assumption: names and ids are ASCII. */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const clean = text.replace(/[\r\n\t]/g, ' ');
  if (clean.length > width) return width === 1 ? '…' : `${clean.slice(0, width - 1)}…`;
  return align === 'right' ? clean.padStart(width) : clean.padEnd(width);
}

export function shortId(id: string): string {
  return id.slice(0, 12);
}

/** Image without the digest (name:tag@sha256:... → name:tag). */
export function shortImage(image: string): string {
  const at = image.indexOf('@');
  return at >= 0 ? image.slice(0, at) : image;
}
