import type { DockerConnection } from '../connection.js';
import { DockerApiError, toDockerApiError } from '../errors.js';
import { parseService } from '../parse/index.js';
import type { ServiceModel } from '../../store/model.js';
import { getJson } from './read.js';
import { apiRequest } from './request.js';
import { asObject, readServiceSpec, type JsonObject } from './specs.js';

/**
 * Secrets and configs: create, remove, and swapping the one a service mounts for another. Swarm objects
 * of both kinds are immutable (only their labels can change), so a new value is always a new object.
 */

export type SecretKind = 'secret' | 'config';

const enc = encodeURIComponent;
const PATH: Readonly<Record<SecretKind, string>> = { secret: '/secrets', config: '/configs' };
const REF_FIELDS: Readonly<Record<SecretKind, { list: string; id: string; name: string }>> = {
  secret: { list: 'Secrets', id: 'SecretID', name: 'SecretName' },
  config: { list: 'Configs', id: 'ConfigID', name: 'ConfigName' },
};

export interface NewSecret {
  name: string;
  labels: Readonly<Record<string, string>>;
  /** The value. The caller owns it and zeroes it once this call has returned. */
  data: Buffer;
  /** Configs only: a template driver ("golang"), as `docker config create --template-driver`. */
  templateDriver?: string | null;
}

/** Every appearance of the value (raw and base64) in an error is masked: the engine should never echo it, but nothing relies on that. */
function withoutValue(err: unknown, data: Buffer): DockerApiError {
  const e = toDockerApiError(err);
  let message = e.message;
  const forms = [data.toString('base64'), data.toString('utf8')].filter((f) => f.length >= 4);
  for (const f of forms) message = message.split(f).join('••••••');
  return message === e.message ? e : new DockerApiError(message, e.status, e.code);
}

/** POST /secrets/create or /configs/create; returns the new object's id. */
export async function createSecretObject(conn: DockerConnection, kind: SecretKind, spec: NewSecret): Promise<string> {
  const body: JsonObject = { Name: spec.name, Labels: { ...spec.labels }, Data: spec.data.toString('base64') };
  if (kind === 'config' && spec.templateDriver) body.Templating = { Name: spec.templateDriver };
  let res: unknown;
  try {
    res = await apiRequest(conn, 'POST', `${PATH[kind]}/create`, { body });
  } catch (err) {
    throw withoutValue(err, spec.data);
  } finally {
    // The base64 copy is a string (immutable): drop the reference at least.
    body.Data = '';
  }
  const id = asObject(res).ID;
  if (typeof id !== 'string' || id === '') throw new DockerApiError(`the engine created ${kind} ${spec.name} but returned no ID`, null, null);
  return id;
}

/** DELETE; the engine refuses one that a service still uses (its message names the services). */
export async function removeSecretObject(conn: DockerConnection, kind: SecretKind, id: string): Promise<void> {
  await apiRequest(conn, 'DELETE', `${PATH[kind]}/${enc(id)}`);
}

export interface SecretRef {
  id: string;
  name: string;
}

/** How a service mounts one secret or config: the file it appears as inside the container. */
export interface SecretMount {
  target: string;
  uid: string;
  gid: string;
  /** File mode, e.g. 0o444. */
  mode: number;
  /** A config used as a credential spec (Runtime) rather than a file. */
  runtime: boolean;
}

/** The mounts of `refId` in a raw service spec (a service may mount the same secret at several targets). */
export function mountsIn(spec: JsonObject, kind: SecretKind, refId: string): SecretMount[] {
  const f = REF_FIELDS[kind];
  const container = asObject(asObject(spec.TaskTemplate).ContainerSpec);
  const list = Array.isArray(container[f.list]) ? (container[f.list] as unknown[]) : [];
  const out: SecretMount[] = [];
  for (const item of list) {
    const ref = asObject(item);
    if (ref[f.id] !== refId) continue;
    const file = asObject(ref.File);
    out.push({
      target: typeof file.Name === 'string' ? file.Name : '',
      uid: typeof file.UID === 'string' ? file.UID : '0',
      gid: typeof file.GID === 'string' ? file.GID : '0',
      mode: typeof file.Mode === 'number' ? file.Mode : 0o444,
      runtime: ref.Runtime !== undefined && ref.File === undefined,
    });
  }
  return out;
}

/**
 * Makes a service mount `to` wherever it mounted `from`: same file name, uid, gid and mode (every other
 * field of the reference kept), the rest of the spec as the engine has it now, sent with the version the
 * operator saw. The engine starts a rolling update of the tasks under the service's update policy.
 * Returns how many references were swapped (0: the service no longer mounts `from`; nothing was sent).
 */
export async function swapServiceReference(conn: DockerConnection, serviceId: string, version: number, kind: SecretKind, from: string, to: SecretRef): Promise<number> {
  const f = REF_FIELDS[kind];
  const { spec } = await readServiceSpec(conn, serviceId);
  const tt = asObject(spec.TaskTemplate);
  const container = asObject(tt.ContainerSpec);
  const list = Array.isArray(container[f.list]) ? (container[f.list] as unknown[]) : [];
  let swapped = 0;
  const next = list.map((item) => {
    const ref = asObject(item);
    if (ref[f.id] !== from) return item;
    swapped++;
    return { ...ref, [f.id]: to.id, [f.name]: to.name };
  });
  if (swapped === 0) return 0;
  const body: JsonObject = { ...spec, TaskTemplate: { ...tt, ContainerSpec: { ...container, [f.list]: next } } };
  await apiRequest(conn, 'POST', `/services/${enc(serviceId)}/update`, { query: { version }, body });
  return swapped;
}

/** A service that mounts some of the given secrets/configs, read fresh with its raw spec's mounts. */
export interface ServiceMounts {
  service: ServiceModel;
  /** Mounts per secret/config id (only the ids asked about). */
  mounts: ReadonlyMap<string, readonly SecretMount[]>;
}

/** Every service mounting one of `ids`, as the engine has it now (version included: what a plan shows). */
export async function servicesMounting(conn: DockerConnection, kind: SecretKind, ids: readonly string[]): Promise<ServiceMounts[]> {
  const raw = await getJson(conn, '/services', { status: true });
  const out: ServiceMounts[] = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    const service = parseService(item);
    if (!service) continue;
    const spec = asObject(asObject(item).Spec);
    const mounts = new Map<string, SecretMount[]>();
    for (const id of ids) {
      const m = mountsIn(spec, kind, id);
      if (m.length > 0) mounts.set(id, m);
    }
    if (mounts.size > 0) out.push({ service, mounts });
  }
  return out;
}

export interface SecretObject {
  id: string;
  name: string;
  version: number;
  labels: Readonly<Record<string, string>>;
  /** Configs: the template driver it was created with (kept by a rotation); null when none. */
  templateDriver: string | null;
}

/** GET one secret or config (never its value: the engine does not return a secret's). */
export async function readSecretObject(conn: DockerConnection, kind: SecretKind, id: string): Promise<SecretObject> {
  const o = asObject(await apiRequest(conn, 'GET', `${PATH[kind]}/${enc(id)}`));
  const spec = asObject(o.Spec);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(asObject(spec.Labels))) if (typeof v === 'string') labels[k] = v;
  const driver = asObject(spec.Templating).Name;
  const idx = asObject(o.Version).Index;
  return {
    id: typeof o.ID === 'string' ? o.ID : id,
    name: typeof spec.Name === 'string' ? spec.Name : '',
    version: typeof idx === 'number' ? idx : 0,
    labels,
    templateDriver: typeof driver === 'string' && driver !== '' ? driver : null,
  };
}
