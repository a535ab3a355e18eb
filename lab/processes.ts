import { readFileSync, readdirSync } from 'node:fs';
import { sleep } from './sh.js';

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

function listProcesses(): Proc[] {
  const out: Proc[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name in stat may contain spaces and parentheses: ppid is the 2nd field after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(entry), ppid, cmdline });
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export async function waitForExit(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every((p) => !isAlive(p))) return true;
    await sleep(100);
  }
  return pids.every((p) => !isAlive(p));
}

/**
 * Kills every process that belongs to the lab: the engines and containerds (their command lines name
 * the lab's own directories), the containerd shims, and the container processes under those shims
 * (which name nothing of the lab, so they are found through their parent).
 */
export async function killLabProcesses(roots: readonly string[]): Promise<number> {
  const procs = listProcesses();
  // Match "root/" so lab 2 never matches lab 20.
  const owned = procs.filter((p) => p.pid !== process.pid && roots.some((r) => p.cmdline.includes(`${r}/`)));
  const shims = new Set(owned.filter((p) => p.cmdline.includes('containerd-shim')).map((p) => p.pid));
  const containers = procs.filter((p) => shims.has(p.ppid));
  const victims = [...containers, ...owned].map((p) => p.pid);
  for (const pid of victims) signal(pid, 'SIGTERM');
  if (!(await waitForExit(victims, 5000))) {
    for (const pid of victims) signal(pid, 'SIGKILL');
    await waitForExit(victims, 5000);
  }
  return victims.length;
}
