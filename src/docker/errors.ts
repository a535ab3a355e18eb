import { printable } from '../text/printable.js';

/**
 * One shape for every failure coming back from the Engine API or the transport, so the UI can show
 * the engine's own message in full and actions can recognise the cases they handle specially. The
 * message is the engine's (or a proxy's) text: it is made safe to draw here, where it enters.
 */
export class DockerApiError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when the request never got an answer (connection refused, timeout...). */
    readonly status: number | null,
    /** Errno-style code of a transport failure (ECONNREFUSED, ENOENT, ETIMEDOUT...), if any. */
    readonly code: string | null,
  ) {
    super(printable(message));
    this.name = 'DockerApiError';
  }

  /** The object changed since it was read: re-read and ask again, never overwrite. */
  get outOfSequence(): boolean {
    return /update out of sequence/i.test(this.message);
  }

  get notFound(): boolean {
    return this.status === 404;
  }

  /** The engine could not be reached at all (as opposed to answering with an error). */
  get unreachable(): boolean {
    return this.status === null;
  }
}

function field(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' && key in obj ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Normalizes whatever dockerode/docker-modem/ssh2/node threw into a DockerApiError. */
export function toDockerApiError(err: unknown): DockerApiError {
  if (err instanceof DockerApiError) return err;
  const status = field(err, 'statusCode');
  const json = field(err, 'json');
  const engineMessage = field(json, 'message');
  const code = field(err, 'code');
  const base = err instanceof Error ? err.message : String(err);
  if (typeof status === 'number') {
    const msg = typeof engineMessage === 'string' && engineMessage !== '' ? engineMessage : base;
    return new DockerApiError(msg, status, null);
  }
  return new DockerApiError(base, null, typeof code === 'string' ? code : null);
}

/**
 * "endpoint: message", naming the endpoint once: a connection error already starts with the endpoint it
 * was about (perhaps more precisely, with the SSH user resolved), a timeout names it ("no answer from
 * ..."); those are left as they are.
 */
export function atEndpoint(where: string, message: string): string {
  return message.includes(where) || /^[a-z][a-z0-9+.-]*:\/\/\S*?: /i.test(message) ? message : `${where}: ${message}`;
}
