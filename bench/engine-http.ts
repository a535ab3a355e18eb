/** Minimal raw HTTP over a unix socket: the "curl" baseline of the benchmarks, and lab loading. */
import { request } from 'node:http';

export interface RawResponse {
  status: number;
  body: string;
}

export function engineRequest(socketPath: string, method: string, path: string, body?: unknown, timeoutMs = 120_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { socketPath, method, path, headers: payload ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

export async function engineJson<T>(socketPath: string, path: string): Promise<T> {
  const res = await engineRequest(socketPath, 'GET', path);
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.body.slice(0, 200)}`);
  return JSON.parse(res.body) as T;
}

/** The endpoints the console reads for its first complete frame. */
export const SNAPSHOT_PATHS = ['/info', '/swarm', '/nodes', '/services?status=true', '/tasks', '/secrets', '/configs', '/networks'] as const;

/** Fetches every snapshot endpoint in parallel, as a script with curl would: the baseline. */
export async function rawSnapshot(socketPath: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const bodies = await Promise.all(SNAPSHOT_PATHS.map((p) => engineRequest(socketPath, 'GET', `/v1.41${p}`)));
  return { ms: performance.now() - t0, bytes: bodies.reduce((n, r) => n + r.body.length, 0) };
}
