/**
 * How requests travel, through the real binary: https:// and http:// are refused as the docker CLI
 * refuses them (a listener on loopback proves not one byte went out in cleartext), a user:password in a
 * tcp:// URL is refused without being echoed, and plain tcp:// to a lab manager works but says
 * UNENCRYPTED: a red banner in the console, a warning on snapshot's stderr, `transport` in its JSON.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { waitForReady } from '../../lab/swarm.js';
import { BIN, REPO, STACK_LINE, cliHome, ensureBuilt, runCli, type CliHome } from './setup/cli-run.js';
import { testLab } from './setup/lab-handle.js';
import { startInPty, type PtyRun } from './setup/pty.js';

const lab = testLab();
const node = lab.managers[2]!;
const PLAIN_PORT = 2375;
let h: CliHome;
let listener: Server;
let port = 0;
/** Every byte anyone sent to the loopback listener. */
let received = '';
let connections = 0;
let pty: PtyRun | null = null;

beforeAll(async () => {
  ensureBuilt();
  h = cliHome('security-transport-');
  listener = createServer((s: Socket) => {
    connections += 1;
    s.on('data', (b: Buffer) => (received += b.toString('latin1')));
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => listener.listen(0, '127.0.0.1', r));
  const addr = listener.address();
  port = typeof addr === 'object' && addr ? addr.port : 0;
});

afterAll(() => {
  pty?.close();
  listener?.close();
  h?.remove();
});

describe('URLs that must not connect', () => {
  it('https:// and http:// are refused before anything is sent (as the docker CLI refuses them)', async () => {
    for (const scheme of ['https', 'http']) {
      const url = `${scheme}://127.0.0.1:${port}`;
      const runs = [[['snapshot', '--json', '--host', url], h.env], [['--host', url], h.env]] as const;
      for (const [args, env] of scheme === 'https' ? [...runs, [['snapshot', '--json'], { ...h.env, DOCKER_HOST: url }] as const] : runs.slice(0, 1)) {
        const r = await runCli(args, env, 30_000);
        expect(r.code).toBe(2);
        expect(r.stderr).toContain(`${scheme}:// is not a docker host URL`);
        expect(r.stderr).toContain(scheme === 'https' ? 'with TLS certificates' : 'plain, unencrypted');
        expect(r.stderr).not.toMatch(STACK_LINE);
      }
    }
    writeFileSync(h.contextsFile, `contexts:\n  - name: web\n    managers: [https://127.0.0.1:${port}]\n`);
    const r = await runCli(['snapshot', '--json', '--context', 'web'], h.env, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${h.contextsFile}:3:`);
    expect(r.stderr).toContain('https:// is not a docker host URL');
    writeFileSync(h.contextsFile, 'contexts: []\n');
    expect(connections).toBe(0);
    expect(received).toBe('');
  });

  it('a user and password in a tcp:// URL: refused, the password never printed, nothing sent', async () => {
    const r = await runCli(['snapshot', '--json', '--host', `tcp://ops:s3cr%t-pw@127.0.0.1:${port}`], h.env, 30_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`"tcp://ops:***@127.0.0.1:${port}": a tcp:// URL takes no user or password`);
    expect(r.stdout + r.stderr).not.toContain('s3cr');
    expect(connections).toBe(0);
  });
});

describe('plain tcp:// to another machine (a lab manager)', () => {
  beforeAll(async () => {
    await lab.reconfigureEngine(node.name, ['-H', `tcp://${node.ip}:${PLAIN_PORT}`]);
    await waitForReady(lab.managers[0]!, lab.nodes.length, 120_000);
  }, 180_000);
  afterAll(async () => {
    await lab.reconfigureEngine(node.name, []).catch(() => undefined);
    await waitForReady(lab.managers[0]!, lab.nodes.length, 120_000).catch(() => undefined);
  }, 180_000);

  it('snapshot works, warns on stderr and says transport "plain" in the JSON', async () => {
    const url = `tcp://${node.ip}:${PLAIN_PORT}`;
    let r = await runCli(['snapshot', '--json', '--host', url], h.env, 60_000);
    // The restarted manager may still be rejoining: its swarm reads answer once it is back.
    await waitFor('the plain TCP manager answers the snapshot', 60_000, async () => {
      if (r.code === 0) return true;
      r = await runCli(['snapshot', '--json', '--host', url], h.env, 60_000);
      return r.code === 0;
    }, 1000);
    expect(r.stderr).toContain(`swarmtop: WARNING: ${url}: UNENCRYPTED: plain tcp:// to another machine`);
    const snap = JSON.parse(r.stdout) as { endpoint: string; transport: string };
    expect(snap).toMatchObject({ endpoint: url, transport: 'plain' });

    const local = await runCli(['snapshot', '--json', '--host', `unix://${node.socket}`], h.env, 60_000);
    expect(local.stderr).toBe('');
    expect((JSON.parse(local.stdout) as { transport: string }).transport).toBe('unix');
  });

  it('the console shows a red UNENCRYPTED banner, not "TLS verification is disabled"', async () => {
    pty = startInPty('sec-transport', [process.execPath, BIN, '--host', `tcp://${node.ip}:${PLAIN_PORT}`], h.env, REPO);
    const run = pty;
    await waitFor('the banner', 60_000, () => Promise.resolve(run.screen().includes('● live') && run.screen().includes('UNENCRYPTED: plain tcp://')), 200)
      .catch((e: unknown) => {
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${run.screen()}`);
      });
    expect(run.screen()).not.toContain('TLS verification is disabled');
    run.keys('q');
    expect((await run.exited(20_000)).code).toBe(0);
  });
});
