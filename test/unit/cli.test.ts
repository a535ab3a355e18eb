import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const bin = new URL('../../bin/swarmtop', import.meta.url).pathname;

describe('bin/swarmtop', () => {
  it('prints its version', () => {
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(`swarmtop ${pkg.version}`);
  });

  it('prints help with the connection options', () => {
    const out = execFileSync(bin, ['--help'], { encoding: 'utf8' });
    expect(out).toContain('usage:');
    expect(out).toContain('--context');
    expect(out).toContain('--host');
  });
});
