import type { ConnectionInfo, Transport } from '../store/state.js';
import type { EndpointSpec } from '../config/endpoint.js';
import type { DockerConnection } from './connection.js';

// Where to connect is configuration: the types live below this layer, in src/config, so config never imports docker.
export type { EndpointSpec, NodeEndpointRules, ResolvedTarget, SshDefaults, TlsSpec } from '../config/endpoint.js';

/**
 * Opens a connection to one endpoint (src/docker/connect provides it). `signal` (optional) abandons a connection still being made: the live layer stops (the operator quit)
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
