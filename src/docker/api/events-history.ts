import type { DockerConnection } from '../connection.js';
import { toDockerApiError } from '../errors.js';
import { eventsQuery, parseEventLine, type SwarmEvent } from './events.js';

export interface HistoryOptions {
  /** Epoch seconds (or the engine's "seconds.nanoseconds"); events at or after it. */
  since: string;
  /** Epoch seconds: events before it. With `until`, the engine sends what it holds and ends the stream. */
  until: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** An engine holds a few hundred events; anything beyond this is not an engine's history. */
const MAX_BYTES = 8 * 2 ** 20;

/**
 * The swarm events an engine still holds between `since` and `until` (GET /events?since=…&until=…), oldest
 * first. The engine keeps only its last 256 events of any kind, none from before it last started: what
 * comes back is all there is, and where it begins is where the history ends.
 */
export function readEventHistory(conn: DockerConnection, opts: HistoryOptions): Promise<SwarmEvent[]> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? 10_000);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  return new Promise((resolve, reject) => {
    conn.docker.modem.dial(
      { path: '/events?', method: 'GET', options: eventsQuery(opts.since, opts.until), isStream: true, abortSignal: signal, statusCodes: { 200: true, 400: 'bad request', 500: 'server error', 503: 'not a swarm manager' } },
      (err: unknown, stream: unknown) => {
        if (err || stream === null || typeof stream !== 'object' || typeof (stream as { on?: unknown }).on !== 'function') {
          reject(toDockerApiError(timeout.aborted ? new Error(`no answer from ${conn.endpoint} within ${opts.timeoutMs ?? 10_000} ms`) : err ?? new Error('no event stream')));
          return;
        }
        const s = stream as NodeJS.ReadableStream & { destroy?: () => void };
        let text = '';
        let done = false;
        const finish = (e: unknown): void => {
          if (done) return;
          done = true;
          signal.removeEventListener('abort', onAbort);
          s.destroy?.();
          if (e !== null) {
            reject(toDockerApiError(timeout.aborted ? new Error(`the engine's event history did not end within ${opts.timeoutMs ?? 10_000} ms`) : e));
            return;
          }
          resolve(text.split('\n').map(parseEventLine).filter((x): x is SwarmEvent => x !== null));
        };
        const onAbort = (): void => finish(new Error('aborted'));
        signal.addEventListener('abort', onAbort);
        s.on('data', (chunk: Buffer | string) => {
          text += chunk.toString();
          if (text.length > MAX_BYTES) finish(null);
        });
        s.on('end', () => finish(null));
        s.on('close', () => finish(null));
        s.on('error', (e: unknown) => finish(e));
      },
    );
  });
}
