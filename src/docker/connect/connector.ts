import type { DockerConnection } from '../connection.js';
import { describeEndpoint, type Connector, type EndpointSpec, type ResolvedTarget } from '../endpoint.js';
import { AllEndpointsFailedError, ConnectError } from './errors.js';
import { resolveOptions, type ConnectOptions } from './options.js';
import { openSsh } from './ssh.js';
import { openPlainTcp, openTls } from './tls.js';
import { openUnix } from './unix.js';

/**
 * The connection layer's entry point: a Connector that opens unix, TCP(+TLS) and SSH endpoints and
 * only resolves once the engine has answered /_ping. Errors are ConnectError with clear words.
 */
export function createConnector(options: ConnectOptions = {}): Connector {
  const opts = resolveOptions(options);
  return async (ep: EndpointSpec, signal?: AbortSignal): Promise<DockerConnection> => {
    switch (ep.kind) {
      case 'unix':
        return openUnix(ep.socketPath, opts.connectTimeoutMs, signal);
      case 'tcp':
        return ep.tls ? openTls(ep.host, ep.port, ep.tls, opts) : openPlainTcp(ep.host, ep.port, opts);
      case 'ssh':
        return openSsh(ep, opts, signal);
    }
  };
}

/** Tries a target's managers in order (failover) and returns the first that answers. */
export async function connectTarget(target: ResolvedTarget, connector: Connector): Promise<DockerConnection> {
  const errors: Error[] = [];
  for (const ep of target.endpoints) {
    try {
      return await connector(ep);
    } catch (err) {
      errors.push(err instanceof Error ? err : new ConnectError(describeEndpoint(ep), 'unreachable', String(err)));
      // A host key that changed is a security stop, not a reason to quietly try the next manager.
      if (err instanceof ConnectError && err.failure === 'ssh-host-changed') break;
    }
  }
  throw new AllEndpointsFailedError(errors);
}
