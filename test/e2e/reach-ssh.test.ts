import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { execInteractive, type ExecTerminal } from '../../src/docker/api/exec.js';
import { followStats } from '../../src/docker/api/stats.js';
import { createConnector } from '../../src/docker/connect/connector.js';
import type { DockerConnection } from '../../src/docker/connection.js';
import type { NodeEndpointRules } from '../../src/docker/endpoint.js';
import { NodeConnections } from '../../src/docker/nodes/connections.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { startSshPeer, type SshPeer } from './setup/peers/sshd.js';

/**
 * A worker node reached over SSH (a real openssh-server forwarding to that node's engine socket), as
 * the nodes: map names it: exec with a TTY over the hijacked stream through the SSH channel, stats over
 * the same connection, one SSH login for all of it; a key the server does not accept is "auth failed".
 */
const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const service = uniqueName('reach-ssh');
let peer: SshPeer;
let manager: DockerConnection;
let task: { nodeId: string; containerId: string };

beforeAll(async () => {
  peer = await startSshPeer({ dockerSocket: w1.socket });
  writeFileSync(join(peer.dir, 'known_hosts'), `${peer.knownHostsLine}\n`);
  manager = await createConnector({ env: {} })({ kind: 'unix', socketPath: m1.socket });
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', '1', '--constraint', 'node.role==worker', 'local/busybox:1', 'sleep', '1d']);
  const line = await waitFor('the task running on the worker', 120_000, async () => {
    const out = (await dockerCli(m1, ['service', 'ps', service, '--no-trunc', '--filter', 'desired-state=running', '--format', '{{.ID}} {{.CurrentState}}'])).trim();
    return /^\w+ Running/.test(out) ? out : null;
  }, 1000);
  const [nodeId = '', containerId = ''] = (await dockerCli(m1, ['inspect', line.split(' ')[0]!, '--format', '{{.NodeID}} {{.Status.ContainerStatus.ContainerID}}'])).trim().split(' ');
  task = { nodeId, containerId };
});
afterAll(async () => {
  await manager?.close();
  await peer?.stop();
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
});

function pool(identityFile: string): NodeConnections {
  const rules: NodeEndpointRules = { map: { [w1.hostname]: `ssh://root@127.0.0.1:${peer.port}` }, ssh: { identityFile, socketPath: w1.socket } };
  return new NodeConnections({
    rules,
    managers: [{ kind: 'unix', socketPath: m1.socket }],
    connector: createConnector({ env: {}, home: peer.dir, knownHostsFiles: [join(peer.dir, 'known_hosts')], sshConfigFile: join(peer.dir, 'no-config'), notice: () => {}, connectTimeoutMs: 20_000 }),
    manager: () => ({ connection: manager, nodeId: 'not-this-node' }),
    node: (id) => (id === task.nodeId ? { id, hostname: w1.hostname, addr: w1.ip } : null),
  });
}

/** A terminal of plain streams: what the container writes is collected, what is "typed" is written to stdin. */
function terminal(): { term: ExecTerminal; typed: PassThrough; output: () => string } {
  let out = '';
  const stdout = Object.assign(new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString('utf8')), cb()) }), { rows: 30, columns: 90 });
  const typed = new PassThrough();
  return { term: { stdin: typed as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream }, typed, output: () => out };
}

describe('a node reached over SSH', () => {
  it('runs an exec with a TTY and streams stats over one SSH connection', async () => {
    const nodes = pool(peer.clientKey);
    const before = peer.logins();
    try {
      const conn = await nodes.connect(task.nodeId);
      expect(conn.endpoint).toMatch(/^ssh:\/\/root@127\.0\.0\.1/);
      const { term, typed, output } = terminal();
      const ran = execInteractive(conn, task.containerId, ['sh'], term);
      typed.write('echo "in=$(hostname)"; stty size; exit 3\n');
      const r = await ran;
      expect(r.exitCode).toBe(3);
      expect(output()).toContain(`in=${task.containerId.slice(0, 12)}`);
      expect(output()).toMatch(/30 90/);

      const abort = new AbortController();
      let samples = 0;
      const following = followStats(conn, task.containerId, abort.signal, () => {
        samples += 1;
        if (samples >= 2) abort.abort();
      });
      await following;
      expect(samples).toBeGreaterThanOrEqual(2);
      expect(await nodes.connect(task.nodeId)).toBe(conn);
      expect(peer.logins() - before).toBe(1);
    } finally {
      await nodes.close();
    }
  });

  it('says "auth failed" for a key the server does not take, and does not retry at once', async () => {
    const other = join(peer.dir, 'other_key');
    const { execFileSync } = await import('node:child_process');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other]);
    const nodes = pool(other);
    try {
      await expect(nodes.connect(task.nodeId)).rejects.toThrow(new RegExp(`node ${w1.hostname}: auth failed`));
      expect(nodes.failure(task.nodeId)).toMatch(/auth failed/);
    } finally {
      await nodes.close();
    }
  });
});
