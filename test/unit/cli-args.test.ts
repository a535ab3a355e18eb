import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError, parseCliArgs, parseGroupArgs } from '../../src/cli/args.js';

const bin = new URL('../../bin/swarmtop', import.meta.url).pathname;

describe('parseCliArgs', () => {
  it('defaults to the console with nothing chosen', () => {
    expect(parseCliArgs([])).toEqual({ command: 'console', json: false, context: null, host: null, insecure: false, readOnly: false, noAudit: false, theme: null, fleet: false });
  });

  it('reads the snapshot command and every option', () => {
    expect(parseCliArgs(['snapshot', '--json', '--context', 'prod', '--read-only', '--theme', 'light', '--insecure', '--no-audit', '-H', 'tcp://m1:2376', '--fleet'])).toEqual({
      command: 'snapshot', json: true, context: 'prod', host: 'tcp://m1:2376', insecure: true, readOnly: true, noAudit: true, theme: 'light', fleet: true,
    });
  });

  it('refuses unknown options and commands instead of ignoring them', () => {
    expect(() => parseCliArgs(['--readonly'])).toThrow(UsageError);
    expect(() => parseCliArgs(['snapshop'])).toThrow(/unknown command: snapshop/);
    expect(() => parseCliArgs(['--context'])).toThrow(UsageError);
    expect(parseCliArgs(['--version', '--verbose'])).toMatchObject({ command: 'version', verbose: true });
    expect(() => parseCliArgs(['--verbose'])).toThrow(/--verbose goes with --version/);
  });
});

describe('subcommand groups', () => {
  it('a group owns every argument after its word (-c is the group\'s, not --context)', () => {
    const opts = parseCliArgs(['--host', 'unix:///x.sock', 'stack', 'deploy', '-c', 'a.yml', 'web']);
    expect(opts.command).toBe('group');
    expect(opts.host).toBe('unix:///x.sock');
    expect(opts.group).toEqual({ name: 'stack', argv: ['deploy', '-c', 'a.yml', 'web'] });
  });

  it('parses a group\'s own options with the long connection options anywhere', () => {
    const base = parseCliArgs(['stack', 'deploy']);
    const g = parseGroupArgs(base, ['deploy', '-c', 'a.yml', '-c', 'b.yml', 'web', '--context', 'prod', '--prune'], {
      'compose-file': { type: 'string', short: 'c', multiple: true }, prune: { type: 'boolean' },
    });
    expect(g.positionals).toEqual(['deploy', 'web']);
    expect(g.values['compose-file']).toEqual(['a.yml', 'b.yml']);
    expect(g.values.prune).toBe(true);
    expect(g.connection.context).toBe('prod');
    expect(() => parseGroupArgs(base, ['deploy', '--nope'], {})).toThrow(UsageError);
  });
});

describe('bin/swarmtop bad input', () => {
  const env = (): NodeJS.ProcessEnv => {
    const home = mkdtempSync(join(tmpdir(), 'swarmtop-cli-'));
    return { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_STATE_HOME: join(home, 'state') };
  };

  it('a usage error is a message and exit code 2, never a stack', () => {
    const r = spawnSync(bin, ['--nope'], { encoding: 'utf8', env: env(), timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("swarmtop: Unknown option '--nope'");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('snapshot without --json says what to add', () => {
    const r = spawnSync(bin, ['snapshot'], { encoding: 'utf8', env: env(), timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('add --json');
  });

  it('an unknown context is named, with exit code 2', () => {
    const r = spawnSync(bin, ['snapshot', '--json', '--context', 'nowhere'], { encoding: 'utf8', env: env(), timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown context "nowhere"');
  });

  it('an unreachable engine is a clear message and exit code 1', () => {
    const r = spawnSync(bin, ['snapshot', '--json', '--host', 'unix:///nonexistent/docker.sock'], { encoding: 'utf8', env: env(), timeout: 30_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no such socket');
  });

  it('the console refuses to start without a terminal and points to snapshot', () => {
    const r = spawnSync(bin, ['--host', 'unix:///nonexistent/docker.sock'], { encoding: 'utf8', env: env(), timeout: 40_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('snapshot --json');
  });
});

describe('swarmtop schema keys|theme', () => {
  it('prints the JSON schema of a settings file; anything else is a usage error', async () => {
    const { main } = await import('../../src/cli/main.js');
    const written: string[] = [];
    const out = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => written.push(chunk) > 0);
    try {
      expect(await main(['schema', 'keys'])).toBe(0);
      expect(await main(['schema', 'theme'])).toBe(0);
      expect(await main(['--version', '--verbose'])).toBe(0);
    } finally {
      process.stdout.write = out;
    }
    expect(written.splice(2).join('')).toMatch(/^swarmtop .*\nnode v.*\nframe patch: active \(row reuse, ink \d/);
    const [keys, theme] = written.map((w) => JSON.parse(w) as { title: string; properties: Record<string, { properties?: Record<string, { properties?: object }> }> });
    expect(keys?.title).toBe('swarmtop keys.yaml');
    expect(Object.keys(keys?.properties.keys?.properties?.main?.properties ?? {})).toEqual(expect.arrayContaining(['down', 'drain', 'scale', 'pane-nodes']));
    expect(theme?.title).toBe('swarmtop theme');
    expect(() => parseCliArgs(['schema'])).toThrow(/schema: which one\? keys or theme/);
    expect(() => parseCliArgs(['schema', 'colours'])).toThrow(UsageError);
  });
});

describe('a wrong keys.yaml', () => {
  it('stops the console before it connects, naming the file and the line (exit 2)', () => {
    const home = mkdtempSync(join(tmpdir(), 'swarmtop-keys-cli-'));
    mkdirSync(join(home, 'swarmtop'));
    writeFileSync(join(home, 'swarmtop', 'keys.yaml'), 'keys:\n  main:\n    dwn: j\n');
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "const { main } = await import('./src/cli/main.ts'); process.exitCode = await main(['--host', 'unix:///nonexistent.sock']);"], {
      encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: home }, cwd: new URL('../..', import.meta.url).pathname, timeout: 60_000,
    });
    expect(r.stderr).toContain(`swarmtop: ${join(home, 'swarmtop', 'keys.yaml')}: line 3: keys.main: unknown command "dwn" in main`);
    expect(r.status).toBe(2);
  });
});
