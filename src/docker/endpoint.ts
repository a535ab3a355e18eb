import type { DockerConnection } from './connection.js';

/** TLS material for a tcp:// endpoint: paths only (a key's passphrase comes from the keychain). */
export interface TlsSpec {
  caPath: string;
  certPath: string;
  keyPath: string;
  /** False only with an explicit --insecure (the header then shows a red banner). */
  verify: boolean;
}

/** Where one manager's engine API is reached. Never holds a secret. */
export type EndpointSpec =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsSpec | null }
  | {
      kind: 'ssh';
      /** Host as written by the operator (an ~/.ssh/config alias is resolved when connecting). */
      host: string;
      port?: number;
      user?: string;
      identityFile?: string;
      /** Remote engine socket; default /var/run/docker.sock. */
      socketPath?: string;
    };

/** Opens a connection to one endpoint (the connection layer, issue 3, provides it). */
/**
 * `signal` (optional) abandons a connection still being made: the live layer stops (the operator quit)
 * while an SSH handshake waits on a host that does not answer, and the process must not wait for it.
 */
export type Connector = (endpoint: EndpointSpec, signal?: AbortSignal) => Promise<DockerConnection>;

/** The endpoint as the operator sees it in the header and logs: never a credential. */
export function describeEndpoint(e: EndpointSpec): string {
  switch (e.kind) {
    case 'unix':
      return `unix://${e.socketPath}`;
    case 'tcp':
      return `${e.tls ? 'tcp+tls' : 'tcp'}://${e.host}:${e.port}`;
    case 'ssh':
      return `ssh://${e.user ? `${e.user}@` : ''}${e.host}${e.port ? `:${e.port}` : ''}`;
  }
}

/** What the CLI resolved to connect to: one context with one or more managers (tried in order). */
export interface ResolvedTarget {
  context: string;
  endpoints: readonly EndpointSpec[];
  readOnly: boolean;
  /** Theme chosen for this context (e.g. "production"), or null for the default. */
  theme: string | null;
  insecure: boolean;
}
