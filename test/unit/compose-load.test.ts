import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convertSecrets } from '../../src/compose/convert.js';
import { convertService } from '../../src/compose/convert-service.js';
import { substitute } from '../../src/compose/interpolate.js';
import { loadCompose } from '../../src/compose/load.js';
import { ComposeError, ComposeErrors } from '../../src/compose/model.js';
import { parsePortSpec } from '../../src/compose/ports.js';
import { parseBytes, parseCpus, parseDuration, formatDuration } from '../../src/compose/units.js';
import { parseVolumeSpec } from '../../src/compose/volume-spec.js';

function dir(files: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'swarmtop-compose-'));
  for (const [n, c] of Object.entries(files)) writeFileSync(join(d, n), c);
  return d;
}

async function loadError(files: Record<string, string>, names: string[], env: Record<string, string> = {}): Promise<string> {
  const d = dir(files);
  try {
    await loadCompose(names, { cwd: d, env });
  } catch (err) {
    expect(err instanceof ComposeError || err instanceof ComposeErrors).toBe(true);
    return (err as Error).message;
  }
  throw new Error('loaded without error');
}

const ids = { secret: () => 'sid', config: () => 'cid' };

describe('interpolation', () => {
  const env: Record<string, string> = { SET: 'v', EMPTY: '' };
  const look = (n: string): string | undefined => env[n];
  it.each([
    ['$SET', 'v'], ['${SET}', 'v'], ['${UNSET:-d}', 'd'], ['${EMPTY:-d}', 'd'], ['${EMPTY-d}', ''], ['${UNSET-d}', 'd'],
    ['cost $$5', 'cost $5'], ['${SET:?x}', 'v'], ['a${SET}b$SET', 'avbv'],
  ])('%s → %s', (t, want) => expect(substitute(t, look)).toBe(want));
  it('a missing required variable is an error with its message', () => {
    expect(() => substitute('${NEED:?set NEED first}', look)).toThrow('required variable NEED is missing a value: set NEED first');
    expect(() => substitute('${EMPTY:?no}', look)).toThrow('required variable EMPTY');
    expect(substitute('${EMPTY?no}', look)).toBe('');
  });
  it('reports the file and line of a missing required variable, and warns about unset ones', async () => {
    const msg = await loadError({ 's.yml': 'services:\n  a:\n    image: x\n    user: ${WHO:?who runs it}\n' }, ['s.yml']);
    expect(msg).toBe('s.yml:4: services.a.user: required variable WHO is missing a value: who runs it');
    const d = dir({ 's.yml': 'services:\n  a:\n    image: busybox:${TAG}\n' });
    const res = await loadCompose(['s.yml'], { cwd: d, env: {} });
    expect(res.warnings).toContain('The "TAG" variable is not set. Defaulting to a blank string.');
  });
  it('takes values from .env beside the first file, the environment first; casts numbers', async () => {
    const d = dir({ 's.yml': 'services:\n  a:\n    image: busybox:${TAG}\n    deploy:\n      replicas: ${N}\n', '.env': 'TAG="from-dotenv"\nN=2\n' });
    const a = await loadCompose(['s.yml'], { cwd: d, env: {} });
    expect(a.config.services[0]?.image).toBe('busybox:from-dotenv');
    expect(a.config.services[0]?.deploy.replicas).toBe(2);
    const b = await loadCompose(['s.yml'], { cwd: d, env: { TAG: 'env', N: '3' } });
    expect(b.config.services[0]?.image).toBe('busybox:env');
  });
});

describe('validation and bad input', () => {
  it('reports every schema error with file, line and path', async () => {
    const msg = await loadError({ 's.yml': 'services:\n  api:\n    image: x\n    deploy:\n      replicas: "3"\n    foo: 1\n  db:\n    image: y\n    environment: 5\n' }, ['s.yml']);
    expect(msg.split('\n')).toEqual([
      's.yml:5: services.api.deploy.replicas: must be integer',
      "s.yml:6: services.api: additional property 'foo' is not allowed",
      's.yml:9: services.db.environment: must be mapping or list',
    ]);
  });
  it('YAML syntax errors carry line and column', async () => {
    const msg = await loadError({ 's.yml': 'services:\n  a:\n    image: x\n   bad: [\n' }, ['s.yml']);
    expect(msg).toMatch(/^s\.yml:4: YAML error at line 4, column \d+: /);
  });
  it('a missing file is named', async () => {
    expect(await loadError({}, ['nope.yml'])).toBe('nope.yml: no such file');
  });
  it('forbidden keys stop the load with the docker CLI words; unsupported ones warn', async () => {
    expect(await loadError({ 's.yml': 'services:\n  a:\n    image: x\n    mem_limit: 1g\n' }, ['s.yml'])).toContain('Compose file contains unsupported options:\n\nmem_limit: Set resource limits using deploy.resources');
    const d = dir({ 's.yml': 'services:\n  a:\n    image: x\n    build: .\n    privileged: true\n    container_name: c\n' });
    const res = await loadCompose(['s.yml'], { cwd: d, env: {} });
    expect(res.warnings).toContain('Ignoring unsupported options: build, privileged');
    expect(res.warnings.some((w) => w.startsWith('Ignoring deprecated options:\n\ncontainer_name:'))).toBe(true);
  });
  it('a service without image, an unknown version and mismatched versions are refused', async () => {
    expect(await loadError({ 's.yml': 'services:\n  a:\n    command: x\n' }, ['s.yml'])).toBe('invalid image reference for service a: no image specified');
    expect(await loadError({ 's.yml': 'version: "2.4"\nservices: {}\n' }, ['s.yml'])).toBe('s.yml: unsupported Compose file version: 2.4');
    expect(await loadError({ 'a.yml': 'version: "3.8"\nservices: {}\n', 'b.yml': 'version: "3.7"\nservices: {}\n' }, ['a.yml', 'b.yml'])).toContain('version mismatched between two composefiles : 3.8 and 3.7');
  });
  it('an unreadable secret file is an error naming it', async () => {
    const d = dir({ 's.yml': 'services:\n  a:\n    image: x\n    secrets: [pw]\nsecrets:\n  pw:\n    file: ./pw.txt\n', 'pw.txt': 'x' });
    const { config } = await loadCompose(['s.yml'], { cwd: d, env: {} });
    chmodSync(join(d, 'pw.txt'), 0o000);
    const read = (p: string): Buffer => {
      const e = Object.assign(new Error('EACCES'), { code: 'EACCES' });
      if (p.endsWith('pw.txt')) throw e;
      return Buffer.alloc(0);
    };
    expect(() => convertSecrets('st', config, read)).toThrow(`secrets.pw.file: cannot read ${join(d, 'pw.txt')}: permission denied (cannot read the file)`);
  });
});

describe('short syntaxes and units', () => {
  it('ports', () => {
    expect(parsePortSpec('8080:80')).toEqual([{ target: 80, published: 8080, protocol: 'tcp', mode: 'ingress' }]);
    expect(parsePortSpec('127.0.0.1:53:53/udp')).toEqual([{ target: 53, published: 53, protocol: 'udp', mode: 'ingress' }]);
    expect(parsePortSpec('9000-9001:90-91').map((p) => `${p.published}:${p.target}`)).toEqual(['9000:90', '9001:91']);
    expect(parsePortSpec('9000-9002:80').map((p) => p.published)).toEqual([9000, 9001, 9002]);
    expect(() => parsePortSpec('1-3:4-5')).toThrow('invalid ranges');
  });
  it('volumes', () => {
    expect(parseVolumeSpec('data:/data:ro')).toEqual({ type: 'volume', source: 'data', target: '/data', readOnly: true });
    expect(parseVolumeSpec('./x:/x:rshared')).toEqual({ type: 'bind', source: './x', target: '/x', bind: { propagation: 'rshared' } });
    expect(parseVolumeSpec('/only')).toEqual({ type: 'volume', target: '/only' });
    expect(parseVolumeSpec('vol:/a:ro:x')).toContain('too many colons');
  });
  it('durations, sizes, cpus', () => {
    expect(parseDuration('1m30s')).toBe(90e9);
    expect(parseDuration('1.5h')).toBe(5400e9);
    expect(parseDuration('5')).toBeNull();
    expect(formatDuration(90e9)).toBe('1m30s');
    expect(formatDuration(3600e9)).toBe('1h0m0s');
    expect(parseBytes('64M')).toBe(64 * 1024 * 1024);
    expect(parseBytes('1.5g')).toBe(1.5 * 1024 ** 3);
    expect(parseCpus('0.25')).toBe(250_000_000);
    expect(parseCpus('0.0000000001')).toBe('value is too precise');
  });
});

describe('merge and conversion', () => {
  it('merges -c files with the docker CLI rules', async () => {
    const d = dir({
      'a.yml': 'services:\n  web:\n    image: x:1\n    environment: {A: "1", B: "2"}\n    ports: ["80:80", "81:81"]\n    dns: [1.1.1.1]\n    deploy: {replicas: 1}\n',
      'b.yml': 'services:\n  web:\n    image: x:2\n    environment: {B: "o"}\n    ports: ["81:82"]\n    dns: [2.2.2.2]\n',
    });
    const { config } = await loadCompose(['a.yml', 'b.yml'], { cwd: d, env: {} });
    const web = config.services[0];
    expect(web?.image).toBe('x:2');
    expect(web?.environment).toEqual({ A: '1', B: 'o' });
    expect(web?.ports.map((p) => `${p.published}:${p.target}`)).toEqual(['80:80', '81:82']);
    expect(web?.dns).toEqual(['1.1.1.1', '2.2.2.2']);
    expect(web?.deploy.replicas).toBe(1);
  });
  it('converts a service as the docker CLI does (names, labels, env order, caps, octal modes, restart)', async () => {
    const d = dir({
      's.yml': 'services:\n  api:\n    image: busybox\n    environment: [Z=1, A]\n    cap_add: [net_admin]\n    restart: on-failure:2\n    secrets: [{source: pw, mode: 0440}]\nsecrets:\n  pw: {file: ./pw}\n',
      pw: 'x',
    });
    const { config } = await loadCompose(['s.yml'], { cwd: d, env: {} });
    const spec = convertService('web', config, config.services[0] as never, ids) as Record<string, Record<string, unknown>>;
    expect(spec.Name).toBe('web_api');
    expect(spec.Labels).toEqual({ 'com.docker.stack.namespace': 'web', 'com.docker.stack.image': 'busybox' });
    const task = spec.TaskTemplate as Record<string, Record<string, unknown>>;
    expect(task.ContainerSpec?.Image).toBe('busybox:latest');
    expect(task.ContainerSpec?.Env).toEqual(['A', 'Z=1']);
    expect(task.ContainerSpec?.CapabilityAdd).toEqual(['CAP_NET_ADMIN']);
    expect(task.ContainerSpec?.Secrets).toEqual([{ File: { Name: 'pw', UID: '0', GID: '0', Mode: 0o440 }, SecretID: 'sid', SecretName: 'web_pw' }]);
    expect(task.RestartPolicy).toEqual({ Condition: 'on-failure', MaxAttempts: 2 });
    expect(task.Networks).toEqual([{ Target: 'web_default', Aliases: ['api'] }]);
  });
});
