import type { DockerConnection } from '../connection.js';
import { toDockerApiError } from '../errors.js';

export type InspectKind = 'node' | 'service' | 'task' | 'secret' | 'config' | 'network' | 'stack' | 'swarm';

/**
 * The engine's own JSON for one object, for the inspect view (shown as YAML). A stack is not an engine
 * object: its inspect is the list of its services' specs. Secret payloads are never returned by the engine.
 */
export async function inspectObject(conn: DockerConnection, kind: InspectKind, id: string): Promise<unknown> {
  const d = conn.docker;
  try {
    switch (kind) {
      case 'node': return await d.getNode(id).inspect();
      case 'service': return await d.getService(id).inspect();
      case 'task': return await d.getTask(id).inspect();
      case 'secret': return await d.getSecret(id).inspect();
      case 'config': return withContent(await d.getConfig(id).inspect());
      case 'network': return await d.getNetwork(id).inspect();
      case 'swarm': return withoutJoinTokens(await d.swarmInspect());
      case 'stack': return await d.listServices({ filters: JSON.stringify({ label: [`com.docker.stack.namespace=${id}`] }) });
    }
  } catch (err) {
    throw toDockerApiError(err);
  }
}

/** Join tokens are secrets: the inspect view never shows them (W/M reveal them deliberately). */
function withoutJoinTokens(swarm: unknown): unknown {
  if (swarm === null || typeof swarm !== 'object') return swarm;
  const copy: Record<string, unknown> = { ...(swarm as Record<string, unknown>) };
  if ('JoinTokens' in copy) copy.JoinTokens = { Worker: '(hidden)', Manager: '(hidden)' };
  return copy;
}

/** A config is not secret: its content is shown as text beside the engine's base64 (a secret's is never returned). */
function withContent(config: unknown): unknown {
  if (config === null || typeof config !== 'object') return config;
  const spec = (config as Record<string, unknown>).Spec;
  const data = spec !== null && typeof spec === 'object' ? (spec as Record<string, unknown>).Data : undefined;
  if (typeof data !== 'string') return config;
  return { ...(config as Record<string, unknown>), Content: Buffer.from(data, 'base64').toString('utf8') };
}
