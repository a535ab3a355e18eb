import type { DockerConnection } from '../connection.js';
import { DockerApiError } from '../errors.js';
import { apiRequest } from './request.js';
import { asObject, type JsonObject } from './specs.js';

/**
 * The raw objects of a stack (everything labelled com.docker.stack.namespace=NAME, as the docker CLI
 * finds them) and the writes a deploy, an update or a removal sends. Specs are kept as the engine
 * returns them: plans diff them field by field and updates send them back whole.
 */

export const STACK_LABEL = 'com.docker.stack.namespace';

const enc = encodeURIComponent;

export type ObjectKind = 'service' | 'network' | 'secret' | 'config';

export interface RawObject {
  kind: ObjectKind;
  id: string;
  name: string;
  /** Version.Index (0 for networks, which have none). */
  version: number;
  spec: JsonObject;
  /** The whole object as returned (networks: their top-level fields; services: UpdateStatus etc.). */
  raw: JsonObject;
}

export interface StackObjects {
  services: RawObject[];
  networks: RawObject[];
  secrets: RawObject[];
  configs: RawObject[];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function toRaw(kind: ObjectKind, o: JsonObject): RawObject {
  if (kind === 'network') {
    // Networks have no Spec/Version: their create options are top-level fields.
    return { kind, id: str(o.Id) || str(o.ID), name: str(o.Name), version: 0, spec: o, raw: o };
  }
  const spec = asObject(o.Spec);
  const idx = asObject(o.Version).Index;
  return { kind, id: str(o.ID), name: str(spec.Name), version: typeof idx === 'number' ? idx : 0, spec, raw: o };
}

function listPath(kind: ObjectKind): string {
  return `/${kind}s`;
}

async function list(conn: DockerConnection, kind: ObjectKind, filters: Record<string, string[]>): Promise<RawObject[]> {
  const query: Record<string, string> = Object.keys(filters).length > 0 ? { filters: JSON.stringify(filters) } : {};
  const res = await apiRequest(conn, 'GET', listPath(kind), { query });
  if (!Array.isArray(res)) throw new DockerApiError(`the engine returned no list of ${kind}s`, null, null);
  return res.map((o) => toRaw(kind, asObject(o))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Everything of one stack, by its label. */
export async function readStack(conn: DockerConnection, stack: string): Promise<StackObjects> {
  const f = { label: [`${STACK_LABEL}=${stack}`] };
  const [services, networks, secrets, configs] = await Promise.all([list(conn, 'service', f), list(conn, 'network', f), list(conn, 'secret', f), list(conn, 'config', f)]);
  return { services, networks, secrets, configs };
}

/** All objects of one kind (name lookups: external secrets, name conflicts). */
export function listAll(conn: DockerConnection, kind: ObjectKind): Promise<RawObject[]> {
  return list(conn, kind, {});
}

/** Network inspect by name or id; null when it does not exist. */
export async function inspectNetwork(conn: DockerConnection, nameOrId: string): Promise<RawObject | null> {
  try {
    return toRaw('network', asObject(await apiRequest(conn, 'GET', `/networks/${enc(nameOrId)}`)));
  } catch (err) {
    if (err instanceof DockerApiError && err.notFound) return null;
    throw err;
  }
}

/** Tasks of a stack's services (for the impact of a removal). */
export async function stackTaskStates(conn: DockerConnection, stack: string): Promise<{ serviceId: string; desired: string; state: string }[]> {
  const res = await apiRequest(conn, 'GET', '/tasks', { query: { filters: JSON.stringify({ label: [`${STACK_LABEL}=${stack}`] }) } });
  if (!Array.isArray(res)) return [];
  return res.map((t) => {
    const o = asObject(t);
    return { serviceId: str(o.ServiceID), desired: str(o.DesiredState), state: str(asObject(o.Status).State) };
  });
}

function createdId(res: unknown): string {
  const o = asObject(res);
  return str(o.ID) || str(o.Id);
}

export async function createNetwork(conn: DockerConnection, spec: JsonObject): Promise<string> {
  return createdId(await apiRequest(conn, 'POST', '/networks/create', { body: spec }));
}

export async function createSecret(conn: DockerConnection, spec: JsonObject): Promise<string> {
  return createdId(await apiRequest(conn, 'POST', '/secrets/create', { body: spec }));
}

export async function createConfig(conn: DockerConnection, spec: JsonObject): Promise<string> {
  return createdId(await apiRequest(conn, 'POST', '/configs/create', { body: spec }));
}

/** Secrets and configs accept only label changes; the engine refuses a different Data. */
export async function updateFileObject(conn: DockerConnection, kind: 'secret' | 'config', id: string, version: number, spec: JsonObject): Promise<void> {
  await apiRequest(conn, 'POST', `/${kind}s/${enc(id)}/update`, { query: { version }, body: spec });
}

export interface ServiceWriteResult {
  id: string;
  warnings: string[];
}

function warnings(res: unknown): string[] {
  const w = asObject(res).Warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

export async function createService(conn: DockerConnection, spec: JsonObject): Promise<ServiceWriteResult> {
  const res = await apiRequest(conn, 'POST', '/services/create', { body: spec });
  return { id: createdId(res), warnings: warnings(res) };
}

/** Sends a whole new spec with the version the plan was made from: a stale version is refused by the engine. */
export async function replaceServiceSpec(conn: DockerConnection, id: string, version: number, spec: JsonObject): Promise<ServiceWriteResult> {
  const res = await apiRequest(conn, 'POST', `/services/${enc(id)}/update`, { query: { version }, body: spec });
  return { id, warnings: warnings(res) };
}

export async function removeObject(conn: DockerConnection, kind: ObjectKind, id: string): Promise<void> {
  await apiRequest(conn, 'DELETE', `/${kind}s/${enc(id)}`);
}
