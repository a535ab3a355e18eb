import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseContextsFile } from '../../src/config/contexts-file.js';
import { appendKnownHost, checkHostKeyFiles, hashHostName, hostFieldMatches, keyTypeOf, usesHashedNames } from '../../src/config/known-hosts.js';
import { resolveSshHost } from '../../src/config/ssh-config.js';
import { algorithmMismatch, sshAlgorithms } from '../../src/docker/connect/ssh-algorithms.js';

function blob(type: 'ed25519' | 'ecdsa'): Buffer {
  const name = type === 'ed25519' ? 'ssh-ed25519' : 'ecdsa-sha2-nistp256';
  const { publicKey } = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(type === 'ed25519' ? -32 : -65);
  const parts = type === 'ed25519' ? [name, raw] : [name, 'nistp256', raw];
  return Buffer.concat(parts.flatMap((p) => {
    const b = typeof p === 'string' ? Buffer.from(p) : p;
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    return [l, b];
  }));
}
const line = (hosts: string, b: Buffer): string => `${hosts} ${keyTypeOf(b)} ${b.toString('base64')}`;

describe('known_hosts over several files', () => {
  const key = blob('ed25519');
  const other = blob('ed25519');
  const ecdsa = blob('ecdsa');

  it('@revoked in any file wins over a match in another, whichever comes first', () => {
    const files = [{ file: 'user', text: line('m1', key) }, { file: 'global', text: `@revoked * ${keyTypeOf(key)} ${key.toString('base64')}` }];
    expect(checkHostKeyFiles(files, 'm1', 22, key)).toEqual({ status: 'revoked', line: 1, file: 'global' });
    expect(checkHostKeyFiles([...files].reverse(), 'm1', 22, key)).toMatchObject({ status: 'revoked', file: 'global' });
  });

  it('a match in any file is known; the same type with another key anywhere is changed', () => {
    expect(checkHostKeyFiles([{ file: 'a', text: line('m1', other) }, { file: 'b', text: line('m1', key) }], 'm1', 22, key)).toEqual({ status: 'known', line: 1, file: 'b' });
    expect(checkHostKeyFiles([{ file: 'a', text: '' }, { file: 'b', text: line('m1', other) }], 'm1', 22, key)).toEqual({ status: 'changed', line: 1, file: 'b' });
  });

  it('a host known only under another key type is not unknown', () => {
    expect(checkHostKeyFiles([{ file: 'a', text: `# x\n${line('m1', ecdsa)}` }], 'm1', 22, key)).toEqual({ status: 'other-type', line: 2, file: 'a', keyType: 'ecdsa-sha2-nistp256' });
    expect(checkHostKeyFiles([{ file: 'a', text: line('m2', ecdsa) }], 'm1', 22, key)).toEqual({ status: 'unknown' });
  });
});

describe('writing accepted keys', () => {
  const key = blob('ed25519');
  const dir = mkdtempSync(join(tmpdir(), 'swarmtop-kh-'));

  it('hashes the name as OpenSSH does (HMAC-SHA1 with a random salt)', () => {
    const h = hashHostName('[127.0.0.1]:2222');
    expect(h).toMatch(/^\|1\|[A-Za-z0-9+/]{27}=\|[A-Za-z0-9+/]{27}=$/);
    expect(hostFieldMatches(h, '[127.0.0.1]:2222')).toBe(true);
    expect(hostFieldMatches(h, '127.0.0.1')).toBe(false);
  });

  it('writes hashed into a file that already hashes its names, plain into one that does not', () => {
    const hashedFile = join(dir, 'hashed');
    writeFileSync(hashedFile, `${line(hashHostName('elsewhere'), blob('ed25519'))}\n`);
    appendKnownHost(hashedFile, 'm1', 22, key);
    const added = readFileSync(hashedFile, 'utf8').trim().split('\n')[1] ?? '';
    expect(added.startsWith('|1|')).toBe(true);
    expect(checkHostKeyFiles([{ file: hashedFile, text: readFileSync(hashedFile, 'utf8') }], 'm1', 22, key).status).toBe('known');

    const plainFile = join(dir, 'plain');
    writeFileSync(plainFile, `${line('elsewhere', blob('ed25519'))}\n`);
    appendKnownHost(plainFile, 'm1', 22, key);
    expect(readFileSync(plainFile, 'utf8')).toContain(`\nm1 ssh-ed25519 `);
    expect(usesHashedNames(readFileSync(plainFile, 'utf8'))).toBe(false);
  });

  it('writes hashed when asked (HashKnownHosts yes), read from ~/.ssh/config', () => {
    const f = join(dir, 'asked');
    appendKnownHost(f, 'm1', 22, key, resolveSshHost('Host *\n  HashKnownHosts yes\n', 'm1').hashKnownHosts);
    expect(readFileSync(f, 'utf8').startsWith('|1|')).toBe(true);
  });
});

describe('SSH algorithms', () => {
  const names = (x: unknown): string => JSON.stringify(x);

  it('modern by default: no SHA-1 signature, MAC or key exchange, and a known ssh-rsa type asks for SHA-2 signatures only', () => {
    const a = sshAlgorithms(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'], false);
    expect(names(a.serverHostKey)).toContain('"prepend":["rsa-sha2-512","rsa-sha2-256"]');
    expect(names(a.serverHostKey)).toContain('"remove":["ssh-rsa","ssh-dss"]');
    expect(names(a.hmac)).toContain('"remove":["hmac-sha1-etm@openssh.com","hmac-sha1"');
    expect(names(a.kex)).toContain('diffie-hellman-group14-sha1');
    expect(names(a.kex)).toContain('"remove"');
  });

  it('legacy only when the context opts in', () => {
    const a = sshAlgorithms([], true);
    expect(names(a.kex)).toContain('"append":["diffie-hellman-group14-sha1","diffie-hellman-group-exchange-sha1"]');
    expect(names(a.hmac)).toContain('"append":["hmac-sha1-etm@openssh.com","hmac-sha1"]');
  });

  it('a mismatch says what the server offers, and names the option when it offers only SHA-1', () => {
    const remote = new Map([['KEX method', 'diffie-hellman-group14-sha1,ext-info-s,kex-strict-s-v00@openssh.com'], ['C->S MAC', 'hmac-md5,umac-64@openssh.com']]);
    expect(algorithmMismatch('Handshake failed: no matching key exchange algorithm', remote, false)).toBe(
      'the SSH server offers only legacy SHA-1 key exchange algorithms (diffie-hellman-group14-sha1), which swarmtop does not use by default. Enable modern ones on the server (OpenSSH 7.2 or newer has them), or allow these for this context with ssh: { legacyAlgorithms: true } in contexts.yaml',
    );
    expect(algorithmMismatch('Handshake failed: no matching key exchange algorithm', remote, true)).toBe('no key exchange algorithm in common with the SSH server (it offers: diffie-hellman-group14-sha1)');
    expect(algorithmMismatch('Handshake failed: no matching C->S MAC', new Map([['C->S MAC', 'umac-64@openssh.com']]), false)).toBe('no MAC algorithm in common with the SSH server (it offers: umac-64@openssh.com)');
    expect(algorithmMismatch('All configured authentication methods failed', remote, false)).toBeNull();
  });

  it('the contexts file takes ssh: { legacyAlgorithms: true } and nothing else there', () => {
    const f = parseContextsFile('contexts:\n  - name: old\n    managers: [ssh://ops@m1]\n    ssh: { legacyAlgorithms: true }\n', 'c.yaml', '/home/op');
    expect(f.contexts[0]?.endpoints[0]).toMatchObject({ kind: 'ssh', legacyAlgorithms: true });
    expect(parseContextsFile('contexts:\n  - name: new\n    managers: [ssh://ops@m1]\n', 'c.yaml', '/home/op').contexts[0]?.endpoints[0]).not.toHaveProperty('legacyAlgorithms');
    expect(() => parseContextsFile('contexts:\n  - name: old\n    managers: [ssh://ops@m1]\n    ssh: { legacyAlgorithms: yes please }\n', 'c.yaml', '/home/op')).toThrow(/legacyAlgorithms/);
  });
});
