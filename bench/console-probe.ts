/**
 * Child process of `npm run bench`: runs the real console headless against one engine socket and
 * prints one JSON line of figures. Run in its own process so CPU and RSS are the console's alone.
 *   frame   <socket> <services>   first complete frame vs raw fetch, idle CPU, keystroke latencies
 *   rss     <socket> <services>   RSS after the first complete frame (simulated engine)
 *   rollout <socket> <services> <serviceName>  CPU and keystrokes while a rolling update converges
 */
import { rawSnapshot, engineJson, engineRequest } from './engine-http.js';
import { startHeadlessConsole, type HeadlessConsole } from './headless-console.js';
import { resyncDelayMs } from '../src/docker/live/session.js';
import { DEFAULT_TIMING } from '../src/docker/live/timing.js';
import { median } from './stats.js';

const [mode, socket, servicesArg, rolloutName] = process.argv.slice(2);
if (!mode || !socket || !servicesArg) throw new Error('usage: console-probe frame|rss|rollout <socket> <services> [service]');
const services = Number(servicesArg);
/** Phase marks on stderr, in seconds since the process started (to window a --cpu-prof profile). */
const mark = (phase: string): void => void process.stderr.write(`[probe] ${(performance.now() / 1000).toFixed(1)} s ${phase}\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/**
 * Idle CPU is measured in the steady state: for its first minute the console still digests the first
 * snapshot (V8 collects and shrinks the heap it grew to) and confirms, service by service, which
 * tasks only wait for a node. The backstop resync comes every 1 to 30 minutes (more rarely the more it
 * costs): its share is measured apart, on a resync forced after the window, and added.
 */
const IDLE_SETTLE_MS = 60_000;
const IDLE_WINDOW_MS = 120_000;
const IDLE_WINDOW = { idleSettleS: IDLE_SETTLE_MS / 1000, idleWindowS: IDLE_WINDOW_MS / 1000 };
/** After a resync, the collector still works on what it left: counted as the resync's cost. */
const RESYNC_TAIL_MS = 10_000;
const complete = (text: string): boolean => new RegExp(`services converged \\d+/${services}\\b`).test(text) && /ready \d+\/\d+/.test(text);

function cpuPercentOver<T>(work: () => Promise<T>): Promise<{ result: T; cpuPct: number; wallMs: number }> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  return work().then((result) => {
    const c = process.cpuUsage(c0);
    const wallMs = performance.now() - w0;
    return { result, cpuPct: ((c.user + c.system) / 1000 / wallMs) * 100, wallMs };
  });
}

/** CPU over the idle window, after the settle (see IDLE_SETTLE_MS). */
async function idleWindow(): Promise<{ cpuPct: number }> {
  await sleep(IDLE_SETTLE_MS);
  mark('idle window');
  return cpuPercentOver(() => sleep(IDLE_WINDOW_MS));
}

async function keys(c: HeadlessConsole, seq: readonly string[]): Promise<number[]> {
  const out: number[] = [];
  for (const k of seq) {
    const ms = await c.press(k);
    if (ms !== null) out.push(ms);
    await sleep(40); // a fast typist, and past Ink's frame throttle so each key gets its own frame
  }
  return out;
}

/**
 * First complete frame, side by side with the raw fetch: alternated FIRST_FRAME_RUNS times (the lab's
 * engines are not equally busy from one second to the next), each figure the median of its runs.
 */
const FIRST_FRAME_RUNS = 3;

async function frameMode(): Promise<Record<string, unknown>> {
  const raw: Awaited<ReturnType<typeof rawSnapshot>>[] = [];
  const firstFrames: number[] = [];
  let c: HeadlessConsole | null = null;
  for (let i = 0; i < FIRST_FRAME_RUNS; i++) {
    raw.push(await rawSnapshot(socket!));
    await c?.stop();
    const t0 = performance.now();
    c = startHeadlessConsole(socket!, t0);
    firstFrames.push(await c.waitForFrame(complete, 180_000));
  }
  if (!c) throw new Error('no console started');
  mark('first frame');
  const idle = await idleWindow();
  mark('keystrokes');
  await c.press('3'); // tasks pane: every task in the swarm
  await sleep(500);
  const nav = await keys(c, [...'jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjkkkkkkkkkkGgjjjjj']);
  const sort = await keys(c, ['o', 'o', 'O', 'o']);
  const filter = await keys(c, ['/', ...'bench-1', '\x7f', '\x7f', ...'99', '\r', '\x1b']);
  await c.press('2'); // back to the services pane, where the idle window was measured
  await sleep(IDLE_SETTLE_MS / 4);
  mark('resync');
  const resync = await cpuPercentOver(async () => {
    await c.resync();
    await sleep(RESYNC_TAIL_MS);
  });
  // Its cost beyond the idle rate over the same time, repeated as the live layer repeats it.
  const resyncCpuMs = Math.max(0, ((resync.cpuPct - idle.cpuPct) / 100) * resync.wallMs);
  const resyncEveryMs = resyncDelayMs(resyncCpuMs, DEFAULT_TIMING);
  mark('done');
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  await c.stop();
  return { raw, firstFrameMs: median(firstFrames), firstFrames, idleCpuPct: idle.cpuPct, ...IDLE_WINDOW, resyncCpuMs, resyncEveryMs, nav, sort, filter, rssMb };
}

async function rssMode(): Promise<Record<string, unknown>> {
  const c = startHeadlessConsole(socket!);
  const firstFrameMs = await c.waitForFrame(complete, 300_000);
  await sleep(2000);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(500);
  const m = process.memoryUsage();
  // Nothing changes in the simulated engine: what the console costs while it only watches.
  mark('first frame');
  const idle = await idleWindow();
  mark('done');
  const after = process.memoryUsage().rss;
  await c.stop();
  return { firstFrameMs, rssMb: m.rss / 2 ** 20, heapUsedMb: m.heapUsed / 2 ** 20, idleCpuPct: idle.cpuPct, ...IDLE_WINDOW, rssAfterIdleMb: after / 2 ** 20 };
}

async function rolloutMode(): Promise<Record<string, unknown>> {
  const c = startHeadlessConsole(socket!);
  await c.waitForFrame(complete, 180_000);
  const svc = await engineJson<{ ID: string; Version: { Index: number }; Spec: { TaskTemplate: { ContainerSpec: { Image: string } } } }>(socket!, `/v1.41/services/${rolloutName}`);
  svc.Spec.TaskTemplate.ContainerSpec.Image = 'local/busybox:2';
  const res = await engineRequest(socket!, 'POST', `/v1.41/services/${svc.ID}/update?version=${svc.Version.Index}`, svc.Spec);
  if (res.status !== 200) throw new Error(`update: ${res.status} ${res.body}`);
  await c.press('2');
  const t0 = performance.now();
  const { result, cpuPct } = await cpuPercentOver(async () => {
    const lat: number[] = [];
    let state = 'updating';
    // Bounded: at most 10 minutes of rollout.
    while (state === 'updating' && performance.now() - t0 < 600_000) {
      lat.push(...(await keys(c, ['j', 'k', 'j', 'k'])));
      const s = await engineJson<{ UpdateStatus?: { State?: string } }>(socket!, `/v1.41/services/${svc.ID}`);
      state = s.UpdateStatus?.State ?? 'updating';
      await sleep(500);
    }
    return { lat, state };
  });
  await c.stop();
  return { keys: result.lat, finalState: result.state, seconds: (performance.now() - t0) / 1000, cpuPct };
}

const run = mode === 'frame' ? frameMode : mode === 'rss' ? rssMode : rolloutMode;
run().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`probe ${mode}: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
