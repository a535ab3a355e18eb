/**
 * Host keys and algorithms against a real openssh-server: a key revoked in one known_hosts file wins over
 * a match in another; a host known only under another key type is refused as OpenSSH warns about it;
 * accepted keys are written hashed where the operator's files are (checked with ssh-keygen -F); a
 * server that offers only SHA-1 algorithms is refused with the option that allows it, and connects with
 * it; a failing remote `docker system dial-stdio` is reported in its own words.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedPrompter, type Prompter } from '../../src/config/prompter.js';
import { createConnector } from '../../src/docker/connect/connector.js';
import type { EndpointSpec } from '../../src/docker/endpoint.js';
import { testLab } from './setup/lab-handle.js';
import { startSshPeer, type SshPeer } from './setup/peers/sshd.js';
import { connectFailure as failure } from './setup/connect-failure.js';

const lab = testLab();
const node = lab.managers[0]!;

function keygen(file: string, type: string): string[] {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', file], { stdio: 'ignore' });
  return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/);
}

describe('known_hosts as OpenSSH reads it', () => {
  let peer: SshPeer;
  let userFile: string;
  let globalFile: string;
  beforeAll(async () => {
    peer = await startSshPeer({ dockerSocket: node.socket });
    userFile = join(peer.dir, 'known_hosts');
    globalFile = join(peer.dir, 'ssh_known_hosts');
  });
  afterAll(async () => {
    await peer?.stop();
  });
  const connect = (prompter: Prompter, sshConfig = join(peer.dir, 'no-config')) =>
    createConnector({ env: {}, home: peer.dir, knownHostsFiles: [userFile, globalFile], sshConfigFile: sshConfig, prompter, notice: () => {}, connectTimeoutMs: 20_000 })({
      kind: 'ssh', host: '127.0.0.1', port: peer.port, user: 'root', identityFile: peer.clientKey, socketPath: node.socket,
    });
  const name = (): string => `[127.0.0.1]:${peer.port}`;

  it('a key marked @revoked in one file is refused even though another file knows it', async () => {
    writeFileSync(userFile, `${peer.knownHostsLine}\n`);
    writeFileSync(globalFile, `@revoked * ${peer.knownHostsLine.split(' ').slice(1).join(' ')}\n`);
    const prompter = new ScriptedPrompter([true]);
    const err = await failure(connect(prompter));
    expect(err.failure).toBe('ssh-host-changed');
    expect(err.message).toContain(`is marked @revoked in ${globalFile}:1`);
    expect(prompter.asked).toEqual([]);
  });

  it('a host known only under another key type is refused, naming both keys, never asked about', async () => {
    const other = keygen(join(peer.dir, 'other-ecdsa'), 'ecdsa');
    writeFileSync(userFile, `${name()} ${other[0]} ${other[1]}\n`);
    writeFileSync(globalFile, '');
    const prompter = new ScriptedPrompter([true]);
    const err = await failure(connect(prompter));
    expect(err.failure).toBe('ssh-host-changed');
    expect(err.message).toContain(`presented a ssh-ed25519 SHA256:`);
    expect(err.message).toContain(`known_hosts knows this host only by a ecdsa-sha2-nistp256 key (${userFile}:1)`);
    expect(prompter.asked).toEqual([]);
  });

  it('an accepted key is written hashed when the file already hashes its names, and OpenSSH finds it', async () => {
    const other = keygen(join(peer.dir, 'elsewhere'), 'ed25519');
    writeFileSync(userFile, `elsewhere.example ${other[0]} ${other[1]}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', userFile], { stdio: 'ignore' });
    writeFileSync(globalFile, '');
    const conn = await connect(new ScriptedPrompter([true]));
    await conn.close();
    const added = readFileSync(userFile, 'utf8').trim().split('\n').at(-1) ?? '';
    expect(added).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    expect(added).not.toContain('127.0.0.1');
    expect(execFileSync('ssh-keygen', ['-F', name(), '-f', userFile], { encoding: 'utf8' })).toContain(peer.knownHostsLine.split(' ')[2]);
    // Known now: the next connection asks nothing.
    const quiet = new ScriptedPrompter([]);
    await (await connect(quiet)).close();
    expect(quiet.asked).toEqual([]);
  });

  it('HashKnownHosts yes in ~/.ssh/config hashes it in a file that had none', async () => {
    writeFileSync(userFile, '');
    const config = join(peer.dir, 'ssh_config_hash');
    writeFileSync(config, 'Host *\n  HashKnownHosts yes\n');
    await (await connect(new ScriptedPrompter([true]), config)).close();
    expect(readFileSync(userFile, 'utf8')).toMatch(/^\|1\|/);
    expect(execFileSync('ssh-keygen', ['-F', name(), '-f', userFile], { encoding: 'utf8' })).toContain('ssh-ed25519');
  });
});

describe('SSH algorithms', () => {
  let legacy: SshPeer;
  let kh: string;
  beforeAll(async () => {
    // A server that offers nothing but SHA-1: RSA host key signed with ssh-rsa, DH group14-sha1, hmac-sha1.
    legacy = await startSshPeer({
      dockerSocket: node.socket,
      hostKeyType: 'rsa',
      extraConfig: ['HostKeyAlgorithms ssh-rsa', 'KexAlgorithms diffie-hellman-group14-sha1', 'MACs hmac-sha1', 'Ciphers aes128-ctr'],
    });
    kh = join(legacy.dir, 'known_hosts');
    writeFileSync(kh, `${legacy.knownHostsLine}\n`);
  });
  afterAll(async () => {
    await legacy?.stop();
  });
  const spec = (legacyAlgorithms: boolean): EndpointSpec => ({
    kind: 'ssh', host: '127.0.0.1', port: legacy.port, user: 'root', identityFile: legacy.clientKey, socketPath: node.socket, ...(legacyAlgorithms ? { legacyAlgorithms } : {}),
  });
  const connector = () => createConnector({ env: {}, home: legacy.dir, knownHostsFiles: [kh], sshConfigFile: join(legacy.dir, 'none'), notice: () => {}, connectTimeoutMs: 20_000 });

  it('by default a SHA-1-only server is refused with a clear error naming the option', async () => {
    const err = await failure(connector()(spec(false)));
    expect(err.failure).toBe('ssh-algorithms');
    expect(err.message).toContain('offers only legacy SHA-1 key exchange algorithms (diffie-hellman-group14-sha1)');
    expect(err.message).toContain('ssh: { legacyAlgorithms: true }');
    expect(legacy.logins()).toBe(0);
  });

  it('with ssh: { legacyAlgorithms: true } the same server connects', async () => {
    const conn = await connector()(spec(true));
    await conn.docker.ping();
    await conn.close();
    expect(legacy.logins()).toBe(1);
  });
});

describe('docker system dial-stdio on the remote host', () => {
  it('its own error is reported, not "socket hang up"', async () => {
    const closed = await startSshPeer({ dockerSocket: node.socket, forwarding: false });
    try {
      const kh = join(closed.dir, 'known_hosts');
      writeFileSync(kh, `${closed.knownHostsLine}\n`);
      const err = await failure(createConnector({ env: {}, home: closed.dir, knownHostsFiles: [kh], sshConfigFile: join(closed.dir, 'none'), notice: () => {}, connectTimeoutMs: 20_000 })({
        kind: 'ssh', host: '127.0.0.1', port: closed.port, user: 'root', identityFile: closed.clientKey, socketPath: '/nonexistent/docker.sock',
      }));
      expect(err.failure).toBe('ssh-forward');
      expect(err.message).toMatch(/docker system dial-stdio failed \(the remote host said: .*\/nonexistent\/docker\.sock.*\)\. Check that the engine runs there/);
      expect(err.message).not.toMatch(/dial-stdio failed \(socket hang up\)/);
    } finally {
      await closed.stop();
    }
  });
});
