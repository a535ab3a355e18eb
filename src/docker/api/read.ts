import type { DockerConnection } from '../connection.js';
import { toDockerApiError } from '../errors.js';
import {
  list, parseConfig, parseEngine, parseNetwork, parseNode, parseSecret, parseService, parseSwarm, parseTask,
} from '../parse/index.js';
import type {
  ConfigModel, EngineModel, Id, NetworkModel, NodeModel, SecretModel, ServiceModel, SwarmModel, TaskModel,
} from '../../store/model.js';
import type { Snapshot } from '../../store/messages.js';

/** A read that has not answered by then is treated as a lost engine (failover beats waiting). */
export const READ_TIMEOUT_MS = 10_000;

export interface ReadOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

type Filters = Readonly<Record<string, readonly string[]>>;

/**
 * GET a JSON document. Errors of every kind (HTTP status, refused, timeout, abort) come back as a
 * DockerApiError; the body is returned as unknown for the defensive parsers.
 */
export function getJson(conn: DockerConnection, path: string, query: Record<string, unknown> = {}, opts: ReadOptions = {}): Promise<unknown> {
  const timeout = AbortSignal.timeout(opts.timeoutMs ?? READ_TIMEOUT_MS);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  return new Promise<unknown>((resolve, reject) => {
    conn.docker.modem.dial(
      { path: `${path}?`, method: 'GET', options: query, abortSignal: signal, statusCodes: { 200: true, 404: 'not found', 500: 'server error', 503: 'node is not part of a swarm or not a manager' } },
      (err: unknown, data: unknown) => {
        if (err) reject(toDockerApiError(timeout.aborted ? new Error(`no answer from ${conn.endpoint} within ${opts.timeoutMs ?? READ_TIMEOUT_MS} ms`) : err));
        else resolve(data);
      },
    );
  });
}

function filters(f: Filters | undefined): Record<string, unknown> {
  return f && Object.keys(f).length > 0 ? { filters: f } : {};
}

export async function listNodes(conn: DockerConnection, f?: Filters, o?: ReadOptions): Promise<NodeModel[]> {
  return list(await getJson(conn, '/nodes', filters(f), o), parseNode);
}

/** Services with ServiceStatus (running/desired tasks), which only the list call reports. */
export async function listServices(conn: DockerConnection, f?: Filters, o?: ReadOptions): Promise<ServiceModel[]> {
  return list(await getJson(conn, '/services', { status: true, ...filters(f) }, o), parseService);
}

export async function listTasks(conn: DockerConnection, f?: Filters, o?: ReadOptions): Promise<TaskModel[]> {
  return list(await getJson(conn, '/tasks', filters(f), o), parseTask);
}

export async function listSecrets(conn: DockerConnection, f?: Filters, o?: ReadOptions): Promise<SecretModel[]> {
  return list(await getJson(conn, '/secrets', filters(f), o), parseSecret);
}

export async function listConfigs(conn: DockerConnection, f?: Filters, o?: ReadOptions): Promise<ConfigModel[]> {
  return list(await getJson(conn, '/configs', filters(f), o), parseConfig);
}

/** Swarm-scoped networks only: local bridge/host networks of one engine are not cluster state. */
export async function listNetworks(conn: DockerConnection, f?: Filters, o?: ReadOptions): Promise<NetworkModel[]> {
  return list(await getJson(conn, '/networks', filters({ ...f, scope: ['swarm'] }), o), parseNetwork);
}

export async function inspectSwarm(conn: DockerConnection, o?: ReadOptions): Promise<SwarmModel | null> {
  return parseSwarm(await getJson(conn, '/swarm', {}, o));
}

export async function readEngine(conn: DockerConnection, o?: ReadOptions): Promise<EngineModel> {
  const [info, version] = await Promise.all([getJson(conn, '/info', {}, o), getJson(conn, '/version', {}, o)]);
  return parseEngine(info, version);
}

/** Filters match ID prefixes, so re-reads by id keep only the exact match. */
function exact<T extends { id: Id }>(items: readonly T[], id: Id): T | null {
  return items.find((x) => x.id === id) ?? null;
}

export async function readNode(conn: DockerConnection, id: Id, o?: ReadOptions): Promise<NodeModel | null> {
  return exact(await listNodes(conn, { id: [id] }, o), id);
}

export async function readService(conn: DockerConnection, id: Id, o?: ReadOptions): Promise<ServiceModel | null> {
  return exact(await listServices(conn, { id: [id] }, o), id);
}

export async function readSecret(conn: DockerConnection, id: Id, o?: ReadOptions): Promise<SecretModel | null> {
  return exact(await listSecrets(conn, { id: [id] }, o), id);
}

export async function readConfig(conn: DockerConnection, id: Id, o?: ReadOptions): Promise<ConfigModel | null> {
  return exact(await listConfigs(conn, { id: [id] }, o), id);
}

export async function readNetwork(conn: DockerConnection, id: Id, o?: ReadOptions): Promise<NetworkModel | null> {
  return exact(await listNetworks(conn, { id: [id] }, o), id);
}

export function serviceTasks(conn: DockerConnection, serviceId: Id, o?: ReadOptions): Promise<TaskModel[]> {
  return listTasks(conn, { service: [serviceId] }, o);
}

export function nodeTasks(conn: DockerConnection, nodeId: Id, o?: ReadOptions): Promise<TaskModel[]> {
  return listTasks(conn, { node: [nodeId] }, o);
}

/** Everything the store holds, read in parallel from one manager. */
export async function readSnapshot(conn: DockerConnection, o?: ReadOptions): Promise<Snapshot> {
  const [engine, swarm, nodes, services, tasks, secrets, configs, networks] = await Promise.all([
    readEngine(conn, o), inspectSwarm(conn, o), listNodes(conn, undefined, o), listServices(conn, undefined, o),
    listTasks(conn, undefined, o), listSecrets(conn, undefined, o), listConfigs(conn, undefined, o), listNetworks(conn, undefined, o),
  ]);
  return { engine, swarm, nodes, services, tasks, secrets, configs, networks };
}

/**
 * What a fleet row needs, read in parallel from one manager: the engine, the swarm, nodes and services
 * (with their running/desired counts). No tasks, secrets, configs or networks: a context watched from
 * the fleet polls tasks only for the services that do not converge.
 */
export async function readLightSnapshot(conn: DockerConnection, o?: ReadOptions): Promise<Snapshot> {
  const [engine, swarm, nodes, services] = await Promise.all([
    readEngine(conn, o), inspectSwarm(conn, o), listNodes(conn, undefined, o), listServices(conn, undefined, o),
  ]);
  return { engine, swarm, nodes, services, tasks: [], secrets: [], configs: [], networks: [] };
}
