import type { Readable } from 'node:stream';
import type { TaskStats } from '../../store/state.js';
import type { DockerConnection } from '../connection.js';
import { toDockerApiError } from '../errors.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : {});

/**
 * One sample of GET /containers/{id}/stats, computed as docker stats does: CPU as the container's share
 * of the host's CPU time since the previous sample times the CPUs online (100 = one CPU), memory as the
 * usage without the inactive page cache (cgroup v2 inactive_file, v1 total_inactive_file). Null until
 * a sample has a previous one to compare with, or when the payload is not a stats object.
 */
export function parseStatsSample(v: unknown): TaskStats | null {
  const s = obj(v);
  const cpu = obj(s.cpu_stats);
  const pre = obj(s.precpu_stats);
  const total = num(obj(cpu.cpu_usage).total_usage);
  const preTotal = num(obj(pre.cpu_usage).total_usage);
  const system = num(cpu.system_cpu_usage);
  const preSystem = num(pre.system_cpu_usage);
  const percpu = obj(cpu.cpu_usage).percpu_usage;
  const online = num(cpu.online_cpus) ?? (Array.isArray(percpu) ? percpu.length : null) ?? 1;
  const mem = obj(s.memory_stats);
  const usage = num(mem.usage);
  const limit = num(mem.limit);
  if (total === null || system === null || usage === null) return null;
  const detail = obj(mem.stats);
  const cache = num(detail.inactive_file) ?? num(detail.total_inactive_file) ?? 0;
  let cpuPercent = 0;
  if (preTotal !== null && preSystem !== null && system > preSystem && total >= preTotal) {
    cpuPercent = ((total - preTotal) / (system - preSystem)) * online * 100;
  }
  return { cpuPercent, memUsage: Math.max(0, cache < usage ? usage - cache : usage), memLimit: limit ?? 0 };
}

/**
 * Follows a container's stats stream (one sample a second from the engine) until `signal` aborts or the
 * container goes; `onSample` gets each parsed sample. Resolves when the stream ends, rejects when it
 * cannot be opened.
 */
export async function followStats(conn: DockerConnection, containerId: string, signal: AbortSignal, onSample: (s: TaskStats) => void): Promise<void> {
  let stream: Readable;
  try {
    stream = await new Promise<Readable>((resolve, reject) => {
      conn.docker.modem.dial(
        {
          path: `/containers/${encodeURIComponent(containerId)}/stats?`,
          method: 'GET',
          isStream: true,
          abortSignal: signal,
          statusCodes: { 200: true },
          options: { stream: true },
        },
        (err, data) => (err ? reject(err) : resolve(data as Readable)),
      );
    });
  } catch (err) {
    if (signal.aborted) return;
    throw toDockerApiError(err);
  }
  await new Promise<void>((resolve) => {
    let rest = '';
    const stop = (): void => {
      stream.destroy();
      resolve();
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    stream.on('data', (chunk: Buffer) => {
      rest += chunk.toString('utf8');
      // Bounded: a line longer than any stats object is dropped rather than kept growing.
      if (rest.length > 1_000_000) rest = '';
      let nl: number;
      while ((nl = rest.indexOf('\n')) >= 0) {
        const line = rest.slice(0, nl).trim();
        rest = rest.slice(nl + 1);
        if (line === '') continue;
        try {
          const sample = parseStatsSample(JSON.parse(line) as unknown);
          if (sample) onSample(sample);
        } catch {
          // A malformed line is skipped; the next sample comes a second later.
        }
      }
    });
    stream.once('end', stop);
    stream.once('close', stop);
    stream.once('error', stop);
  });
}
