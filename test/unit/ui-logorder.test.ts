import { describe, expect, it } from 'vitest';
import { mergeByTime, timeKey } from '../../src/ui/logOrder.js';
import type { LogLine } from '../../src/ui/options.js';

const line = (task: string, ts: string, text = `${task}@${ts}`): LogLine => ({ stream: 'stdout', timestamp: ts, task, text });
const at = (s: number, frac = ''): string => `2026-11-23T11:41:${String(s).padStart(2, '0')}${frac}Z`;

describe('service logs in time order', () => {
  it('compares RFC3339Nano times with trimmed fractions correctly', () => {
    expect(timeKey(at(5, '.2207561')) < timeKey(at(5, '.22075619'))).toBe(true);
    expect(timeKey(at(5)) < timeKey(at(5, '.1'))).toBe(true);
    expect(timeKey('')).toBe('');
  });

  it('interleaves task backlogs that arrive one task after the other', () => {
    const backlog1 = [1, 3, 5].map((s) => line('web.1', at(s)));
    const backlog2 = [2, 4, 6].map((s) => line('web.2', at(s)));
    const first = mergeByTime([], backlog1);
    const merged = mergeByTime(first, backlog2);
    expect(merged.map((l) => l.text)).toEqual([1, 2, 3, 4, 5, 6].map((s) => `${s % 2 ? 'web.1' : 'web.2'}@${at(s)}`));
  });

  it('appends in-order lines as they are, and keeps lines without a time after the one before', () => {
    const start = [line('a', at(1)), line('a', at(2))];
    const merged = mergeByTime(start, [line('a', ''), line('b', at(3))]);
    expect(merged.map((l) => l.task)).toEqual(['a', 'a', 'a', 'b']);
    expect(mergeByTime(start, [])).toEqual(start);
  });

  it('is stable for equal times (what is on screen does not move)', () => {
    const merged = mergeByTime([line('x', at(1), 'old')], [line('y', at(1), 'new')]);
    expect(merged.map((l) => l.text)).toEqual(['old', 'new']);
  });
});
