import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A real openssh-server on a loopback port, with its own host key, client keys and (scoped) password. */
export interface SshPeer {
  port: number;
  dir: string;
  /** Unencrypted client key (authorized). */
  clientKey: string;
  /** Passphrase-protected client key (authorized). */
  encryptedKey: string;
  keyPassphrase: string;
  /** root's password inside the peer's private mount namespace only. */
  password: string;
  /** "[127.0.0.1]:port ssh-ed25519 AAAA..." */
  knownHostsLine: string;
  /** Successful logins so far (one per SSH connection). */
  logins(): number;
  log(): string;
  stop(): Promise<void>;
}

export interface SshPeerOptions {
  /** AllowStreamLocalForwarding (default yes); off exercises the dial-stdio fallback. */
  forwarding?: boolean;
  /** Engine socket, so `docker system dial-stdio` on the "remote" reaches the lab node. */
  dockerSocket: string;
  /** The server's host key type (default ed25519). */
  hostKeyType?: 'ed25519' | 'rsa';
  /** More sshd_config lines (e.g. algorithm lists for a legacy-only server). */
  extraConfig?: readonly string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function keygen(file: string, passphrase = '', type: 'ed25519' | 'rsa' = 'ed25519'): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, '-C', 'swarmtop-e2e', '-f', file], { stdio: 'ignore' });
}

async function waitForListen(port: number, child: ChildProcess, logFile: string): Promise<void> {
  const { connect } = await import('node:net');
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('sshd did not start listening');
}

export async function startSshPeer(opts: SshPeerOptions): Promise<SshPeer> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmtop-sshd-'));
  const port = await freePort();
  const hostKey = join(dir, `host_${opts.hostKeyType ?? 'ed25519'}`);
  const clientKey = join(dir, 'client_ed25519');
  const encryptedKey = join(dir, 'client_enc_ed25519');
  const keyPassphrase = 'e2e-key-passphrase';
  const password = 'e2e-Password-1';
  keygen(hostKey, '', opts.hostKeyType);
  keygen(clientKey);
  keygen(encryptedKey, keyPassphrase);
  writeFileSync(join(dir, 'authorized_keys'), readFileSync(`${clientKey}.pub`, 'utf8') + readFileSync(`${encryptedKey}.pub`, 'utf8'));
  // root's password exists only in this sshd's private mount namespace (a bind-mounted shadow copy).
  const hash = execFileSync('openssl', ['passwd', '-6', password], { encoding: 'utf8' }).trim();
  const shadow = readFileSync('/etc/shadow', 'utf8')
    .split('\n')
    .map((l) => (l.startsWith('root:') ? l.replace(/^root:[^:]*:/, `root:${hash}:`) : l))
    .join('\n');
  writeFileSync(join(dir, 'shadow'), shadow, { mode: 0o600 });
  const logFile = join(dir, 'sshd.log');
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'StrictModes no',
      'PermitRootLogin yes',
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      `AllowStreamLocalForwarding ${opts.forwarding === false ? 'no' : 'yes'}`,
      // sshd ties socket forwarding to the port-forwarding permission; nothing else is forwarded.
      'AllowTcpForwarding local',
      'X11Forwarding no',
      'MaxSessions 200',
      'LogLevel VERBOSE',
      `SetEnv DOCKER_HOST=unix://${opts.dockerSocket}`,
      ...(opts.extraConfig ?? []),
      '',
    ].join('\n'),
  );
  mkdirSync('/run/sshd', { recursive: true });
  const child = spawn(
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind '${join(dir, 'shadow')}' /etc/shadow && exec /usr/sbin/sshd -D -f '${config}' -E '${logFile}'`],
    { stdio: 'ignore' },
  );
  await waitForListen(port, child, logFile);
  const pub = readFileSync(`${hostKey}.pub`, 'utf8').trim().split(/\s+/);
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  return {
    port,
    dir,
    clientKey,
    encryptedKey,
    keyPassphrase,
    password,
    knownHostsLine: `[127.0.0.1]:${port} ${pub[0]} ${pub[1]}`,
    logins: () => (log().match(/Accepted (publickey|password) for /g) ?? []).length,
    log,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => {
          child.once('exit', r);
          setTimeout(r, 3000).unref();
        });
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
