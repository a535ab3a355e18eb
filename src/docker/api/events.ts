import type { DockerConnection } from '../connection.js';
import { DockerApiError, toDockerApiError } from '../errors.js';
import { field, isObj, labels, num, obj, str } from '../parse/json.js';
import type { ObjectKind } from '../../store/messages.js';

/** One cluster event: which object changed and how (the live layer re-reads the object). */
export interface SwarmEvent {
  kind: ObjectKind;
  /** create | update | remove (anything else is kept as sent). */
  action: string;
  id: string;
  name: string;
  attributes: Readonly<Record<string, string>>;
  /** Event time as the engine's "seconds.nanoseconds" text, usable as the next `since`. */
  since: string;
  /** Epoch ms. */
  at: number;
}

const KINDS: readonly ObjectKind[] = ['service', 'node', 'secret', 'config', 'network'];

/** `rawNano`: the timeNano digits from the JSON text (the parsed number has lost precision). */
export function parseEvent(v: unknown, rawNano?: string): SwarmEvent | null {
  if (!isObj(v)) return null;
  const kind = str(v, 'Type');
  if (!(KINDS as readonly string[]).includes(kind)) return null;
  const actor = obj(v, 'Actor');
  const id = str(actor, 'ID');
  if (id === '') return null;
  const attributes = labels(actor, 'Attributes');
  const nano = field(v, 'timeNano');
  // Times beyond any clock (1e300, or 1e400 which JSON makes Infinity) are dropped: BigInt throws a
  // RangeError on Infinity (a crashed event stream), and "1e+300" is no `since` the engine accepts.
  const rawSeconds = num(v, 'time');
  const seconds = rawSeconds > 0 && rawSeconds < 1e11 ? rawSeconds : 0;
  let since = seconds > 0 ? String(seconds) : '';
  let ms = seconds * 1000;
  if (typeof nano === 'number' && nano > 0 && nano < 1e20) {
    // timeNano exceeds 2^53: split it via its decimal text instead of dividing a float.
    const text = rawNano ?? BigInt(Math.round(nano)).toString();
    since = `${text.slice(0, -9) || '0'}.${text.slice(-9)}`;
    // Milliseconds too: events of the same second keep their order beside the console's own times.
    const fine = Number(text.slice(0, -6));
    if (Math.floor(fine / 1000) === seconds) ms = fine;
  }
  return {
    kind: kind as ObjectKind,
    action: str(v, 'Action'),
    id,
    name: attributes['name'] ?? '',
    attributes,
    since,
    at: seconds > 0 ? ms : Date.now(),
  };
}

/** One line of the /events stream as an event; null for a blank, garbled or non-swarm line. */
export function parseEventLine(text: string): SwarmEvent | null {
  const line = text.trim();
  if (line === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null; // a garbled line: skip it, the backstop resync covers what it meant
  }
  return parseEvent(parsed, /"timeNano":\s*(\d{10,})/.exec(line)?.[1]);
}

/** The /events query for swarm objects (KINDS, scope swarm), from `since` and, for history, until `until`. */
export function eventsQuery(since?: string, until?: string): Record<string, unknown> {
  const query: Record<string, unknown> = { filters: { type: KINDS, scope: ['swarm'] } };
  if (since) query['since'] = since;
  if (until) query['until'] = until;
  return query;
}

export interface WatchOptions {
  /** Resume point: an event's `since`, or epoch seconds. Events at or after it are replayed. */
  since?: string;
  signal: AbortSignal;
  onEvent(event: SwarmEvent): void;
  /** Called once the stream is open (the engine answered 200). */
  onOpen?(): void;
}

/**
 * Follows GET /events for swarm objects until `signal` aborts (resolves) or the stream breaks or
 * ends (rejects with a DockerApiError: the engine went away, the live layer reconnects).
 */
export function watchEvents(conn: DockerConnection, opts: WatchOptions): Promise<void> {
  const query = eventsQuery(opts.since);
  return new Promise<void>((resolve, reject) => {
    if (opts.signal.aborted) {
      resolve();
      return;
    }
    conn.docker.modem.dial(
      { path: '/events?', method: 'GET', options: query, isStream: true, abortSignal: opts.signal, statusCodes: { 200: true, 500: 'server error', 503: 'not a swarm manager' } },
      (err: unknown, stream: unknown) => {
        if (opts.signal.aborted) {
          resolve();
          return;
        }
        if (err || !isReadable(stream)) {
          reject(toDockerApiError(err ?? new Error('no event stream')));
          return;
        }
        opts.onOpen?.();
        follow(stream, opts, resolve, reject);
      },
    );
  });
}

function isReadable(v: unknown): v is NodeJS.ReadableStream & { destroy?: () => void } {
  return isObj(v) && typeof (v as { on?: unknown }).on === 'function';
}

function follow(stream: NodeJS.ReadableStream & { destroy?: () => void }, opts: WatchOptions, resolve: () => void, reject: (e: Error) => void): void {
  let buffer = '';
  let done = false;
  const finish = (err: Error | null): void => {
    if (done) return;
    done = true;
    opts.signal.removeEventListener('abort', onAbort);
    stream.destroy?.();
    if (err === null || opts.signal.aborted) resolve();
    else reject(err);
  };
  const onAbort = (): void => finish(null);
  opts.signal.addEventListener('abort', onAbort);
  stream.on('data', (chunk: Buffer | string) => {
    buffer += chunk.toString();
    let nl = buffer.indexOf('\n');
    while (nl >= 0) {
      const event = parseEventLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      nl = buffer.indexOf('\n');
      if (!event) continue;
      try {
        opts.onEvent(event);
      } catch (e) {
        finish(toDockerApiError(e));
        return;
      }
    }
  });
  stream.on('error', (e: unknown) => finish(toDockerApiError(e)));
  stream.on('end', () => finish(new DockerApiError('the engine closed the event stream', null, 'ECONNRESET')));
  stream.on('close', () => finish(new DockerApiError('the event stream was closed', null, 'ECONNRESET')));
}
