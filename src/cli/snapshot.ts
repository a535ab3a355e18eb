import { readSnapshot } from '../docker/api/read.js';
import type { DockerConnection } from '../docker/connection.js';
import { endpointInfo, type Connector, type ResolvedTarget } from '../docker/endpoint.js';
import { atEndpoint, toDockerApiError } from '../docker/errors.js';
import { reduce } from '../store/reducer.js';
import { transportWarnings } from '../store/selectors/transport.js';
import { emptyConnection, emptyState, type ClusterState } from '../store/state.js';
import { snapshotJson } from './snapshot-json.js';

export interface TextOut {
  write(text: string): unknown;
}

/**
 * Reads the cluster once from the first manager that answers and hands it, with the open connection, to
 * `work` (the connection is closed after). Returns what `work` returns, or the error of every manager
 * tried; errors `fatal` accepts are not a manager's and end the attempt at once.
 */
export async function withFirstManager<T>(
  target: ResolvedTarget, connect: Connector, work: (conn: DockerConnection, state: ClusterState) => Promise<T>, fatal: (e: unknown) => boolean = () => false,
): Promise<T | string[]> {
  const errors: string[] = [];
  for (const endpoint of target.endpoints) {
    const info = endpointInfo(endpoint);
    try {
      const conn = await connect(endpoint);
      try {
        const snapshot = await readSnapshot(conn);
        const base = emptyState({ ...emptyConnection(target.context), ...info, status: 'live', lastContactAt: Date.now(), readOnly: target.readOnly });
        return await work(conn, reduce(base, { type: 'snapshot', snapshot, at: Date.now() }));
      } finally {
        await conn.close().catch(() => undefined);
      }
    } catch (e) {
      if (fatal(e)) throw e;
      errors.push(atEndpoint(info.endpoint, toDockerApiError(e).message));
    }
  }
  return errors;
}

/** Reads the cluster once from the first manager that answers, or the error of every manager tried. */
export function readClusterOnce(target: ResolvedTarget, connect: Connector): Promise<ClusterState | string[]> {
  return withFirstManager(target, connect, (_conn, state) => Promise.resolve(state));
}

/** `swarmtop snapshot --json`: prints the cluster state once; exit code 0, or 1 if no manager answered. */
export async function runSnapshot(target: ResolvedTarget, connect: Connector, out: TextOut, err: TextOut = process.stderr): Promise<number> {
  if (target.endpoints.length === 0) {
    err.write('swarmtop: no endpoint to read from\n');
    return 1;
  }
  const state = await readClusterOnce(target, connect);
  if (Array.isArray(state)) {
    err.write(`swarmtop: no manager answered:\n${state.map((l) => `  ${l}\n`).join('')}`);
    return 1;
  }
  // The same warning as the console's red banner: a script's log should show it too.
  for (const w of transportWarnings(state.connection)) err.write(`swarmtop: WARNING: ${state.connection.endpoint}: ${w.text}\n`);
  out.write(`${JSON.stringify(snapshotJson(state), null, 2)}\n`);
  return 0;
}
