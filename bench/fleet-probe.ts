/**
 * Child process of `npm run bench` (fleet part): the real console on its fleet screen, one context per
 * engine socket, each watched light; prints one JSON line: first frame with every context live, idle
 * CPU over a window after a settle, RSS.
 *   fleet-probe <settleS> <windowS> <socket>...
 */
import { startHeadlessFleet } from './headless-console.js';

const [settleArg, windowArg, ...sockets] = process.argv.slice(2);
if (!settleArg || !windowArg || sockets.length === 0) throw new Error('usage: fleet-probe <settleS> <windowS> <socket>...');
const settleMs = Number(settleArg) * 1000;
const windowMs = Number(windowArg) * 1000;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<Record<string, unknown>> {
  const c = startHeadlessFleet(sockets);
  const firstFrameMs = await c.waitForFrame((t) => t.includes(`${sockets.length} contexts  ${sockets.length} live`), 300_000);
  await sleep(settleMs);
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  await sleep(windowMs);
  const used = process.cpuUsage(c0);
  const wallMs = performance.now() - w0;
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(500);
  const m = process.memoryUsage();
  await c.stop();
  return { contexts: sockets.length, firstFrameMs, idleCpuPct: ((used.user + used.system) / 1000 / wallMs) * 100, idleSettleS: settleMs / 1000, idleWindowS: windowMs / 1000, rssMb: m.rss / 2 ** 20, heapUsedMb: m.heapUsed / 2 ** 20 };
}

main().then(
  (r) => {
    process.stdout.write(`${JSON.stringify(r)}\n`);
    process.exit(0);
  },
  (err: unknown) => {
    process.stderr.write(`fleet-probe: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
