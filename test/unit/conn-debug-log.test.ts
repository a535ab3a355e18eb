import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { debugLog } from '../../src/config/debug-log.js';

describe('the debug log', () => {
  it('appends to the file SWARMTOP_DEBUG_LOG names, and writes nothing without it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'swarmtop-debug-'));
    const file = join(dir, 'debug.log');
    debugLog('frame patch: active', {});
    expect(existsSync(file)).toBe(false);
    debugLog('frame patch: active', { SWARMTOP_DEBUG_LOG: file });
    debugLog('second line', { SWARMTOP_DEBUG_LOG: file });
    expect(readFileSync(file, 'utf8')).toMatch(/^\S+Z frame patch: active\n\S+Z second line\n$/);
    // A log that cannot be written is not worth a crash.
    expect(() => debugLog('x', { SWARMTOP_DEBUG_LOG: join(dir, 'missing', 'dir', 'log') })).not.toThrow();
  });
});
