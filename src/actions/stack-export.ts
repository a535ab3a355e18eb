import { stringify } from 'yaml';
import { NAMESPACE_LABEL } from '../compose/convert.js';
import { exportCompose } from '../compose/export.js';
import type { DockerConnection } from '../docker/connection.js';
import { listAll, readStack } from '../docker/api/stack.js';
import { asObject } from '../docker/api/specs.js';

/**
 * A running stack (or, with no name, the services that belong to no stack) as a compose file that
 * deploys back to the same specs.
 */
export async function exportStack(conn: DockerConnection, stack: string | null): Promise<{ yaml: string; notes: string[] }> {
  const networks = await listAll(conn, 'network');
  const services = stack !== null
    ? (await readStack(conn, stack)).services
    : (await listAll(conn, 'service')).filter((s) => asObject(s.spec.Labels)[NAMESPACE_LABEL] === undefined);
  if (stack !== null && services.length === 0) throw new Error(`Nothing found in stack: ${stack}`);
  const content = exportCompose({ stack, services: services.map((s) => s.spec), networks: networks.map((n) => n.raw) });
  const notes = [
    stack !== null ? `stack ${stack}: ${services.length} service(s), exported by swarmtop` : `${services.length} service(s) in no stack, exported by swarmtop`,
    'secrets and configs are referenced as external (the engine never returns a secret\'s content)',
  ];
  return { yaml: stringify(content, { lineWidth: 0 }), notes };
}
