import type { DockerConnection } from '../connection.js';
import { toDockerApiError } from '../errors.js';
import { obj, str } from '../parse/json.js';
import { inspectObject } from './inspect.js';
import { LogDemuxer, parseLogLine, type RawLine, type StreamName } from './logs-demux.js';

export interface LogsQuery {
  kind: 'service' | 'task';
  id: string;
  follow: boolean;
  tail: number;
  signal: AbortSignal;
}

export interface LogEntry {
  /** 'system': the engine's own message in the stream (logs of a node that could not be read). */
  stream: StreamName;
  timestamp: string;
  /** Task id from the line's details ('' when the engine did not say). */
  taskId: string;
  /** Node id from the line's details ('' when the engine did not say). */
  nodeId: string;
  text: string;
}

function isReadable(x: unknown): x is NodeJS.ReadableStream & { destroy?: () => void } {
  return x !== null && typeof x === 'object' && typeof (x as { on?: unknown }).on === 'function';
}

function openLogStream(conn: DockerConnection, q: LogsQuery, path = `/${q.kind === 'service' ? 'services' : 'tasks'}/${encodeURIComponent(q.id)}/logs?`): Promise<NodeJS.ReadableStream & { destroy?: () => void }> {
  return new Promise((resolve, reject) => {
    conn.docker.modem.dial({
      path,
      method: 'GET',
      isStream: true,
      abortSignal: q.signal,
      // Timestamps and details always: the view toggles timestamps without re-reading and names tasks from details.
      options: { stdout: true, stderr: true, timestamps: true, details: true, follow: q.follow, tail: String(q.tail) },
      statusCodes: { 200: true, 404: `no such ${q.kind}`, 500: 'server error', 503: 'node is not part of a swarm' },
    }, (err: unknown, stream: unknown) => {
      if (err) reject(toDockerApiError(err));
      else if (isReadable(stream)) resolve(stream);
      else reject(new Error('the engine returned no log stream'));
    });
  });
}

function entry(raw: RawLine): LogEntry {
  const p = parseLogLine(raw.line);
  if (raw.stream === 'system') return { stream: 'system', timestamp: '', taskId: '', nodeId: '', text: raw.line };
  return {
    stream: raw.stream, timestamp: p.timestamp, taskId: p.details['com.docker.swarm.task.id'] ?? '',
    nodeId: p.details['com.docker.swarm.node.id'] ?? '', text: p.text,
  };
}

/** The engine names the nodes whose logs it could not read: "… node <id> is not available". */
export function unavailableNodes(systemText: string): string[] {
  return [...systemText.matchAll(/node (\w+) is not available/g)].map((m) => m[1] ?? '').filter((id) => id !== '');
}

/**
 * Whether a log driver keeps logs the engine can read back. "none" keeps nothing; other drivers are read
 * through the engine's local cache (dual logging) unless the service turned it off.
 */
export function logDriverReadable(name: string, options: Readonly<Record<string, string>>): boolean {
  if (name === 'none') return false;
  const native = name === '' || name === 'json-file' || name === 'local' || name === 'journald';
  return native || options['cache-disabled'] !== 'true';
}

/** The log driver a service's (or task's) spec asks for ('' when the engine's default is used). */
export async function logDriverOf(conn: DockerConnection, kind: 'service' | 'task', id: string): Promise<{ name: string; options: Record<string, string> }> {
  const found = await inspectObject(conn, kind, id);
  const driver = kind === 'service' ? obj(found, 'Spec', 'TaskTemplate', 'LogDriver') : obj(found, 'Spec', 'LogDriver');
  const options: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(driver, 'Options'))) if (typeof v === 'string') options[k] = v;
  return { name: str(driver, 'Name'), options };
}

/**
 * Service or task logs as lines, demultiplexed. Ends when the engine ends the stream (follow off) or the
 * signal aborts; the stream is destroyed either way so no socket is left open.
 */
export async function* readLogs(conn: DockerConnection, q: LogsQuery): AsyncGenerator<LogEntry> {
  yield* streamEntries(await openLogStream(conn, q), q);
}

/**
 * One task's container logs read from its node's own engine (GET /containers/{id}/logs), for when the
 * managers cannot serve them (the node is not available to them); lines carry that task's id.
 */
export async function* readContainerLogs(conn: DockerConnection, containerId: string, taskId: string, q: LogsQuery): AsyncGenerator<LogEntry> {
  for await (const e of streamEntries(await openLogStream(conn, q, `/containers/${encodeURIComponent(containerId)}/logs?`), q)) {
    yield e.stream === 'system' ? e : { ...e, taskId };
  }
}

async function* streamEntries(stream: NodeJS.ReadableStream & { destroy?: () => void }, q: LogsQuery): AsyncGenerator<LogEntry> {
  const demux = new LogDemuxer();
  const queue: LogEntry[] = [];
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  stream.on('data', (chunk: Buffer | string) => {
    for (const raw of demux.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk)) queue.push(entry(raw));
    notify();
  });
  stream.on('end', () => {
    for (const raw of demux.end()) queue.push(entry(raw));
    ended = true;
    notify();
  });
  stream.on('close', () => {
    ended = true;
    notify();
  });
  stream.on('error', (err: unknown) => {
    failure = err;
    ended = true;
    notify();
  });
  const onAbort = (): void => {
    ended = true;
    notify();
  };
  q.signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      while (queue.length > 0) yield queue.shift() as LogEntry;
      if (ended || q.signal.aborted) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    while (queue.length > 0 && !q.signal.aborted) yield queue.shift() as LogEntry;
    if (failure !== null && !q.signal.aborted) throw toDockerApiError(failure);
  } finally {
    q.signal.removeEventListener('abort', onAbort);
    stream.destroy?.();
  }
}
