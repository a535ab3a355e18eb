import type Docker from 'dockerode';
import { dockerClient } from './connect/dockerode.js';

/**
 * An open connection to one Docker engine. Everything above src/docker reaches the engine only
 * through this (and the typed calls in src/docker/api), never through dockerode directly.
 *
 * The connection layer (src/docker/connect) provides implementations for unix sockets, TCP+TLS and SSH (one
 * multiplexed SSH connection per manager); the local socket one below is the zero-config default.
 */
export interface DockerConnection {
  /** What the operator sees in the header, e.g. "unix:///var/run/docker.sock" (never credentials). */
  readonly endpoint: string;
  /** The dockerode client, configured with the right transport (socket, TLS, SSH agent). */
  readonly docker: Docker;
  /** Releases the transport (SSH connection, sockets); idempotent. */
  close(): Promise<void>;
}

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export function openUnixSocket(socketPath: string = DEFAULT_SOCKET): DockerConnection {
  // Exactly this socket: a DOCKER_HOST in the environment must not redirect it (docker-modem would).
  const docker = dockerClient({ socketPath });
  return {
    endpoint: `unix://${socketPath}`,
    docker,
    close: () => Promise.resolve(),
  };
}
