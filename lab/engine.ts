import { spawn } from 'node:child_process';
import { mkdirSync, openSync, closeSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { LabNode } from './layout.js';
import { labEnv, run, waitFor } from './sh.js';
import { isAlive, waitForExit } from './processes.js';

export interface EngineOptions {
  /** Extra dockerd arguments, e.g. a TLS listener on the node's address. */
  extraArgs?: readonly string[];
}

function dockerdArgs(node: LabNode, extra: readonly string[]): string[] {
  return [
    '--data-root', node.dataRoot,
    '--exec-root', node.execRoot,
    '--pidfile', node.pidfile,
    '-H', `unix://${node.socket}`,
    '--bridge=none',
    '--iptables=false',
    '--ip-forward=false',
    '--ip-masq=false',
    '--userland-proxy=false',
    ...extra,
  ];
}

/**
 * Starts the node's dockerd inside its own network namespace and UTS namespace (so `docker node ls`
 * shows its own hostname). nsenter rather than `ip netns exec`: the latter remounts /sys and dockerd
 * then fails with "Devices cgroup isn't mounted".
 */
export async function startEngine(node: LabNode, opts: EngineOptions = {}): Promise<number> {
  mkdirSync(path.dirname(node.socket), { recursive: true });
  mkdirSync(node.dataRoot, { recursive: true });
  const quoted = dockerdArgs(node, opts.extraArgs ?? []).map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const log = openSync(node.logFile, 'a');
  const child = spawn(
    'nsenter',
    [`--net=/var/run/netns/${node.netns}`, 'unshare', '--uts', 'sh', '-c', `hostname '${node.hostname}' && exec dockerd ${quoted}`],
    { detached: true, stdio: ['ignore', log, log], env: labEnv() },
  );
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start dockerd for ${node.name}`);
  await waitFor(`dockerd of ${node.name} to answer on ${node.socket}`, 60_000, async () => {
    if (!isAlive(pid)) throw new Error(`dockerd of ${node.name} exited; see ${node.logFile}:\n${tail(node.logFile)}`);
    const r = await run('docker', ['-H', `unix://${node.socket}`, 'version', '--format', '{{.Server.Version}}'], { timeout: 5000 });
    return r.stdout.trim() !== '';
  }).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n${tail(node.logFile)}`);
  });
  return pid;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '';
  }
}

export function enginePid(node: LabNode): number | null {
  if (!existsSync(node.pidfile)) return null;
  const pid = Number(readFileSync(node.pidfile, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

/**
 * Stops a node's engine. SIGTERM is a clean shutdown (containers stopped, containerd stopped);
 * SIGKILL simulates a crashed engine and leaves containerd and the containers running, as a real
 * crash would.
 */
export async function stopEngine(node: LabNode, sig: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', timeoutMs = 30_000): Promise<void> {
  const pid = enginePid(node);
  if (pid === null) return;
  process.kill(pid, sig);
  if (!(await waitForExit([pid], timeoutMs))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit([pid], 5000);
  }
}

export async function engineAnswers(node: LabNode): Promise<boolean> {
  try {
    await run('docker', ['-H', `unix://${node.socket}`, 'version', '--format', '{{.Server.Version}}'], { timeout: 5000 });
    return true;
  } catch {
    return false;
  }
}
