import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { labLayout, nodeLayout, type LabLayout, type LabNode } from './layout.js';
import { ensureLabDependencies } from './deps.js';
import { createBridge, createNodeNetwork, destroyLabNetwork, setNodeLink } from './network.js';
import { addLabForwardRule, removeLabForwardRule } from './firewall.js';
import { engineAnswers, enginePid, startEngine, stopEngine, type EngineOptions } from './engine.js';
import { killLabProcesses } from './processes.js';
import { unmountUnder } from './mounts.js';
import { importImages } from './images.js';
import { formSwarm, nodeRows, type NodeRow } from './swarm.js';

export interface LabState {
  id: number;
  bridge: string;
  subnet: string;
  createdAt: string;
  nodes: LabNode[];
  /** Extra dockerd arguments per node name, so a restarted engine comes back exactly as it was. */
  engineArgs: Record<string, string[]>;
}

export interface UpOptions {
  managers: number;
  workers: number;
  log?: (line: string) => void;
}

export function readLabState(id: number): LabState | null {
  const file = labLayout(id).stateFile;
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as LabState;
}

function writeLabState(lab: LabLayout, state: LabState): void {
  writeFileSync(lab.stateFile, `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes everything a lab with this id may have left: processes, mounts, namespaces, bridge, files. */
export async function cleanLab(id: number, log: (line: string) => void = () => {}): Promise<void> {
  const lab = labLayout(id);
  const state = readLabState(id);
  // A clean engine shutdown first (it stops its containers); whatever remains is killed below.
  if (state) await Promise.all(state.nodes.map((n) => stopEngine(n, 'SIGTERM', 20_000).catch(() => undefined)));
  const killed = await killLabProcesses([lab.runRoot, lab.dataRoot]);
  const unmounted = await unmountUnder([lab.runRoot, lab.dataRoot]);
  await destroyLabNetwork(lab);
  const rules = await removeLabForwardRule(lab);
  if (rules > 0) log(`lab ${id}: removed its firewall rule from the host (${rules})`);
  rmSync(lab.runRoot, { recursive: true, force: true });
  rmSync(lab.dataRoot, { recursive: true, force: true });
  if (killed + unmounted > 0) log(`cleaned lab ${id}: ${killed} processes stopped, ${unmounted} mounts detached`);
}

export async function labUp(id: number, opts: UpOptions): Promise<LabState> {
  const log = opts.log ?? (() => {});
  if (opts.managers < 1 || opts.managers > 7) throw new Error('--managers must be 1..7');
  if (opts.workers < 0 || opts.workers > 20) throw new Error('--workers must be 0..20');
  await ensureLabDependencies(log);
  await cleanLab(id, log);
  const lab = labLayout(id);
  mkdirSync(lab.runRoot, { recursive: true });
  mkdirSync(lab.dataRoot, { recursive: true });
  const nodes: LabNode[] = [];
  for (let i = 1; i <= opts.managers; i++) nodes.push(nodeLayout(lab, 'manager', i, nodes.length + 1));
  for (let i = 1; i <= opts.workers; i++) nodes.push(nodeLayout(lab, 'worker', i, nodes.length + 1));
  const state: LabState = {
    id,
    bridge: lab.bridge,
    subnet: `${lab.subnetPrefix}.0/24`,
    createdAt: new Date().toISOString(),
    nodes,
    engineArgs: {},
  };
  writeLabState(lab, state);
  log(`lab ${id}: bridge ${lab.bridge} ${state.subnet}`);
  await createBridge(lab);
  await addLabForwardRule(lab, log);
  for (const n of nodes) await createNodeNetwork(lab, n);
  await Promise.all(nodes.map((n) => startEngine(n)));
  log(`lab ${id}: ${nodes.length} engines up`);
  await formSwarm(nodes);
  log(`lab ${id}: swarm formed (${opts.managers} managers, ${opts.workers} workers)`);
  await importImages(lab, nodes);
  log(`lab ${id}: images imported on every node`);
  return state;
}

export async function labDown(id: number, log: (line: string) => void = () => {}): Promise<void> {
  await cleanLab(id, log);
}

export interface NodeStatus {
  node: LabNode;
  enginePid: number | null;
  answers: boolean;
}

export async function labStatus(id: number): Promise<{ state: LabState; nodes: NodeStatus[]; swarm: NodeRow[] | null } | null> {
  const state = readLabState(id);
  if (!state) return null;
  const nodes = await Promise.all(state.nodes.map(async (node) => ({ node, enginePid: enginePid(node), answers: await engineAnswers(node) })));
  let swarm: NodeRow[] | null = null;
  for (const s of nodes) {
    if (s.node.role !== 'manager' || !s.answers) continue;
    swarm = await nodeRows(s.node).catch(() => null);
    if (swarm) break;
  }
  return { state, nodes, swarm };
}

/** A handle on a running lab for tests: find nodes, kill/restart engines, cut links. */
export class Lab {
  constructor(readonly state: LabState) {}

  static open(id: number): Lab {
    const state = readLabState(id);
    if (!state) throw new Error(`lab ${id} is not up (npm run lab -- up)`);
    return new Lab(state);
  }

  get nodes(): readonly LabNode[] {
    return this.state.nodes;
  }

  get managers(): readonly LabNode[] {
    return this.state.nodes.filter((n) => n.role === 'manager');
  }

  get workers(): readonly LabNode[] {
    return this.state.nodes.filter((n) => n.role === 'worker');
  }

  node(name: string): LabNode {
    const n = this.state.nodes.find((x) => x.name === name || x.hostname === name);
    if (!n) throw new Error(`no lab node ${name}`);
    return n;
  }

  async stopEngine(name: string, sig: 'SIGTERM' | 'SIGKILL' = 'SIGKILL'): Promise<void> {
    await stopEngine(this.node(name), sig);
  }

  async startEngine(name: string, opts: EngineOptions = {}): Promise<void> {
    const node = this.node(name);
    const extraArgs = opts.extraArgs ?? this.state.engineArgs[node.name] ?? [];
    await startEngine(node, { extraArgs });
  }

  /** Restarts a node's engine with extra arguments (e.g. a TLS listener) and remembers them. */
  async reconfigureEngine(name: string, extraArgs: readonly string[]): Promise<void> {
    const node = this.node(name);
    await stopEngine(node, 'SIGTERM');
    this.state.engineArgs[node.name] = [...extraArgs];
    writeLabState(labLayout(this.state.id), this.state);
    await startEngine(node, { extraArgs });
  }

  async setLink(name: string, up: boolean): Promise<void> {
    await setNodeLink(this.node(name), up);
  }
}
