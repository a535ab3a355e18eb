import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/actions/index.js';
import { parseCliArgs } from '../../src/cli/args.js';
import { TargetError, resolveTarget } from '../../src/cli/target.js';
import { ConfigError } from '../../src/config/context.js';
import { openUnixSocket } from '../../src/docker/connection.js';
import type { EndpointSpec } from '../../src/docker/endpoint.js';
import { clusterState, makeService } from '../fixtures/cluster.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function files(contexts?: string): { contextsFile: string; dockerConfigDir: string; home: string } {
  const dir = mkdtempSync(join(tmpdir(), 'badinput-'));
  made.push(dir);
  const f = { contextsFile: join(dir, 'contexts.yaml'), dockerConfigDir: join(dir, 'docker'), home: dir };
  if (contexts !== undefined) writeFileSync(f.contextsFile, contexts);
  return f;
}

function configError(contexts: string): ConfigError {
  const f = files(contexts);
  try {
    resolveTarget(parseCliArgs(['--context', 'x']), {}, f);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('malformed contexts.yaml: a ConfigError naming file and line', () => {
  // The line the parser can tell: an unterminated flow sequence is noticed where the file ends.
  const cases: [string, string, number][] = [
    ['unterminated flow', 'contexts:\n  - name: a\n    managers: [unix:///a.sock\n', 4],
    ['bad indentation', 'contexts:\n  - name: a\n   managers:\n  - x\n', 3],
    ['unknown key', 'contexts:\n  - name: a\n    managers: [unix:///a.sock]\n    colour: red\n', 4],
    ['managers not a list', 'contexts:\n  - name: a\n    managers: 42\n', 3],
    ['bad URL scheme', 'contexts:\n  - name: a\n    managers:\n      - ftp://host:1\n', 4],
    ['tls not a mapping', 'contexts:\n  - name: a\n    managers: [tcp://h:2376]\n    tls: yes\n', 4],
    ['tab characters', 'contexts:\n\t- name: a\n', 2],
  ];
  it.each(cases)('%s', (_what, text, line) => {
    const err = configError(text);
    expect(err.file).toMatch(/contexts\.yaml$/);
    expect(err.line).toBe(line);
    expect(err.message).toMatch(new RegExp(`contexts\\.yaml:${line}: `));
  });

  it('binary garbage and an empty document are rejected or empty, never a crash', () => {
    for (const text of ['\u0000\u0001\u00ff{{{', ': : :', '- - -', '[]', '"just a string"', '']) {
      const f = files(text);
      try {
        resolveTarget(parseCliArgs(['--context', 'x']), {}, f);
      } catch (err) {
        expect(err instanceof ConfigError || err instanceof TargetError).toBe(true);
      }
    }
  });
});

describe('unknown context', () => {
  it('lists the known contexts', () => {
    const f = files('contexts:\n  - name: prod\n    managers: [unix:///p.sock]\n  - name: staging\n    managers: [unix:///s.sock]\n');
    expect(() => resolveTarget(parseCliArgs(['--context', 'nope']), {}, f)).toThrow(TargetError);
    expect(() => resolveTarget(parseCliArgs(['--context', 'nope']), {}, f)).toThrow(/unknown context "nope".*known contexts: default, prod, staging/);
  });
});

describe('TLS verification is on by default', () => {
  const tlsOf = (e: EndpointSpec): boolean | null => (e.kind === 'tcp' && e.tls ? e.tls.verify : null);
  const certDir = (): string => {
    const f = files();
    const d = join(f.home, 'certs');
    mkdirSync(d);
    for (const n of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(d, n), 'x');
    return d;
  };

  it('from a contexts.yaml tls block, DOCKER_TLS_VERIFY and --host with DOCKER_CERT_PATH', () => {
    const d = certDir();
    const f = files(`contexts:\n  - name: prod\n    managers: [tcp://10.0.0.1:2376, tcp://10.0.0.2:2376]\n    tls: { ca: ${d}/ca.pem, cert: ${d}/cert.pem, key: ${d}/key.pem }\n`);
    const targets = [
      resolveTarget(parseCliArgs(['--context', 'prod']), {}, f),
      resolveTarget(parseCliArgs([]), { DOCKER_HOST: 'tcp://10.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: d }, f),
      resolveTarget(parseCliArgs(['--host', 'tcp://10.0.0.1:2376']), { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: d }, f),
    ];
    for (const t of targets) {
      expect(t.insecure).toBe(false);
      expect(t.endpoints.length).toBeGreaterThan(0);
      for (const e of t.endpoints) expect(tlsOf(e)).toBe(true);
    }
  });

  it('only --insecure turns it off, and flags the target insecure', () => {
    const d = certDir();
    const f = files(`contexts:\n  - name: prod\n    managers: [tcp://10.0.0.1:2376]\n    tls: { ca: ${d}/ca.pem, cert: ${d}/cert.pem, key: ${d}/key.pem }\n`);
    const t = resolveTarget(parseCliArgs(['--context', 'prod', '--insecure']), {}, f);
    expect(t.insecure).toBe(true);
    expect(tlsOf(t.endpoints[0]!)).toBe(false);
  });

  it('a docker context with SkipTLSVerify does not silently turn verification off', () => {
    const f = files();
    const meta = join(f.dockerConfigDir, 'contexts', 'meta', 'abc');
    mkdirSync(meta, { recursive: true });
    writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'dctx', Metadata: {}, Endpoints: { docker: { Host: 'tcp://10.0.0.3:2376', SkipTLSVerify: true } } }));
    let t;
    try {
      t = resolveTarget(parseCliArgs(['--context', 'dctx']), {}, f);
    } catch (err) {
      // Refusing the context outright is acceptable too; turning verification off is not.
      expect(err instanceof TargetError || err instanceof ConfigError).toBe(true);
      return;
    }
    for (const e of t.endpoints) expect(tlsOf(e) === false && !t.insecure).toBe(false);
  });
});

describe('garbage scale input', () => {
  const scale = ACTIONS.find((a) => a.id === 'service.scale')!;
  const state = clusterState({ services: [makeService({ id: 's1', name: 'web', mode: { kind: 'replicated', replicas: 2 } })] });
  const target = { kind: 'service' as const, id: 's1', name: 'web', version: 1 };
  const garbage = ['', ' ', 'abc', '-1', '1.5', '1e3', '0x10', 'NaN', 'Infinity', '3 4', '５', '99999999999999999999', '1;rm -rf /', '\u0000', '2\n3', '+3', '٣'];

  it.each(garbage)('validate rejects %j with a message', (raw) => {
    const msg = scale.input!.validate(raw, state, target);
    expect(typeof msg).toBe('string');
    expect(msg!.length).toBeGreaterThan(0);
  });

  it('valid counts pass', () => {
    for (const raw of ['0', '3', ' 12 ']) expect(scale.input!.validate(raw, state, target)).toBeNull();
  });

  it('run refuses garbage before any call to the engine (the socket does not exist)', async () => {
    const connection = openUnixSocket('/nonexistent/swarmtop-badinput.sock');
    for (const raw of ['abc', '-1', '1.5', '']) {
      const out = await scale.run({ connection, context: 'x', readOnly: false }, target, raw);
      expect(out.kind).not.toBe('done');
      expect(out.message).not.toMatch(/ENOENT|nonexistent/);
    }
    await connection.close();
  });
});
