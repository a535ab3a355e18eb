import path from 'node:path';

/**
 * Where one lab lives. Several labs can run side by side (one per developer or CI job) because
 * every name, path and subnet is derived from the lab id; nothing is shared with the user's own
 * engine (/var/run/docker.sock, /var/lib/docker).
 */
export interface LabLayout {
  id: number;
  runRoot: string;
  dataRoot: string;
  stateFile: string;
  bridge: string;
  subnetPrefix: string;
  gateway: string;
  netnsPrefix: string;
  vethPrefix: string;
}

export type NodeRole = 'manager' | 'worker';

export interface LabNode {
  name: string;
  hostname: string;
  role: NodeRole;
  ip: string;
  netns: string;
  veth: string;
  socket: string;
  dataRoot: string;
  execRoot: string;
  pidfile: string;
  logFile: string;
}

export const DEFAULT_LAB_ID = 0;
/** The e2e suite uses its own lab so it never tears down one a developer is using. */
export const TEST_LAB_ID = 1;

export function labIdFromEnv(fallback: number): number {
  const raw = process.env.SWARMTOP_LAB_ID;
  if (raw === undefined || raw === '') return fallback;
  const id = Number(raw);
  if (!Number.isInteger(id) || id < 0 || id > 199) throw new Error(`SWARMTOP_LAB_ID must be an integer 0..199, got ${JSON.stringify(raw)}`);
  return id;
}

export function labLayout(id: number): LabLayout {
  const runRoot = `/run/swarmtop-lab/${id}`;
  return {
    id,
    runRoot,
    dataRoot: `/var/lib/swarmtop-lab/${id}`,
    stateFile: path.join(runRoot, 'lab.json'),
    bridge: `stlab${id}`,
    subnetPrefix: `10.99.${id}`,
    gateway: `10.99.${id}.1`,
    netnsPrefix: `stlab${id}-`,
    vethPrefix: `stl${id}-`,
  };
}

export function nodeLayout(lab: LabLayout, role: NodeRole, index: number, ordinal: number): LabNode {
  const name = `${role === 'manager' ? 'm' : 'w'}${index}`;
  const runDir = path.join(lab.runRoot, name);
  return {
    name,
    hostname: `lab-${name}`,
    role,
    ip: `${lab.subnetPrefix}.${10 + ordinal}`,
    netns: `${lab.netnsPrefix}${name}`,
    veth: `${lab.vethPrefix}${name}`,
    socket: path.join(runDir, 'docker.sock'),
    dataRoot: path.join(lab.dataRoot, name),
    execRoot: path.join(runDir, 'exec'),
    pidfile: path.join(runDir, 'docker.pid'),
    logFile: path.join(runDir, 'dockerd.log'),
  };
}
