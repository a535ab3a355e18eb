import type { ConnectionInfo, Transport } from '../store/state.js';
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
      /** Also offer SHA-1 algorithms (ssh-rsa signatures, hmac-sha1, dh group14-sha1): `ssh: { legacyAlgorithms: true }`. */
      legacyAlgorithms?: boolean;
    };

/** Opens a connection to one endpoint (the connection layer, issue 3, provides it). */
/**
 * `signal` (optional) abandons a connection still being made: the live layer stops (the operator quit)
 * while an SSH handshake waits on a host that does not answer, and the process must not wait for it.
 */
export type Connector = (endpoint: EndpointSpec, signal?: AbortSignal) => Promise<DockerConnection>;

/** An IPv6 address in brackets, so the port after it reads as a port. */
function hostPart(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The endpoint as the operator sees it in the header and logs: never a credential. */
export function describeEndpoint(e: EndpointSpec): string {
  switch (e.kind) {
    case 'unix':
      return `unix://${e.socketPath}`;
    case 'tcp':
      return `${e.tls ? 'tcp+tls' : 'tcp'}://${hostPart(e.host)}:${e.port}`;
    case 'ssh':
      return `ssh://${e.user ? `${e.user}@` : ''}${hostPart(e.host)}${e.port ? `:${e.port}` : ''}`;
  }
}

export function transportOf(e: EndpointSpec): Transport {
  switch (e.kind) {
    case 'unix':
      return 'unix';
    case 'ssh':
      return 'ssh';
    case 'tcp':
      return e.tls === null ? 'plain' : e.tls.verify ? 'tls' : 'tls-insecure';
  }
}

/** Names that stay on this machine (no name is resolved: any other one may cross a network). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1' || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/** What the header and the snapshot say about an endpoint: its name, how it is reached, its risks. */
export function endpointInfo(e: EndpointSpec): Pick<ConnectionInfo, 'endpoint' | 'transport' | 'insecure' | 'unencrypted'> {
  const transport = transportOf(e);
  return {
    endpoint: describeEndpoint(e),
    transport,
    insecure: transport === 'tls-insecure',
    unencrypted: transport === 'plain' && e.kind === 'tcp' && !isLoopbackHost(e.host),
  };
}

/** SSH settings a context applies to every ssh:// endpoint it names (managers and nodes). */
export interface SshDefaults {
  user?: string;
  port?: number;
  identityFile?: string;
  socketPath?: string;
  legacyAlgorithms?: boolean;
}

/**
 * How to reach each node's own engine (exec, stats): the context's `nodes:` map, whose keys are a node's
 * id or hostname or "*" for the rest, and whose values are endpoint URLs in which {addr} and {hostname}
 * stand for the node's. Never holds a secret.
 */
export interface NodeEndpointRules {
  map: Readonly<Record<string, string>>;
  ssh: SshDefaults;
}

/** What the CLI resolved to connect to: one context with one or more managers (tried in order). */
export interface ResolvedTarget {
  context: string;
  endpoints: readonly EndpointSpec[];
  /** The context's `nodes:` map and SSH settings; absent: only the defaults (SSH to {addr}, the manager's own engine). */
  nodes?: NodeEndpointRules;
  readOnly: boolean;
  /** Theme chosen for this context (e.g. "production"), or null for the default. */
  theme: string | null;
  /** Some endpoint's TLS verification is off (--insecure). */
  insecure: boolean;
}
