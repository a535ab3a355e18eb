/** SIMULATION phase of the benchmark: memory at a scale beyond one machine (a simulated engine). */
import { spawn } from 'node:child_process';
import { startSimulatedEngine, type SimulatedScale } from './simulated-engine.js';

export interface ProbeResult {
  [key: string]: unknown;
}

/** Runs a probe (bench/console-probe.ts by default) in its own Node process (with --expose-gc) and parses its JSON line. */
export function runProbe(args: readonly string[], timeoutMs: number, probe = 'console-probe'): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    // Compiled JS (tsc -p tsconfig.bench.json), as the console runs for operators: no loader in the figures.
    // SWARMTOP_BENCH_CPU_PROF=DIR: a V8 CPU profile of the probe in DIR (phases are logged with their times).
    const prof = process.env.SWARMTOP_BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.SWARMTOP_BENCH_CPU_PROF}`] : [];
    const child = spawn(process.execPath, ['--expose-gc', ...prof, `.bench/build/bench/${probe}.js`, ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${probe} ${args[0] ?? ''} exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as ProbeResult);
    });
  });
}

export async function simulatedRss(scale: SimulatedScale): Promise<ProbeResult & { payloadMb: number }> {
  const socket = `/tmp/swarmtop-simulated-engine-${process.pid}.sock`;
  const engine = await startSimulatedEngine(socket, scale);
  try {
    const r = await runProbe(['rss', socket, String(scale.services)], 600_000);
    return { ...r, payloadMb: engine.bytes / 2 ** 20 };
  } finally {
    await engine.close();
  }
}

/** SIMULATION: `count` simulated engines side by side, the console's fleet watching all of them. */
export async function simulatedFleet(count: number, scale: SimulatedScale, settleS: number, windowS: number): Promise<ProbeResult> {
  const sockets = Array.from({ length: count }, (_, i) => `/tmp/swarmtop-simulated-fleet-${process.pid}-${i}.sock`);
  const engines = await Promise.all(sockets.map((s) => startSimulatedEngine(s, scale)));
  try {
    return await runProbe([String(settleS), String(windowS), ...sockets], 900_000, 'fleet-probe');
  } finally {
    await Promise.all(engines.map((e) => e.close()));
  }
}
