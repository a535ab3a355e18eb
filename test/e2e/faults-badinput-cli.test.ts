import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileAuditLog, guardedActions } from '../../src/actions/index.js';
import { openUnixSocket } from '../../src/docker/connection.js';
import { waitFor } from '../../lab/sh.js';
import { cliHome, ensureBuilt, runCli, BIN, STACK_LINE, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab } from './setup/lab-handle.js';
import { makeTlsFiles, tlsEngineArgs, type TlsFiles } from './setup/peers/tls.js';
import { startSshPeer, type SshPeer } from './setup/peers/sshd.js';

const lab = testLab();
const tlsNode = lab.managers[1]!;
const TLS_PORT = 2376;
let h: CliHome;
let tls: TlsFiles;
let ssh: SshPeer;

beforeAll(async () => {
  ensureBuilt();
  h = cliHome('faults-cli-');
  tls = makeTlsFiles(join(h.dir, 'tls'), tlsNode.ip);
  await lab.reconfigureEngine(tlsNode.name, tlsEngineArgs(tls, tlsNode.ip, TLS_PORT));
  ssh = await startSshPeer({ dockerSocket: lab.managers[0]!.socket });
});

afterAll(async () => {
  await lab.reconfigureEngine(tlsNode.name, []).catch(() => undefined);
  await ssh?.stop();
  killTmux('faults-pp');
  h?.remove();
}, 120_000);

function killTmux(session: string): void {
  try {
    execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
  } catch {
    // no such session
  }
}

const contexts = (text: string): void => writeFileSync(h.contextsFile, text);
const tlsContext = (name: string, ca: string, key: string): string =>
  `  - name: ${name}\n    managers: [tcp://${tlsNode.ip}:${TLS_PORT}]\n    tls: { ca: ${ca}, cert: ${tls.clientCert}, key: ${key} }\n`;

describe('bad input through the real CLI binary', () => {
  it('a malformed contexts.yaml: file:line, exit code 2, no stack (console and snapshot)', async () => {
    contexts('contexts:\n  - name: lab\n    managers: [unix:///x.sock]\n    colour: red\n');
    for (const args of [['--context', 'lab'], ['snapshot', '--json'], []]) {
      const r = await runCli(args, h.env, 30_000);
      expect(r.killed).toBe(false);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${h.contextsFile}:4:`);
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stdout).toBe('');
    }
  });

  it('an unknown context: exit code 2, the known ones listed', async () => {
    contexts('contexts:\n  - name: prod\n    managers: [unix:///p.sock]\n  - name: staging\n    managers: [unix:///s.sock]\n');
    const r = await runCli(['snapshot', '--json', '--context', 'prdo'], h.env, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown context "prdo".*known contexts: default, prod, staging/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('unreachable managers: every one named with its reason, and the command ends by itself', async () => {
    // 10.99.<lab>.250 is in the lab's own subnet and has no host: nothing else is ever dialled.
    const ghost = `${lab.state.nodes[0]!.ip.split('.').slice(0, 3).join('.')}.250`;
    contexts(`contexts:\n  - name: dead\n    managers: [unix:///nonexistent/docker.sock, tcp://${ghost}:2375, tcp://127.0.0.1:9]\n`);
    const r = await runCli(['snapshot', '--json', '--context', 'dead'], h.env, 90_000);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no manager answered');
    expect(r.stderr).toContain('unix:///nonexistent/docker.sock');
    expect(r.stderr).toContain(`${ghost}:2375`);
    expect(r.stderr).toContain('127.0.0.1:9');
    // Each manager is named once per line, not "tcp://...: tcp://...: ...".
    for (const ep of ['unix:///nonexistent/docker.sock', `tcp://${ghost}:2375`, 'tcp://127.0.0.1:9']) expect(r.stderr.split(ep).length - 1).toBe(1);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe('');
  });

  it('an unknown --theme is refused before anything connects (console and snapshot); a known one is fine for snapshot', async () => {
    // A silent endpoint: it accepts and never answers, as a firewalled manager may. Nobody may dial it.
    let dialled = 0;
    const silent = createServer(() => {
      dialled += 1;
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      for (const args of [['--theme', 'nosuch'], ['snapshot', '--json', '--theme', 'nosuch']]) {
        const r = await runCli([...args, '--host', `tcp://127.0.0.1:${port}`], h.env, 30_000);
        expect(r.killed).toBe(false);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(/--theme: unknown theme "nosuch" \(available: .*default.*\)/);
        expect(r.stderr).not.toMatch(STACK_LINE);
      }
      expect(dialled).toBe(0);
    } finally {
      silent.close();
    }
    const ok = await runCli(['snapshot', '--json', '--theme', 'light', '--host', `unix://${lab.managers[0]!.socket}`], h.env, 60_000);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('TLS: the right CA works, an unknown CA is refused with a clear message', async () => {
    contexts(`contexts:\n${tlsContext('good', tls.ca, tls.clientKey)}${tlsContext('badca', tls.otherCa, tls.clientKey)}`);
    const good = await runCli(['snapshot', '--json', '--context', 'good'], h.env, 60_000);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(JSON.parse(good.stdout)).toBeTypeOf('object');

    const bad = await runCli(['snapshot', '--json', '--context', 'badca'], h.env, 60_000);
    expect(bad.killed).toBe(false);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/certificate|CA/i);
    expect(bad.stderr).toContain(`${tlsNode.ip}:${TLS_PORT}`);
    expect(bad.stderr).not.toMatch(STACK_LINE);
  });

  it('an encrypted key and nobody to ask (no terminal, no keychain): a clear message, no hang', async () => {
    contexts(`contexts:\n${tlsContext('enc', tls.ca, tls.clientKeyEncrypted)}`);
    const r = await runCli(['snapshot', '--json', '--context', 'enc'], h.env, 60_000);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/passphrase/i);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('a wrong passphrase typed at a real terminal: asked again, never echoed, then a clear failure', async () => {
    contexts(`contexts:\n${tlsContext('enc', tls.ca, tls.clientKeyEncrypted)}`);
    const out = join(h.dir, 'pp');
    mkdirSync(out, { recursive: true });
    const envs = Object.entries(h.env).map(([k, v]) => `${k}='${v ?? ''}'`).join(' ');
    const cmd = `env -i ${envs} ${process.execPath} ${BIN} snapshot --json --context enc > ${out}/stdout 2> ${out}/stderr; echo $? > ${out}/exit; sleep 60`;
    killTmux('faults-pp');
    execFileSync('env', ['-u', 'CI', '-u', 'TMUX', 'tmux', 'new-session', '-d', '-s', 'faults-pp', '-x', '120', '-y', '30', cmd]);
    const wrong = 'wrong-pass-7Zq';
    for (let i = 0; i < 3; i++) {
      await waitFor(`passphrase question #${i + 1}`, 30_000, () => Promise.resolve((readFileSync(join(out, 'stderr'), 'utf8').match(/passphrase/gi) ?? []).length > i * 2 || existsSync(join(out, 'exit'))), 200);
      if (existsSync(join(out, 'exit'))) break;
      execFileSync('tmux', ['send-keys', '-t', 'faults-pp', '-l', wrong]);
      execFileSync('tmux', ['send-keys', '-t', 'faults-pp', 'Enter']);
      await new Promise((r) => setTimeout(r, 500));
    }
    await waitFor('the snapshot to end', 30_000, () => Promise.resolve(existsSync(join(out, 'exit'))), 200);
    const stderr = readFileSync(join(out, 'stderr'), 'utf8');
    const screen = execFileSync('tmux', ['capture-pane', '-p', '-t', 'faults-pp'], { encoding: 'utf8' });
    expect(readFileSync(join(out, 'exit'), 'utf8').trim()).toBe('1');
    expect(stderr).toMatch(/bad passphrase/i);
    expect(stderr).not.toMatch(STACK_LINE);
    expect(stderr + screen).not.toContain(wrong);
  });

  it('a changed SSH host key is refused, naming the known_hosts line', async () => {
    const sshDir = join(h.home, '.ssh');
    mkdirSync(sshDir, { recursive: true });
    // Someone else's key recorded for this host:port.
    const other = join(h.dir, 'other_host_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const otherPub = readFileSync(`${other}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
    writeFileSync(join(sshDir, 'known_hosts'), `[127.0.0.1]:${ssh.port} ${otherPub}\n`);
    writeFileSync(join(sshDir, 'config'), `Host 127.0.0.1\n  User root\n  IdentityFile ${ssh.clientKey}\n`);
    const logins = ssh.logins();
    const r = await runCli(['snapshot', '--json', '--host', `ssh://root@127.0.0.1:${ssh.port}`], h.env, 60_000);
    expect(r.killed).toBe(false);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/host key .* has CHANGED/);
    expect(r.stderr).toContain(`${join(sshDir, 'known_hosts')}:1`);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(ssh.logins()).toBe(logins); // never authenticated to the impostor

    // With the right key recorded, the same command works: the refusal was about the key alone.
    writeFileSync(join(sshDir, 'known_hosts'), `${ssh.knownHostsLine}\n`);
    const ok = await runCli(['snapshot', '--json', '--host', `ssh://root@127.0.0.1:${ssh.port}`], h.env, 60_000);
    expect(ok.code).toBe(0);
    expect(ok.stderr).not.toMatch(/REFUSED|CHANGED/);
  });

  it('an API error reaches the operator in full (the engine\'s own words)', async () => {
    const conn = openUnixSocket(lab.managers[0]!.socket);
    try {
      const actions = guardedActions({ readOnly: false, audit: fileAuditLog(join(h.stateHome, 'audit.jsonl')) });
      const scale = actions.find((a) => a.id === 'service.scale')!;
      const missing = 'nosuchservice0000000000000';
      const out = await scale.run({ connection: conn, context: 'lab', readOnly: false }, { kind: 'service', id: missing, name: 'ghost', version: 1 }, '2');
      expect(out.kind).toBe('failed');
      // The docker CLI's message for the same object, from the same engine.
      const cli = await dockerCli(lab.managers[0]!, ['service', 'inspect', missing]).then(() => '', (e: unknown) => String(e));
      expect(cli).toContain(missing);
      expect(out.message).toContain(missing);
      expect(out.message).toMatch(/not found|no such/i);
    } finally {
      await conn.close();
    }
  });
});
