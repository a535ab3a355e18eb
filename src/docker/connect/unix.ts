import type { DockerConnection } from '../connection.js';
import { describeEndpoint } from '../endpoint.js';
import { dockerClient, ping } from './dockerode.js';
import { ConnectError } from './errors.js';

export async function openUnix(socketPath: string, timeoutMs: number, signal?: AbortSignal): Promise<DockerConnection> {
  const endpoint = describeEndpoint({ kind: 'unix', socketPath });
  const docker = dockerClient({ socketPath });
  try {
    await ping(docker, timeoutMs, signal);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const why =
      code === 'ENOENT' ? 'no such socket (is the engine running?)'
      : code === 'EACCES' ? 'permission denied (join the docker group or run as root)'
      : code === 'ECONNREFUSED' ? 'connection refused (the engine is not listening)'
      : err instanceof Error ? err.message : String(err);
    throw new ConnectError(endpoint, 'unreachable', why);
  }
  return { endpoint, docker, close: () => Promise.resolve() };
}
