import type { LabNode } from './layout.js';
import { run, waitFor } from './sh.js';

export function docker(node: LabNode, args: readonly string[], timeout = 60_000): Promise<string> {
  return run('docker', ['-H', `unix://${node.socket}`, ...args], { timeout }).then((r) => r.stdout);
}

export interface NodeRow {
  id: string;
  hostname: string;
  status: string;
  availability: string;
  managerStatus: string;
}

export async function nodeRows(via: LabNode): Promise<NodeRow[]> {
  const out = await docker(via, ['node', 'ls', '--format', '{{json .}}'], 10_000);
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const o = JSON.parse(l) as Record<string, string>;
      return {
        id: o.ID ?? '',
        hostname: o.Hostname ?? '',
        status: o.Status ?? '',
        availability: o.Availability ?? '',
        managerStatus: o.ManagerStatus ?? '',
      };
    });
}

/** Forms the swarm: the first manager initialises, the rest join with real join tokens. */
export async function formSwarm(nodes: readonly LabNode[]): Promise<void> {
  const [first, ...rest] = nodes;
  if (!first || first.role !== 'manager') throw new Error('the first lab node must be a manager');
  await docker(first, ['swarm', 'init', '--advertise-addr', first.ip, '--listen-addr', `${first.ip}:2377`]);
  const managerToken = (await docker(first, ['swarm', 'join-token', '-q', 'manager'])).trim();
  const workerToken = (await docker(first, ['swarm', 'join-token', '-q', 'worker'])).trim();
  // One at a time: each new manager must be in the raft before the next joins, or joins race quorum.
  for (const n of rest) {
    const token = n.role === 'manager' ? managerToken : workerToken;
    await docker(n, ['swarm', 'join', '--token', token, '--advertise-addr', n.ip, '--listen-addr', `${n.ip}:2377`, `${first.ip}:2377`]);
  }
  await waitForReady(first, nodes.length);
}

export async function waitForReady(via: LabNode, count: number, timeoutMs = 90_000): Promise<NodeRow[]> {
  return waitFor(`${count} nodes Ready`, timeoutMs, async () => {
    const rows = await nodeRows(via);
    return rows.length === count && rows.every((r) => r.status === 'Ready') ? rows : null;
  }, 500);
}
