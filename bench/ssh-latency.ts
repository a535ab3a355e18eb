import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Docker from 'dockerode';
import { createConnector } from '../src/docker/connect/connector.js';
import type { DockerConnection } from '../src/docker/connection.js';
import { startSshPeer } from '../test/e2e/setup/peers/sshd.js';

export interface LatencyFigures {
  transport: string;
  calls: number;
  p50Ms: number;
  p95Ms: number;
}

export interface SshLatencyResult {
  unix: LatencyFigures;
  ours: LatencyFigures;
  dockerodeSsh: LatencyFigures;
  /** ours p50 / unix p50: the target is <= 2. */
  oursVsUnix: number;
  dockerodeVsOurs: number;
  /** SSH logins the server saw: ours for all its calls, dockerode's for its (fewer) calls. */
  sshLogins: { ours: number; dockerode: number };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** GET /_ping `calls` times after a warm-up call; per-call wall time. */
async function measure(transport: string, docker: Docker, calls: number): Promise<LatencyFigures> {
  await docker.ping();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await docker.ping();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { transport, calls, p50Ms: percentile(times, 50), p95Ms: percentile(times, 95) };
}

/**
 * Per-call latency over the unix socket, our SSH transport (one multiplexed connection) and
 * dockerode's own ssh transport (a new SSH connection per request), against a real openssh-server
 * on loopback forwarding to a lab node's engine socket.
 */
export async function measureSshLatency(opts: { socketPath: string; calls?: number; dockerodeCalls?: number }): Promise<SshLatencyResult> {
  const calls = opts.calls ?? 200;
  const dockerodeCalls = opts.dockerodeCalls ?? Math.min(calls, 20);
  const peer = await startSshPeer({ dockerSocket: opts.socketPath });
  let unixConn: DockerConnection | null = null;
  let sshConn: DockerConnection | null = null;
  try {
    const knownHosts = join(peer.dir, 'known_hosts');
    writeFileSync(knownHosts, `${peer.knownHostsLine}\n`);
    const connector = createConnector({ env: {}, home: peer.dir, knownHostsFiles: [knownHosts], sshConfigFile: join(peer.dir, 'none'), notice: () => {} });
    unixConn = await connector({ kind: 'unix', socketPath: opts.socketPath });
    sshConn = await connector({ kind: 'ssh', host: '127.0.0.1', port: peer.port, user: 'root', identityFile: peer.clientKey, socketPath: opts.socketPath });
    const unix = await measure('unix socket', unixConn.docker, calls);
    const ours = await measure('swarmtop ssh (one connection)', sshConn.docker, calls);
    const oursLogins = peer.logins();
    // dockerode's default: protocol ssh, `docker system dial-stdio` over a NEW ssh connection per request.
    const dockerodeSsh = new Docker({
      protocol: 'ssh',
      host: '127.0.0.1',
      port: peer.port,
      username: 'root',
      sshOptions: { privateKey: readFileSync(peer.clientKey) },
    });
    const theirs = await measure('dockerode ssh (default)', dockerodeSsh, dockerodeCalls);
    return {
      unix,
      ours,
      dockerodeSsh: theirs,
      oursVsUnix: ours.p50Ms / unix.p50Ms,
      dockerodeVsOurs: theirs.p50Ms / ours.p50Ms,
      sshLogins: { ours: oursLogins, dockerode: peer.logins() - oursLogins },
    };
  } finally {
    await sshConn?.close();
    await unixConn?.close();
    await peer.stop();
  }
}

export function formatSshLatency(r: SshLatencyResult): string {
  const row = (f: LatencyFigures): string => `  ${f.transport.padEnd(32)} p50 ${f.p50Ms.toFixed(2).padStart(8)} ms   p95 ${f.p95Ms.toFixed(2).padStart(8)} ms   (${f.calls} calls)`;
  return [
    'SSH latency (GET /_ping after connect)',
    row(r.unix),
    row(r.ours),
    row(r.dockerodeSsh),
    `  ours / unix p50: ${r.oursVsUnix.toFixed(2)}x (target <= 2x)   dockerode ssh / ours p50: ${r.dockerodeVsOurs.toFixed(1)}x   ssh logins: ours ${r.sshLogins.ours}, dockerode ${r.sshLogins.dockerode}`,
  ].join('\n');
}

/** `tsx bench/ssh-latency.ts`: measures against node m1 of the lab SWARMTOP_LAB_ID (default 0). */
async function main(): Promise<void> {
  const { labIdFromEnv, labLayout, nodeLayout } = await import('../lab/layout.js');
  const socketPath = nodeLayout(labLayout(labIdFromEnv(0)), 'manager', 1, 1).socket;
  process.stdout.write(`${formatSshLatency(await measureSshLatency({ socketPath, calls: Number(process.env.BENCH_CALLS ?? 200) }))}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`ssh-latency: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
