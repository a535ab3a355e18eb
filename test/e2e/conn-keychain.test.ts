import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testLab } from './setup/lab-handle.js';
import { startSshPeer, type SshPeer } from './setup/peers/sshd.js';

const CHILD = join(import.meta.dirname, 'setup', 'peers', 'keychain-child.ts');
const ROOT = join(import.meta.dirname, '..', '..');

function runChild(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.once('exit', () => {
      clearTimeout(timer);
      const line = out.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
      if (!line) return reject(new Error(`child printed no result; stderr:\n${err}`));
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

describe('OS keychain (gnome-keyring under dbus-run-session)', () => {
  const lab = testLab();
  const node = lab.managers[0]!;
  let peer: SshPeer;
  let knownHosts: string;

  beforeAll(async () => {
    peer = await startSshPeer({ dockerSocket: node.socket });
    knownHosts = join(peer.dir, 'known_hosts');
    writeFileSync(knownHosts, `${peer.knownHostsLine}\n`);
  });
  afterAll(async () => {
    await peer?.stop();
  });

  it('stores a key passphrase once asked, and supplies it with nobody to ask', async () => {
    const env = {
      ...process.env,
      PEER_PORT: String(peer.port),
      PEER_KEY: peer.encryptedKey,
      PEER_PASSPHRASE: peer.keyPassphrase,
      PEER_SOCKET: node.socket,
      PEER_DIR: peer.dir,
      PEER_KNOWN_HOSTS: knownHosts,
      // gnome-keyring keeps its files under XDG_DATA_HOME: a private one, never the operator's keyrings.
      XDG_DATA_HOME: join(peer.dir, 'xdg-data'),
    };
    // The keyring password is a throwaway for this private, temporary session bus.
    const script = `echo -n e2e-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec node --import tsx '${CHILD}'`;
    const result = await runChild('dbus-run-session', ['--', 'sh', '-c', script], env);
    expect(result.error).toBeUndefined();
    expect(result.available).toBe(true);
    expect(result.roundTrip).toEqual({ got: 'value-1', afterDelete: null });
    const asked = result.firstConnectAsked as string[];
    expect(asked[0]).toContain(peer.encryptedKey);
    expect(asked[1]).toMatch(/keychain/);
    expect(result.secondConnectOk).toBe(true);
  });

  it('with no D-Bus it says so once and asks each time', async () => {
    const env = { ...process.env };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const result = await runChild('node', ['--import', 'tsx', CHILD], env);
    expect(result.available).toBe(false);
    expect(String(result.reason)).toMatch(/dbus/i);
    expect(result.noKeychain).toEqual({ notices: 1, asked: 2, got: ['s1', 's2'] });
  });
});
