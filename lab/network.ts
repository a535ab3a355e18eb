import type { LabLayout, LabNode } from './layout.js';
import { run, tryRun } from './sh.js';

export async function createBridge(lab: LabLayout): Promise<void> {
  await run('ip', ['link', 'add', lab.bridge, 'type', 'bridge']);
  await run('ip', ['addr', 'add', `${lab.gateway}/24`, 'dev', lab.bridge]);
  await run('ip', ['link', 'set', lab.bridge, 'up']);
}

/**
 * Gives the node its own network namespace, wired to the lab bridge by a veth pair. Deliberately no
 * default route: an engine can reach only the lab subnet, so a registry or DNS lookup fails at once
 * instead of leaving the machine (and instead of stalling each task start on a timeout).
 */
export async function createNodeNetwork(lab: LabLayout, node: LabNode): Promise<void> {
  await run('ip', ['netns', 'add', node.netns]);
  await run('ip', ['link', 'add', node.veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', node.netns]);
  await run('ip', ['link', 'set', node.veth, 'master', lab.bridge, 'up']);
  await run('ip', ['-n', node.netns, 'addr', 'add', `${node.ip}/24`, 'dev', 'eth0']);
  await run('ip', ['-n', node.netns, 'link', 'set', 'eth0', 'up']);
  await run('ip', ['-n', node.netns, 'link', 'set', 'lo', 'up']);
}

/** Cuts a node off the lab network (or reconnects it) by taking its interface down inside its namespace. */
export async function setNodeLink(node: LabNode, up: boolean): Promise<void> {
  await run('ip', ['-n', node.netns, 'link', 'set', 'eth0', up ? 'up' : 'down']);
}

/** Removes every namespace, veth and bridge of this lab, including ones left by an earlier crashed run. */
export async function destroyLabNetwork(lab: LabLayout): Promise<void> {
  const list = await tryRun('ip', ['netns', 'list']);
  const names = (list?.stdout ?? '')
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(lab.netnsPrefix));
  for (const ns of names) await tryRun('ip', ['netns', 'del', ns]);
  const links = await tryRun('ip', ['-o', 'link', 'show']);
  const ifaces = (links?.stdout ?? '')
    .split('\n')
    .map((l) => /^\d+:\s+([^:@]+)/.exec(l)?.[1] ?? '')
    .filter((n) => n.startsWith(lab.vethPrefix) && n !== lab.bridge);
  for (const i of ifaces) await tryRun('ip', ['link', 'del', i]);
  await tryRun('ip', ['link', 'del', lab.bridge]);
}
