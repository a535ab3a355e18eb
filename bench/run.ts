/**
 * `npm run bench`: prints the figures the issues set targets for, each measured side by side in one run.
 * Real lab for everything Docker does; a simulated engine (named so) only for scale beyond one machine.
 *   --lab-id N (default 9) --services 200 --tasks 50000 --rollout-replicas 1000 --keep-lab
 *   --only sim|lab|ssh|rollout|timeline|fleet (repeatable)
 *   --fleet-lab-ids 190,191,192 (the fleet's three small labs) --fleet-settle 60 --fleet-window 120 (seconds)
 */
import { parseArgs } from 'node:util';
import { labDown, labUp } from '../lab/lab.js';
import { loadServices } from './lab-load.js';
import { engineJson, engineRequest } from './engine-http.js';
import { runProbe, simulatedFleet, simulatedRss } from './simulation.js';
import { measureSshLatency } from './ssh-latency.js';
import { median, ms, percentile, printFigures, ratio, type Figure } from './stats.js';

const { values } = parseArgs({
  options: {
    'lab-id': { type: 'string', default: '9' },
    services: { type: 'string', default: '200' },
    tasks: { type: 'string', default: '50000' },
    'rollout-replicas': { type: 'string', default: '1000' },
    'keep-lab': { type: 'boolean', default: false },
    only: { type: 'string', multiple: true },
    'fleet-lab-ids': { type: 'string', default: '190,191,192' },
    'fleet-settle': { type: 'string', default: '60' },
    'fleet-window': { type: 'string', default: '120' },
  },
});
const labId = Number(values['lab-id']);
const services = Number(values.services);
const tasks = Number(values.tasks);
const rolloutReplicas = Number(values['rollout-replicas']);
const only = new Set(values.only ?? ['sim', 'lab', 'ssh', 'rollout', 'timeline', 'fleet']);
const log = (l: string): void => void process.stderr.write(`[bench] ${l}\n`);
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number') : []);
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN);
const window = (r: Record<string, unknown>): string => `${num(r.idleWindowS).toFixed(0)} s after ${num(r.idleSettleS).toFixed(0)} s settle`;

async function simulationFigures(): Promise<void> {
  const scale = { nodes: 5000, managers: 5, services: 500, tasks: 100_000 };
  log(`SIMULATION: simulated engine with ${scale.nodes} nodes, ${scale.tasks} tasks`);
  const r = await simulatedRss(scale);
  printFigures('Memory at swarm3k scale (SIMULATED engine replaying generated API payloads)', [
    { name: 'RSS, 100,000 tasks / 5,000 nodes', value: `${num(r.rssMb).toFixed(0)} MB (heap ${num(r.heapUsedMb).toFixed(0)} MB)`, target: '<= 250 MB', met: num(r.rssMb) <= 250 },
    { name: `idle CPU, nothing changing (${window(r)}, simulated)`, value: `${num(r.idleCpuPct).toFixed(2)} % of a core (RSS after ${num(r.rssAfterIdleMb).toFixed(0)} MB)`, target: '<= 1 %', met: num(r.idleCpuPct) <= 1 },
    { name: 'first complete frame (simulated)', value: ms(num(r.firstFrameMs)), target: `payload ${r.payloadMb.toFixed(0)} MB`, met: null },
  ]);
}

/** A tenth of the console's RSS budget at swarm3k scale (250 MB). */
const TIMELINE_TARGET_MB = 25;

async function timelineFigures(): Promise<void> {
  log('timeline: heap of a full ring (own process, --expose-gc)');
  const r = await runProbe([], 120_000, 'timeline-memory');
  const mb = num(r.mb);
  const withSearch = num(r.mbWithSearch);
  printFigures('Incident timeline memory (a full ring of realistic entries, no Docker involved)', [
    { name: `timeline heap at ${num(r.entries).toLocaleString('en-US')} entries`, value: `${mb.toFixed(1)} MB (${num(r.bytesPerEntry).toFixed(0)} bytes/entry)`, target: `<= ${TIMELINE_TARGET_MB} MB`, met: mb <= TIMELINE_TARGET_MB },
    { name: 'the same after a / filter built every search key', value: `${withSearch.toFixed(1)} MB`, target: `<= ${TIMELINE_TARGET_MB} MB`, met: withSearch <= TIMELINE_TARGET_MB },
  ]);
}

async function waitConverged(socket: string, name: string, replicas: number): Promise<void> {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    const s = await engineJson<{ ServiceStatus?: { RunningTasks?: number } }[]>(socket, `/v1.41/services?status=true&filters=${encodeURIComponent(JSON.stringify({ name: [name] }))}`);
    const running = s[0]?.ServiceStatus?.RunningTasks ?? 0;
    if (running >= replicas) return;
    if (Date.now() > deadline) throw new Error(`${name}: only ${running}/${replicas} running after 10 minutes`);
    await new Promise((r) => setTimeout(r, 3000));
  }
}

async function labFigures(socket: string): Promise<void> {
  await loadServices(socket, services, tasks, log);
  log('console probe: first frame, idle CPU, keystrokes');
  const r = await runProbe(['frame', socket, String(services)], 600_000);
  const raw = (Array.isArray(r.raw) ? r.raw : []).map((x) => num((x as { ms?: unknown }).ms));
  const rawMs = median(raw);
  const first = num(r.firstFrameMs);
  const keys = (name: string, v: unknown, target = 33): Figure => {
    const s = nums(v);
    const p95 = percentile(s, 95);
    return { name: `keystroke→frame ${name} (p50 / p95, n=${s.length})`, value: `${ms(percentile(s, 50))} / ${ms(p95)}`, target: `p95 <= ${target} ms`, met: p95 <= target };
  };
  const resyncPct = (num(r.resyncCpuMs) / num(r.resyncEveryMs)) * 100;
  const idleTotal = num(r.idleCpuPct) + resyncPct;
  printFigures(`Real lab: 3 managers + 1 worker, ${services} services, ${tasks} tasks`, [
    { name: 'raw fetch of the snapshot endpoints', value: ms(rawMs), target: 'baseline (curl-like, parallel)', met: null },
    { name: 'first complete frame', value: `${ms(first)} (${ratio(first, rawMs)})`, target: '<= 1.5x raw', met: first <= 1.5 * rawMs },
    keys('j/k/g/G in tasks pane', r.nav),
    keys('sort o/O', r.sort),
    keys('typing into / filter', r.filter),
    { name: `idle CPU, nothing changing (${window(r)})`, value: `${num(r.idleCpuPct).toFixed(2)} % of a core`, target: '', met: null },
    { name: 'backstop resync (full re-read), amortized', value: `${num(r.resyncCpuMs).toFixed(0)} ms CPU every ${(num(r.resyncEveryMs) / 60_000).toFixed(1)} min: ${resyncPct.toFixed(2)} %`, target: '', met: null },
    { name: 'idle CPU with the resync', value: `${idleTotal.toFixed(2)} % of a core`, target: '<= 1 %', met: idleTotal <= 1 },
    { name: 'RSS of the console', value: `${num(r.rssMb).toFixed(0)} MB`, target: '', met: null },
  ]);
}

async function rolloutFigures(socket: string): Promise<void> {
  // The console watches the rollout beside the pending tasks of the load (also when run alone).
  await loadServices(socket, services, tasks, log);
  const name = 'bench-rollout';
  const existing = await engineRequest(socket, 'GET', `/v1.41/services/${name}`);
  if (existing.status === 404) {
    const res = await engineRequest(socket, 'POST', '/v1.41/services/create', {
      Name: name,
      TaskTemplate: { ContainerSpec: { Image: 'local/busybox:1' } },
      Mode: { Replicated: { Replicas: rolloutReplicas } },
      UpdateConfig: { Parallelism: 50, Delay: 0, FailureAction: 'pause', Monitor: 1e9, Order: 'stop-first' },
    });
    if (res.status !== 201) throw new Error(`create ${name}: ${res.status} ${res.body}`);
  }
  log(`waiting for ${rolloutReplicas} real containers`);
  await waitConverged(socket, name, rolloutReplicas);
  log('console probe: rolling update');
  const r = await runProbe(['rollout', socket, String(services + 1), name], 900_000);
  const s = nums(r.keys);
  const p95 = percentile(s, 95);
  printFigures(`Rolling update of ${rolloutReplicas} real replicas (parallelism 50), console on the tasks of ${tasks} more`, [
    { name: 'console CPU during the rollout', value: `${num(r.cpuPct).toFixed(1)} % of a core over ${num(r.seconds).toFixed(0)} s`, target: `update ${String(r.finalState)}`, met: null },
    { name: `keystroke→frame during rollout (p50 / p95, n=${s.length})`, value: `${ms(percentile(s, 50))} / ${ms(p95)}`, target: 'p95 <= 33 ms', met: p95 <= 33 },
  ]);
  await engineRequest(socket, 'DELETE', `/v1.41/services/${name}`);
}

async function sshFigures(socket: string): Promise<void> {
  log('ssh latency: unix socket vs our one-connection SSH transport vs dockerode default ssh');
  const r = await measureSshLatency({ socketPath: socket });
  printFigures('Per-call latency (GET /_ping, after connect)', [
    { name: 'unix socket', value: `${ms(r.unix.p50Ms)} p50 / ${ms(r.unix.p95Ms)} p95`, target: 'baseline', met: null },
    { name: 'swarmtop SSH (one multiplexed connection)', value: `${ms(r.ours.p50Ms)} p50 (${r.oursVsUnix.toFixed(2)}x unix)`, target: '<= 2x unix', met: r.oursVsUnix <= 2 },
    { name: "dockerode's default ssh transport", value: `${ms(r.dockerodeSsh.p50Ms)} p50 (${r.dockerodeVsOurs.toFixed(0)}x ours)`, target: `ssh logins: ours ${r.sshLogins.ours} for ${r.ours.calls} calls, dockerode ${r.sshLogins.dockerode} for ${r.dockerodeSsh.calls}`, met: null },
  ]);
}

/** The fleet: ten SIMULATED clusters of 5,000 tasks, then three real small labs side by side, each watched light. */
async function fleetFigures(): Promise<void> {
  const settle = Number(values['fleet-settle']);
  const idle = Number(values['fleet-window']);
  const scale = { nodes: 50, managers: 3, services: 50, tasks: 5000 };
  log(`SIMULATION: 10 simulated engines of ${scale.tasks} tasks each (${scale.services} services never converging), the fleet watching them`);
  const sim = await simulatedFleet(10, scale, settle, idle);
  const ids = (values['fleet-lab-ids'] ?? '').split(',').map(Number);
  log(`fleet labs ${ids.join(', ')}: up (1 manager + 1 worker each), 20 services / 2,000 pending tasks each`);
  const labs = [];
  for (const id of ids) labs.push(await labUp(id, { managers: 1, workers: 1, log }));
  let real: Record<string, unknown>;
  try {
    const sockets = labs.map((l) => l.nodes[0]?.socket ?? '');
    for (const s of sockets) await loadServices(s, 20, 2000, log);
    real = await runProbe([String(settle), String(idle), ...sockets], 900_000, 'fleet-probe');
  } finally {
    if (!values['keep-lab']) for (const id of ids) await labDown(id, log);
  }
  const w = (r: Record<string, unknown>): string => `${num(r.idleWindowS).toFixed(0)} s after ${num(r.idleSettleS).toFixed(0)} s settle`;
  printFigures('Fleet: every context watched light (heartbeat + events; tasks only of unconverged services), side by side', [
    { name: `idle CPU, 10 SIMULATED clusters × 5,000 tasks (${w(sim)})`, value: `${num(sim.idleCpuPct).toFixed(2)} % of a core`, target: '<= 1 %', met: num(sim.idleCpuPct) <= 1 },
    { name: 'RSS, 10 SIMULATED clusters × 5,000 tasks', value: `${num(sim.rssMb).toFixed(0)} MB (heap ${num(sim.heapUsedMb).toFixed(0)} MB)`, target: '', met: null },
    { name: 'first frame with all 10 live (SIMULATED)', value: ms(num(sim.firstFrameMs)), target: '', met: null },
    { name: `idle CPU, 3 real lab swarms × 2,000 tasks (${w(real)})`, value: `${num(real.idleCpuPct).toFixed(2)} % of a core`, target: '<= 1 %', met: num(real.idleCpuPct) <= 1 },
    { name: 'RSS, 3 real lab swarms', value: `${num(real.rssMb).toFixed(0)} MB (heap ${num(real.heapUsedMb).toFixed(0)} MB)`, target: '', met: null },
    { name: 'first frame with all 3 live (real labs)', value: ms(num(real.firstFrameMs)), target: '', met: null },
  ]);
}

async function main(): Promise<void> {
  process.stdout.write(`# swarmtop bench — ${new Date().toISOString()} — node ${process.version}\n`);
  if (only.has('timeline')) await timelineFigures();
  if (only.has('sim')) await simulationFigures();
  if (only.has('fleet')) await fleetFigures();
  if (!['lab', 'ssh', 'rollout'].some((k) => only.has(k))) return;
  log(`lab ${labId}: up`);
  const lab = await labUp(labId, { managers: 3, workers: 1, log });
  const socket = lab.nodes[0]?.socket;
  if (!socket) throw new Error('the lab has no first node');
  try {
    if (only.has('ssh')) await sshFigures(socket);
    if (only.has('lab')) await labFigures(socket);
    if (only.has('rollout')) await rolloutFigures(socket);
  } finally {
    if (!values['keep-lab']) await labDown(labId, log);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
