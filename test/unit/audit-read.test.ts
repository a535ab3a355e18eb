import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseAuditLine, readAuditLines } from '../../src/actions/audit-read.js';

let dir: string | null = null;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

const line = (o: Record<string, unknown>): string => JSON.stringify({ context: 'prod', user: 'ops', action: 'node.drain', target: { kind: 'node', id: 'n1', name: 'lab-m3' }, input: null, result: 'done', message: 'drained', ...o });

describe('reading the audit log back', () => {
  it('reads result lines and attempt lines, whatever field marks the attempt', () => {
    expect(parseAuditLine(line({ time: '2026-01-01T00:00:00.000Z' }))).toMatchObject({ at: Date.parse('2026-01-01T00:00:00.000Z'), result: 'done', target: { name: 'lab-m3' } });
    for (const marker of [{ result: 'attempt' }, { phase: 'attempt', result: undefined }, { stage: 'attempt' }, { kind: 'attempt' }]) {
      expect(parseAuditLine(line({ time: '2026-01-01T00:00:00.000Z', ...marker }))?.result).toBe('attempt');
    }
    expect(parseAuditLine('{"time":"2026-01-01T00:00:00Z","act')).toBeNull();
    expect(parseAuditLine('[1,2]')).toBeNull();
    expect(parseAuditLine(JSON.stringify({ time: 'not a time', action: 'x' }))).toBeNull();
    expect(parseAuditLine(JSON.stringify({ time: '2026-01-01T00:00:00Z', action: 'x', target: 'junk' }))).toMatchObject({ target: { kind: '', id: '', name: '' }, result: 'unknown' });
  });

  it("a window of one context's lines, oldest first; no file is no lines", async () => {
    dir = mkdtempSync(join(tmpdir(), 'swarmtop-audit-'));
    const file = join(dir, 'audit.jsonl');
    expect(await readAuditLines({ since: 0, context: null }, file)).toEqual([]);
    writeFileSync(file, [
      line({ time: '2026-01-01T00:00:00Z' }),
      line({ time: '2026-01-01T00:10:00Z', context: 'dev' }),
      'garbage',
      line({ time: '2026-01-01T00:20:00Z', result: 'attempt' }),
      line({ time: '2026-01-01T00:20:01Z' }),
      line({ time: '2026-01-01T01:00:00Z' }),
      '{"time":"2026-01-01T00:30:00Z","action":"torn',
    ].join('\n'));
    const got = await readAuditLines({ since: Date.parse('2026-01-01T00:05:00Z'), until: Date.parse('2026-01-01T00:59:00Z'), context: 'prod' }, file);
    expect(got.map((l) => `${new Date(l.action.at).toISOString()} ${l.action.result}`)).toEqual(['2026-01-01T00:20:00.000Z attempt', '2026-01-01T00:20:01.000Z done']);
    expect(got[0]!.raw).toBe(line({ time: '2026-01-01T00:20:00Z', result: 'attempt' }));
  });
});
