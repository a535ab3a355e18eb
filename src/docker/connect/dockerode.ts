import type { Agent } from 'node:http';
import { inspect } from 'node:util';
import Docker from 'dockerode';

/**
 * A dockerode client whose transport is exactly what we pass. docker-modem otherwise merges in
 * DOCKER_HOST / DOCKER_CERT_PATH from the environment, so every env-derived option is overridden.
 */
export function dockerClient(o: { socketPath?: string; agent?: Agent; protocol?: 'http' | 'https'; host?: string; port?: number }): Docker {
  if (o.agent) quickToInspect(o.agent);
  return new Docker({
    socketPath: o.socketPath,
    host: o.socketPath ? undefined : (o.host ?? 'docker'),
    port: o.socketPath ? undefined : (o.port ?? 80),
    protocol: o.protocol ?? 'http',
    agent: o.agent,
    ca: undefined,
    cert: undefined,
    key: undefined,
    timeout: undefined,
    pathPrefix: undefined,
  } as Docker.DockerOptions);
}

/**
 * Asks the engine for /_ping within a deadline, so a connector knows the transport works end to end.
 * A ping past its deadline (or abandoned through `signal`) is aborted: an engine that accepts and never
 * answers must not keep a request, and the process, alive.
 */
export async function ping(docker: Docker, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ctl = new AbortController();
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ctl.abort();
      reject(Object.assign(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
  });
  const abortSignal = signal ? AbortSignal.any([signal, ctl.signal]) : ctl.signal;
  // dockerode passes abortSignal on to the request; its type declarations do not list the option.
  const pingWith = docker.ping.bind(docker) as unknown as (o: { abortSignal: AbortSignal }) => Promise<unknown>;
  try {
    await Promise.race([pingWith({ abortSignal }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * docker-modem formats every request's options with util.inspect(showHidden, depth: null) even when
 * debug output is off; with an agent in them that walks the whole SSH/TLS client state on each call
 * (measured: 2.6 ms instead of 0.5 ms per ping over SSH). A one-line inspection keeps calls cheap.
 */
function quickToInspect(agent: Agent): void {
  if (Object.prototype.hasOwnProperty.call(agent, inspect.custom)) return;
  Object.defineProperty(agent, inspect.custom, { value: () => `[${agent.constructor.name}]`, enumerable: false });
}
