/** Small statistics and printing helpers for the benchmark report. */

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

export function ms(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(value < 10 ? 2 : 0)} ms` : 'n/a';
}

export function ratio(ours: number, baseline: number): string {
  return baseline > 0 && Number.isFinite(ours) ? `${(ours / baseline).toFixed(2)}x` : 'n/a';
}

export interface Figure {
  name: string;
  value: string;
  target: string;
  /** null when the figure has no pass/fail target. */
  met: boolean | null;
}

export function printFigures(title: string, figures: readonly Figure[]): void {
  const w = Math.max(...figures.map((f) => f.name.length), 10);
  process.stdout.write(`\n## ${title}\n`);
  for (const f of figures) {
    const mark = f.met === null ? ' ' : f.met ? '✓' : '✗';
    process.stdout.write(`${mark} ${f.name.padEnd(w)}  ${f.value.padEnd(28)} ${f.target}\n`);
  }
}
