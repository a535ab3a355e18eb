import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/args.js';
import { listContexts, resolveTarget, TargetError } from '../../src/cli/target.js';
import { ConfigError } from '../../src/config/context.js';
import { parseContextsFile } from '../../src/config/contexts-file.js';
import { contextStoreId } from '../../src/config/docker-contexts.js';
import { parseEndpointUrl } from '../../src/config/endpoint-url.js';
import { endpointInfo } from '../../src/docker/endpoint.js';

const FILE = '/home/op/.config/swarmtop/contexts.yaml';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('endpoint URLs', () => {
  it('parses unix, tcp and ssh hosts', () => {
    expect(parseEndpointUrl('unix:///var/run/docker.sock')).toEqual({ kind: 'unix', socketPath: '/var/run/docker.sock' });
    expect(parseEndpointUrl('tcp://10.0.0.1')).toEqual({ kind: 'tcp', host: '10.0.0.1', port: 2375, tls: null });
    const tls = { caPath: 'a', certPath: 'b', keyPath: 'c', verify: true };
    expect(parseEndpointUrl('tcp://m1:2377', tls)).toEqual({ kind: 'tcp', host: 'm1', port: 2377, tls });
    expect(parseEndpointUrl('tcp://m1', tls)).toMatchObject({ port: 2376 });
    expect(parseEndpointUrl('ssh://ops@m1:2222')).toEqual({ kind: 'ssh', host: 'm1', port: 2222, user: 'ops' });
    expect(parseEndpointUrl('ssh://m1')).toEqual({ kind: 'ssh', host: 'm1' });
    expect(parseEndpointUrl('tcp://[::1]:2376')).toMatchObject({ host: '::1', port: 2376 });
  });

  it('refuses passwords in URLs without echoing them', () => {
    expect(() => parseEndpointUrl('ssh://ops:hunter2@m1')).toThrow(/never go in a URL/);
    expect(() => parseEndpointUrl('ssh://ops:hunter2@m1')).not.toThrow(/hunter2/);
  });

  it('refuses a user or password in a tcp:// URL, never echoing the password, keeping the port in view', () => {
    for (const url of ['tcp://ops:hunter2@m1:2376', 'tcp://ops:hun@ter2@m1:2376', 'tcp://ops:hun/ter2@m1:2376']) {
      expect(() => parseEndpointUrl(url)).toThrow(/takes no user or password/);
      expect(() => parseEndpointUrl(url)).not.toThrow(/hun|ter2/);
      expect(() => parseEndpointUrl(url)).toThrow(/"tcp:\/\/ops:\*\*\*@m1:2376"/);
    }
    expect(() => parseEndpointUrl('tcp://ops@m1:2376')).toThrow(/takes no user or password/);
  });

  it('refuses http:// and https:// as the docker CLI does, saying what to write instead', () => {
    expect(() => parseEndpointUrl('https://m1:2376')).toThrow(/https:\/\/ is not a docker host URL.*tcp:\/\/HOST:2376 with TLS certificates/);
    expect(() => parseEndpointUrl('http://m1:2375')).toThrow(/http:\/\/ is not a docker host URL.*tcp:\/\/HOST:2375 \(plain, unencrypted\)/);
    expect(() => parseEndpointUrl('https://ops:hunter2@m1')).not.toThrow(/hunter2/);
  });

  it('rejects unknown schemes and bad ports', () => {
    expect(() => parseEndpointUrl('ftp://x')).toThrow(/unsupported scheme/);
    expect(() => parseEndpointUrl('tcp://x:99999')).toThrow(/port/);
    expect(() => parseEndpointUrl('npipe:////./pipe/docker_engine')).toThrow(/Windows/);
  });
});

describe('contexts file', () => {
  it('reads contexts with several managers, TLS paths, ssh settings', () => {
    const text = [
      'current: prod',
      'contexts:',
      '  - name: prod',
      '    description: production swarm',
      '    managers:',
      '      - ssh://m1.example',
      '      - tcp://m2.example:2376',
      '    readOnly: true',
      '    theme: production',
      '    socket: /run/docker.sock',
      '    tls: { ca: certs/ca.pem, cert: ~/certs/cert.pem, key: /etc/k.pem }',
      '    ssh: { user: ops, identityFile: ~/.ssh/id_ops, port: 2222 }',
      '  - name: lab',
      '    managers: unix:///run/lab.sock',
    ].join('\n');
    const parsed = parseContextsFile(text, FILE, '/home/op');
    expect(parsed.current).toBe('prod');
    expect(parsed.contexts.map((c) => c.name)).toEqual(['prod', 'lab']);
    const prod = parsed.contexts[0]!;
    expect(prod.readOnly).toBe(true);
    expect(prod.theme).toBe('production');
    expect(prod.endpoints[0]).toEqual({ kind: 'ssh', host: 'm1.example', user: 'ops', port: 2222, identityFile: '/home/op/.ssh/id_ops', socketPath: '/run/docker.sock' });
    expect(prod.endpoints[1]).toEqual({
      kind: 'tcp',
      host: 'm2.example',
      port: 2376,
      tls: { caPath: '/home/op/.config/swarmtop/certs/ca.pem', certPath: '/home/op/certs/cert.pem', keyPath: '/etc/k.pem', verify: true },
    });
    expect(parsed.contexts[1]!.endpoints).toEqual([{ kind: 'unix', socketPath: '/run/lab.sock' }]);
  });

  it('an empty file has no contexts', () => {
    expect(parseContextsFile('', FILE)).toEqual({ contexts: [], current: null });
  });

  it('names file and line of malformed YAML', () => {
    const err = configError(() => parseContextsFile('contexts:\n  - name: a\n    managers: [unix:///x\n', FILE));
    expect(err.file).toBe(FILE);
    expect(err.message).toMatch(/contexts\.yaml:\d+: malformed YAML/);
  });

  it('names the line of a schema error', () => {
    const err = configError(() => parseContextsFile('contexts:\n  - name: a\n    managers: [unix:///x]\n    colour: red\n', FILE));
    expect(err.line).toBe(4);
    expect(err.message).toContain('unknown key "colour"');
  });

  it('refuses secrets in the file', () => {
    const err = configError(() => parseContextsFile('contexts:\n  - name: a\n    managers: [ssh://m]\n    password: x\n', FILE));
    expect(err.line).toBe(4);
    expect(err.message).toMatch(/keychain/);
  });

  it('checks required fields, types, duplicates and current', () => {
    expect(() => parseContextsFile('contexts:\n  - managers: [unix:///x]\n', FILE)).toThrow(/needs a "name"/);
    expect(() => parseContextsFile('contexts:\n  - name: a\n', FILE)).toThrow(/needs "managers"/);
    expect(() => parseContextsFile('contexts:\n  - name: a\n    managers: []\n', FILE)).toThrow(/at least one manager/);
    expect(() => parseContextsFile('contexts:\n  - name: a\n    managers: [unix:///x]\n    readOnly: "yes"\n', FILE)).toThrow(/true or false/);
    expect(() => parseContextsFile('contexts:\n  - name: a\n    managers: [unix:///x]\n  - name: a\n    managers: [unix:///y]\n', FILE)).toThrow(/:4: context "a" is defined twice/);
    expect(() => parseContextsFile('current: b\ncontexts:\n  - name: a\n    managers: [unix:///x]\n', FILE)).toThrow(/unknown context "b" \(defined: a\)/);
    expect(() => parseContextsFile('contexts:\n  - name: a\n    managers: [ftp://x]\n', FILE)).toThrow(/:3: .*unsupported scheme/);
    expect(() => parseContextsFile('contexts:\n  - name: a\n    managers: [tcp://x]\n    tls: { ca: a.pem }\n', FILE)).toThrow(/"tls" needs "cert"/);
  });
});

describe('target resolution', () => {
  const made: string[] = [];
  afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  function fixture(): { env: Record<string, string>; files: { contextsFile: string; dockerConfigDir: string; home: string } } {
    const root = mkdtempSync(join(tmpdir(), 'conn-target-'));
    made.push(root);
    const contextsFile = join(root, 'contexts.yaml');
    writeFileSync(contextsFile, 'contexts:\n  - name: mine\n    managers: [unix:///run/mine.sock, unix:///run/mine2.sock]\n    readOnly: true\n    theme: production\n');
    const dockerDir = join(root, 'docker');
    for (const [name, host] of [
      ['remote', 'tcp://10.0.0.5:2376'],
      ['viassh', 'ssh://ops@m1'],
    ] as const) {
      const dir = join(dockerDir, 'contexts', 'meta', contextStoreId(name));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'meta.json'), JSON.stringify({ Name: name, Metadata: { Description: `${name} ctx` }, Endpoints: { docker: { Host: host, SkipTLSVerify: false } } }));
    }
    const tlsDir = join(dockerDir, 'contexts', 'tls', contextStoreId('remote'), 'docker');
    mkdirSync(tlsDir, { recursive: true });
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tlsDir, f), '');
    writeFileSync(join(dockerDir, 'config.json'), JSON.stringify({ currentContext: 'viassh' }));
    return { env: { HOME: root }, files: { contextsFile, dockerConfigDir: dockerDir, home: root } };
  }
  const cli = (...args: string[]) => parseCliArgs(args);

  it('--host beats everything', () => {
    const { env, files } = fixture();
    const t = resolveTarget(cli('--host', 'unix:///x.sock', '--context', 'mine'), { ...env, DOCKER_HOST: 'tcp://y' }, files);
    expect(t.endpoints).toEqual([{ kind: 'unix', socketPath: '/x.sock' }]);
  });

  it('--context beats DOCKER_HOST and applies context settings', () => {
    const { env, files } = fixture();
    const t = resolveTarget(cli('--context', 'mine'), { ...env, DOCKER_HOST: 'tcp://y' }, files);
    expect(t).toMatchObject({ context: 'mine', readOnly: true, theme: 'production' });
    expect(t.endpoints).toHaveLength(2);
  });

  it('DOCKER_HOST beats DOCKER_CONTEXT, with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH', () => {
    const { env, files } = fixture();
    const t = resolveTarget(cli(), { ...env, DOCKER_HOST: 'tcp://h:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs', DOCKER_CONTEXT: 'mine' }, files);
    expect(t.endpoints).toEqual([{ kind: 'tcp', host: 'h', port: 2376, tls: { caPath: '/certs/ca.pem', certPath: '/certs/cert.pem', keyPath: '/certs/key.pem', verify: true } }]);
  });

  it('DOCKER_CONTEXT beats docker currentContext; docker contexts bring their TLS files', () => {
    const { env, files } = fixture();
    const t = resolveTarget(cli(), { ...env, DOCKER_CONTEXT: 'remote' }, files);
    const ep = t.endpoints[0]!;
    expect(ep.kind === 'tcp' && ep.tls?.caPath).toContain(contextStoreId('remote'));
  });

  it('docker currentContext, then the local socket', () => {
    const { env, files } = fixture();
    expect(resolveTarget(cli(), env, files).endpoints).toEqual([{ kind: 'ssh', host: 'm1', user: 'ops' }]);
    const none = { contextsFile: '/nonexistent/c.yaml', dockerConfigDir: '/nonexistent/docker', home: '/nonexistent' };
    expect(resolveTarget(cli(), {}, none)).toMatchObject({ context: 'default', endpoints: [{ kind: 'unix', socketPath: '/var/run/docker.sock' }] });
  });

  it('--insecure turns verification off explicitly; --read-only and --theme override', () => {
    const { env, files } = fixture();
    const t = resolveTarget(cli('--context', 'remote', '--insecure', '--read-only', '--theme', 'dark'), env, files);
    const ep = t.endpoints[0]!;
    expect(ep.kind === 'tcp' && ep.tls?.verify).toBe(false);
    expect(t).toMatchObject({ insecure: true, readOnly: true, theme: 'dark' });
  });

  it('plain tcp:// is UNENCRYPTED (its own red banner), not "TLS verification disabled"; loopback stays on this machine', () => {
    const { env, files } = fixture();
    const plain = resolveTarget(cli('--host', 'tcp://10.0.0.1:2375'), env, files);
    expect(plain.insecure).toBe(false);
    expect(endpointInfo(plain.endpoints[0]!)).toEqual({ endpoint: 'tcp://10.0.0.1:2375', transport: 'plain', insecure: false, unencrypted: true });
    for (const host of ['tcp://127.0.0.1:2375', 'tcp://localhost:2375', 'tcp://[::1]:2375']) {
      expect(endpointInfo(resolveTarget(cli('--host', host), env, files).endpoints[0]!)).toMatchObject({ transport: 'plain', unencrypted: false });
    }
    expect(resolveTarget(cli('--context', 'remote'), env, files).insecure).toBe(false);
    const insecure = resolveTarget(cli('--context', 'remote', '--insecure'), env, files);
    expect(insecure.insecure).toBe(true);
    expect(endpointInfo(insecure.endpoints[0]!)).toMatchObject({ transport: 'tls-insecure', insecure: true, unencrypted: false });
  });

  it('DOCKER_CONFIG locates the docker context store', () => {
    const { env, files } = fixture();
    const t = resolveTarget(cli(), { DOCKER_CONFIG: files.dockerConfigDir, DOCKER_CONTEXT: 'remote' }, { contextsFile: files.contextsFile, home: env.HOME });
    expect(t.context).toBe('remote');
  });

  it('an unknown context lists the known ones', () => {
    const { env, files } = fixture();
    expect(() => resolveTarget(cli('--context', 'nope'), env, files)).toThrow(TargetError);
    expect(() => resolveTarget(cli('--context', 'nope'), env, files)).toThrow('known contexts: default, mine, remote, viassh');
  });

  it('lists swarmtop and docker contexts for the switcher', () => {
    const { env, files } = fixture();
    expect(listContexts(env, files).map((c) => `${c.name}:${c.source}`)).toEqual(['mine:swarmtop', 'remote:docker', 'viassh:docker']);
  });
});
