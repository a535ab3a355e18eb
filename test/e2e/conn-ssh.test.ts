import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/config/known-hosts.js';
import { NonInteractivePrompter, ScriptedPrompter, type Prompter } from '../../src/config/prompter.js';
import { createConnector } from '../../src/docker/connect/connector.js';
import type { SshDockerConnection } from '../../src/docker/connect/ssh.js';
import type { EndpointSpec } from '../../src/docker/endpoint.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { freePort, startSshPeer, type SshPeer } from './setup/peers/sshd.js';
import { connectFailure as failure } from './setup/connect-failure.js';

describe('SSH transport against a real openssh-server forwarding to a lab engine', () => {
  const lab = testLab();
  const node = lab.managers[0]!;
  let peer: SshPeer;
  let knownHosts: string;

  beforeAll(async () => {
    peer = await startSshPeer({ dockerSocket: node.socket });
    knownHosts = join(peer.dir, 'known_hosts');
  });
  afterAll(async () => {
    await peer?.stop();
  });

  const connector = (prompter: Prompter = new NonInteractivePrompter(), extra: { sshConfigFile?: string } = {}) =>
    createConnector({ env: {}, home: peer.dir, knownHostsFiles: [knownHosts], sshConfigFile: extra.sshConfigFile ?? join(peer.dir, 'no-config'), prompter, notice: () => {}, connectTimeoutMs: 20_000 });
  const spec = (over: Partial<Extract<EndpointSpec, { kind: 'ssh' }>> = {}): EndpointSpec => ({
    kind: 'ssh',
    host: '127.0.0.1',
    port: peer.port,
    user: 'root',
    identityFile: peer.clientKey,
    socketPath: node.socket,
    ...over,
  });
  const trust = (): void => writeFileSync(knownHosts, `${peer.knownHostsLine}\n`);

  it('multiplexes many API calls and an event stream over ONE ssh connection', async () => {
    trust();
    const before = peer.logins();
    const conn = (await connector()(spec())) as SshDockerConnection;
    try {
      expect(conn.channelMode).toBe('streamlocal');
      const events = (await conn.docker.getEvents({ filters: JSON.stringify({ type: ['service'] }) })) as NodeJS.ReadableStream & { destroy(): void };
      let seen = '';
      const created = new Promise<void>((resolve) => {
        events.on('data', (chunk: Buffer) => {
          seen += chunk.toString('utf8');
          if (seen.includes('"Action":"create"')) resolve();
        });
      });
      // 60 calls, 20 at a time, while the event stream stays open
      for (let round = 0; round < 3; round++) {
        await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? conn.docker.listNodes() : i % 3 === 1 ? conn.docker.listServices() : conn.docker.ping())));
      }
      const name = uniqueName('conn-ssh');
      await dockerCli(node, ['service', 'create', '--detach', '--name', name, '--constraint', 'node.labels.never==1', 'local/busybox:1']);
      await created;
      expect(seen).toContain(name);
      events.destroy();
      // a finite stream (logs of the service) works too
      const logs = (await conn.docker.getService(name).logs({ stdout: true, stderr: true, follow: false })) as unknown;
      expect(logs).toBeDefined();
      await dockerCli(node, ['service', 'rm', name]);
      expect(peer.logins() - before).toBe(1);
      // channels are reused: far fewer than requests (at most one per concurrent request + the stream)
      expect(conn.channelsOpened()).toBeLessThanOrEqual(25);
    } finally {
      await conn.close();
    }
  });

  it('an unknown host shows the SHA256 fingerprint and asks; yes records it in known_hosts', async () => {
    writeFileSync(knownHosts, '');
    const prompter = new ScriptedPrompter([true]);
    const conn = await connector(prompter)(spec());
    await conn.docker.ping();
    await conn.close();
    const hostKeyBlob = Buffer.from(peer.knownHostsLine.split(' ')[2]!, 'base64');
    expect(prompter.asked[0]).toContain(fingerprint(hostKeyBlob));
    expect(prompter.asked[0]).toContain(`[127.0.0.1]:${peer.port}`);
    expect(readFileSync(knownHosts, 'utf8')).toContain(peer.knownHostsLine.split(' ')[2]);
  });

  it('an unknown host: no answers no, and no terminal is a clear refusal', async () => {
    writeFileSync(knownHosts, '');
    const no = await failure(connector(new ScriptedPrompter([false]))(spec()));
    expect(no.failure).toBe('ssh-host-unknown');
    const none = await failure(connector()(spec()));
    expect(none.failure).toBe('ssh-host-unknown');
    expect(none.message).toMatch(/SHA256:/);
  });

  it('a hashed known_hosts entry is recognised', async () => {
    trust();
    execFileSync('ssh-keygen', ['-H', '-f', knownHosts], { stdio: 'ignore' });
    expect(readFileSync(knownHosts, 'utf8')).toMatch(/^\|1\|/);
    const prompter = new ScriptedPrompter([]);
    const conn = await connector(prompter)(spec());
    await conn.close();
    expect(prompter.asked).toEqual([]);
  });

  it('a changed host key is refused without asking', async () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(peer.dir, 'impostor')], { stdio: 'ignore' });
    const impostor = readFileSync(join(peer.dir, 'impostor.pub'), 'utf8').split(' ');
    writeFileSync(knownHosts, `[127.0.0.1]:${peer.port} ${impostor[0]} ${impostor[1]}\n`);
    const prompter = new ScriptedPrompter([true]);
    const err = await failure(connector(prompter)(spec()));
    expect(err.failure).toBe('ssh-host-changed');
    expect(err.message).toMatch(/CHANGED/);
    expect(prompter.asked).toEqual([]);
  });

  it('password authentication (a wrong one first), never a secret in the error', async () => {
    trust();
    const prompter = new ScriptedPrompter(['wrong-password', peer.password]);
    const conn = await connector(prompter)(spec({ identityFile: join(peer.dir, 'no-such-key') }));
    await conn.docker.ping();
    await conn.close();
    expect(prompter.asked.filter((q) => q.startsWith('Password')).length).toBe(2);

    const err = await failure(connector(new ScriptedPrompter(['a', 'b', 'c']))(spec({ identityFile: join(peer.dir, 'no-such-key') })));
    expect(err.failure).toBe('ssh-auth');
    expect(err.message).not.toMatch(/\ba\b.*\bb\b/);
  });

  it('an encrypted key file with its passphrase', async () => {
    trust();
    const prompter = new ScriptedPrompter([peer.keyPassphrase]);
    const conn = await connector(prompter)(spec({ identityFile: peer.encryptedKey }));
    await conn.docker.ping();
    await conn.close();
    expect(prompter.asked[0]).toContain(peer.encryptedKey);
  });

  it('authenticates through ssh-agent (SSH_AUTH_SOCK)', async () => {
    trust();
    const sock = join(peer.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 50 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 100));
      execFileSync('ssh-add', [peer.clientKey], { env: { ...process.env, SSH_AUTH_SOCK: sock }, stdio: 'ignore' });
      const conn = await createConnector({ env: { SSH_AUTH_SOCK: sock }, home: peer.dir, knownHostsFiles: [knownHosts], sshConfigFile: join(peer.dir, 'none'), notice: () => {} })(
        spec({ identityFile: join(peer.dir, 'no-such-key') }),
      );
      await conn.docker.ping();
      await conn.close();
    } finally {
      agent.kill('SIGTERM');
    }
  });

  it('nothing listening is "unreachable" with the reason', async () => {
    const port = await freePort();
    const err = await failure(connector()(spec({ port })));
    expect(err.failure).toBe('unreachable');
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('honours ~/.ssh/config (Host alias, HostName, Port, User, IdentityFile)', async () => {
    trust();
    const config = join(peer.dir, 'ssh_config');
    writeFileSync(config, `Host lab-peer\n  HostName 127.0.0.1\n  Port ${peer.port}\n  User root\n  IdentityFile ${peer.clientKey}\n`);
    const conn = await connector(undefined, { sshConfigFile: config })({ kind: 'ssh', host: 'lab-peer', socketPath: node.socket });
    expect(conn.endpoint).toBe('ssh://root@lab-peer');
    await conn.docker.ping();
    await conn.close();
  });

  it('falls back to docker system dial-stdio when socket forwarding is off', async () => {
    const closed = await startSshPeer({ dockerSocket: node.socket, forwarding: false });
    try {
      const kh = join(closed.dir, 'known_hosts');
      writeFileSync(kh, `${closed.knownHostsLine}\n`);
      const conn = (await createConnector({ env: {}, home: closed.dir, knownHostsFiles: [kh], sshConfigFile: join(closed.dir, 'none'), notice: () => {} })({
        kind: 'ssh',
        host: '127.0.0.1',
        port: closed.port,
        user: 'root',
        identityFile: closed.clientKey,
        socketPath: node.socket,
      })) as SshDockerConnection;
      expect(conn.channelMode).toBe('dial-stdio');
      await Promise.all(Array.from({ length: 10 }, () => conn.docker.listServices()));
      expect(closed.logins()).toBe(1);
      await conn.close();
    } finally {
      await closed.stop();
    }
  });
});
