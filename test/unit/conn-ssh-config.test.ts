import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkHostKey, fingerprint, hostFieldMatches, keyTypeOf, knownHostName, knownKeyTypes } from '../../src/config/known-hosts.js';
import { patternListMatches, resolveSshHost } from '../../src/config/ssh-config.js';

const CTX = { home: '/home/op', localUser: 'op' };

describe('ssh config', () => {
  const text = [
    '# comment',
    'Host prod-*  !prod-bastion',
    '  HostName %h.example.com',
    '  User ops',
    '  IdentityFile ~/.ssh/id_prod',
    'Host prod-m1',
    '  Port 2222',
    '  User ignored-because-first-wins',
    'Host "quoted"',
    '  HostName=10.0.0.9',
    '  IdentityFile "/keys/with space"',
    '  IdentitiesOnly yes',
    'Match host x',
    '  User must-not-leak',
    'Host *',
    '  IdentityFile id_%r_%u',
    '  Port 22',
  ].join('\n');

  it('resolves HostName, User, Port, IdentityFile with first value winning', () => {
    expect(resolveSshHost(text, 'prod-m1', CTX)).toEqual({
      hostName: 'prod-m1.example.com',
      user: 'ops',
      port: 2222,
      identityFiles: ['/home/op/.ssh/id_prod', '/home/op/.ssh/id_ops_op'],
      identitiesOnly: false,
      hashKnownHosts: false,
    });
  });

  it('honours negated patterns, quotes, key=value and IdentitiesOnly', () => {
    expect(resolveSshHost(text, 'prod-bastion', CTX)).toMatchObject({ hostName: 'prod-bastion', user: null, port: 22 });
    expect(resolveSshHost(text, 'quoted', CTX)).toMatchObject({ hostName: '10.0.0.9', identityFiles: ['/keys/with space', '/home/op/.ssh/id_op_op'], identitiesOnly: true });
  });

  it('an unknown host resolves to itself', () => {
    expect(resolveSshHost('', 'm1', CTX)).toEqual({ hostName: 'm1', user: null, port: null, identityFiles: [], identitiesOnly: false, hashKnownHosts: false });
  });

  it('matches wildcard pattern lists', () => {
    expect(patternListMatches(['*.example.com', '!db.example.com'], 'web.example.com')).toBe(true);
    expect(patternListMatches(['*.example.com', '!db.example.com'], 'db.example.com')).toBe(false);
    expect(patternListMatches(['m?'], 'm1')).toBe(true);
    expect(patternListMatches(['m?'], 'm12')).toBe(false);
  });
});

/** An SSH public key blob as servers send it, built from a real generated key. */
function ed25519Blob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const type = Buffer.from('ssh-ed25519');
  const len = (b: Buffer): Buffer => {
    const l = Buffer.alloc(4);
    l.writeUInt32BE(b.length);
    return l;
  };
  return Buffer.concat([len(type), type, len(raw), raw]);
}

function hashed(name: string): string {
  const salt = randomBytes(20);
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

describe('known_hosts', () => {
  const key = ed25519Blob();
  const other = ed25519Blob();
  const line = (hosts: string, blob: Buffer): string => `${hosts} ${keyTypeOf(blob)} ${blob.toString('base64')}`;

  it('reads the key type and prints an OpenSSH-style fingerprint', () => {
    expect(keyTypeOf(key)).toBe('ssh-ed25519');
    expect(fingerprint(key)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('uses [host]:port for non-default ports', () => {
    expect(knownHostName('m1', 22)).toBe('m1');
    expect(knownHostName('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('finds plain, wildcard and hashed entries', () => {
    expect(checkHostKey(line('m1,m2', key), 'm2', 22, key)).toEqual({ status: 'known', line: 1 });
    expect(checkHostKey(`# c\n${line('*.lab', key)}`, 'a.lab', 22, key)).toEqual({ status: 'known', line: 2 });
    expect(checkHostKey(line(hashed('[127.0.0.1]:2222'), key), '127.0.0.1', 2222, key)).toEqual({ status: 'known', line: 1 });
    expect(hostFieldMatches(hashed('m1'), 'm2')).toBe(false);
  });

  it('an unknown host is unknown; a different port is another host', () => {
    expect(checkHostKey(line('m1', key), 'm9', 22, key)).toEqual({ status: 'unknown' });
    expect(checkHostKey(line('m1', key), 'm1', 2222, key)).toEqual({ status: 'unknown' });
  });

  it('a different key of the same type is a changed key, also behind a hashed entry', () => {
    expect(checkHostKey(line('m1', other), 'm1', 22, key)).toEqual({ status: 'changed', line: 1 });
    expect(checkHostKey(`${line(hashed('m1'), other)}\n`, 'm1', 22, key)).toEqual({ status: 'changed', line: 1 });
    // a second, matching line wins over the stale one (as OpenSSH)
    expect(checkHostKey(`${line('m1', other)}\n${line('m1', key)}`, 'm1', 22, key)).toEqual({ status: 'known', line: 2 });
  });

  it('a revoked key is refused', () => {
    expect(checkHostKey(`${line('m1', key)}\n@revoked ${line('*', key)}`, 'm1', 22, key)).toEqual({ status: 'revoked', line: 2 });
  });

  it('lists the key types known for a host', () => {
    expect(knownKeyTypes(`${line('m1', key)}\nm1 ssh-rsa AAAA`, 'm1', 22)).toEqual(['ssh-ed25519', 'ssh-rsa']);
  });
});
