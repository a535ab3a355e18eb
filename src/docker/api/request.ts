import type { DockerConnection } from '../connection.js';
import { DockerApiError, toDockerApiError } from '../errors.js';

/** A manager that accepted the connection but never answers must not leave an operator waiting forever. */
export const WRITE_TIMEOUT_MS = 30_000;

export type Query = Readonly<Record<string, string | number | boolean>>;

export interface RequestOptions {
  query?: Query;
  /** JSON body (POST only). */
  body?: unknown;
  timeoutMs?: number;
}

/**
 * One Engine API call through whatever transport the connection uses (socket, TLS, SSH). Goes to the
 * modem directly because dockerode's helpers mix the query string and the body in one object, and
 * writes need both (version in the query, the spec in the body).
 * Every failure is a DockerApiError carrying the engine's own message in full.
 */
export function apiRequest(conn: DockerConnection, method: 'GET' | 'POST' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<unknown> {
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries(opts.query ?? {})) query[k] = String(v);
  const hasQuery = Object.keys(query).length > 0;
  const isPost = method === 'POST';
  const ms = opts.timeoutMs ?? WRITE_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(ms);
  return new Promise((resolve, reject) => {
    conn.docker.modem.dial(
      {
        path: hasQuery || isPost ? `${path}?` : path,
        method,
        // Any 2xx is success; anything else becomes an error with the engine's message.
        statusCodes: { 200: true, 201: true, 204: true },
        // docker-modem sends `_query` as the query string and `_body` as the JSON body of a POST.
        options: hasQuery || isPost ? { _query: query, _body: opts.body ?? {} } : undefined,
        // Write calls such as node update answer with an empty body: accept it.
        allowEmpty: true,
        abortSignal: timeout,
      },
      (err, data) => {
        if (err && timeout.aborted) {
          const what = method === 'GET' ? 'the read' : 'the change may or may not have been applied: look before trying again';
          reject(new DockerApiError(`no answer from ${conn.endpoint} within ${ms / 1000} s (${what})`, null, 'ETIMEDOUT'));
        } else if (err) reject(toDockerApiError(err));
        else resolve(Buffer.isBuffer(data) ? parseBuffer(data) : data);
      },
    );
  });
}

function parseBuffer(buf: Buffer): unknown {
  const text = buf.toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
