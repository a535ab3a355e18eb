import type { DockerConnection } from '../connection.js';
import { DockerApiError } from '../errors.js';
import type { NodeAvailability, NodeRole } from '../../store/model.js';
import { apiRequest } from './request.js';
import { asObject, readNodeSpec, readServiceSpec, readSwarmSpec, type JsonObject } from './specs.js';

/**
 * Writes to the swarm. Each one re-reads the current spec (so fields we do not model survive), applies
 * one change, and sends it with the version the operator saw: if anything changed in between the
 * engine answers "update out of sequence" (DockerApiError.outOfSequence) and nothing is overwritten.
 * Nothing here retries with a fresher version.
 */

const enc = encodeURIComponent;

export interface NodeChange {
  role?: NodeRole;
  availability?: NodeAvailability;
  /** Labels to set (added or replaced). */
  setLabels?: Readonly<Record<string, string>>;
  /** Label keys to remove. */
  removeLabels?: readonly string[];
  /**
   * The labels to send, computed from the engine's raw labels as read now (an edit typed over their
   * display form keeps every label it did not touch exactly as the engine holds it).
   */
  editLabels?: (raw: Readonly<Record<string, string>>) => Record<string, string>;
}

export async function updateNode(conn: DockerConnection, id: string, version: number, change: NodeChange): Promise<void> {
  const { spec } = await readNodeSpec(conn, id);
  const next: JsonObject = { ...spec };
  if (change.role) next.Role = change.role;
  if (change.availability) next.Availability = change.availability;
  if (change.setLabels || change.removeLabels) {
    const labels: Record<string, unknown> = { ...asObject(spec.Labels) };
    for (const k of change.removeLabels ?? []) delete labels[k];
    Object.assign(labels, change.setLabels ?? {});
    next.Labels = labels;
  }
  if (change.editLabels) {
    const raw = asObject(next.Labels);
    const strings = Object.fromEntries(Object.entries(raw).filter((e): e is [string, string] => typeof e[1] === 'string'));
    const others = Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v !== 'string'));
    next.Labels = { ...others, ...change.editLabels(strings) };
  }
  await apiRequest(conn, 'POST', `/nodes/${enc(id)}/update`, { query: { version }, body: next });
}

/** Removes a node from the swarm (the engine refuses a node that is not down unless forced). */
export async function removeNode(conn: DockerConnection, id: string, force = false): Promise<void> {
  await apiRequest(conn, 'DELETE', `/nodes/${enc(id)}`, force ? { query: { force: true } } : {});
}

export type ServiceChange =
  | { kind: 'scale'; replicas: number }
  /** A rolling restart: TaskTemplate.ForceUpdate + 1 replaces every task even though nothing else changed. */
  | { kind: 'force-update' }
  /** Server-side rollback to PreviousSpec, as `docker service rollback` does. */
  | { kind: 'rollback' }
  /**
   * Resumes a paused update or rollback: swarmkit clears UpdateStatus on every service update, so
   * sending the unchanged spec restarts the updater (what `docker service update SERVICE` does).
   */
  | { kind: 'resume' };

export async function updateService(conn: DockerConnection, id: string, version: number, change: ServiceChange): Promise<void> {
  const { spec, hasPreviousSpec } = await readServiceSpec(conn, id);
  const next: JsonObject = { ...spec };
  const query: Record<string, string | number> = { version };
  switch (change.kind) {
    case 'scale': {
      const mode = asObject(spec.Mode);
      if (!('Replicated' in mode)) throw new DockerApiError(`service ${id} is not a replicated service: it cannot be scaled`, null, null);
      next.Mode = { ...mode, Replicated: { ...asObject(mode.Replicated), Replicas: change.replicas } };
      break;
    }
    case 'force-update': {
      const tt = asObject(spec.TaskTemplate);
      const current = typeof tt.ForceUpdate === 'number' ? tt.ForceUpdate : 0;
      next.TaskTemplate = { ...tt, ForceUpdate: current + 1 };
      break;
    }
    case 'rollback':
      if (!hasPreviousSpec) throw new DockerApiError(`service ${id} has no previous spec to roll back to`, null, null);
      query.rollback = 'previous';
      break;
    case 'resume':
      break;
  }
  await apiRequest(conn, 'POST', `/services/${enc(id)}/update`, { query, body: next });
}

export async function removeService(conn: DockerConnection, id: string): Promise<void> {
  await apiRequest(conn, 'DELETE', `/services/${enc(id)}`);
}

export interface SwarmChange {
  rotateWorkerToken?: boolean;
  rotateManagerToken?: boolean;
  rotateManagerUnlockKey?: boolean;
  /** CAConfig.ForceRotate + 1: a new root CA, every node gets a new certificate (`docker swarm ca --rotate`). */
  rotateCA?: boolean;
}

export async function updateSwarm(conn: DockerConnection, version: number, change: SwarmChange): Promise<void> {
  const { spec } = await readSwarmSpec(conn);
  const next: JsonObject = { ...spec };
  if (change.rotateCA) {
    const ca = asObject(spec.CAConfig);
    const current = typeof ca.ForceRotate === 'number' ? ca.ForceRotate : 0;
    // The signing CA fields must not be sent back as read: the engine generates the new root.
    const { SigningCACert: _c, SigningCAKey: _k, ...rest } = ca;
    next.CAConfig = { ...rest, ForceRotate: current + 1 };
  }
  await apiRequest(conn, 'POST', '/swarm/update', {
    query: {
      version,
      rotateWorkerToken: change.rotateWorkerToken === true,
      rotateManagerToken: change.rotateManagerToken === true,
      rotateManagerUnlockKey: change.rotateManagerUnlockKey === true,
    },
    body: next,
  });
}

function warningsOf(res: unknown): string[] {
  const w = asObject(res).Warnings;
  return Array.isArray(w) ? w.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Sends a whole service spec, as the caller built it from a spec it read (an edit, a set-image, a quick
 * edit): every field it did not touch goes back exactly as the engine returned it. `version` is the one
 * that spec was read at, so a change made meanwhile makes the engine answer "update out of sequence".
 * Returns the engine's warnings (an image it could not resolve...).
 */
export async function replaceServiceSpec(conn: DockerConnection, id: string, version: number, spec: JsonObject): Promise<{ warnings: string[] }> {
  const res = await apiRequest(conn, 'POST', `/services/${enc(id)}/update`, { query: { version }, body: spec });
  return { warnings: warningsOf(res) };
}

/** Creates a service from a whole spec (`docker service create`); the image is sent as written (no registry lookup). */
export async function createServiceFromSpec(conn: DockerConnection, spec: JsonObject): Promise<{ id: string; warnings: string[] }> {
  const res = asObject(await apiRequest(conn, 'POST', '/services/create', { body: spec }));
  const id = typeof res.ID === 'string' ? res.ID : '';
  if (id === '') throw new DockerApiError('the engine created no service (no ID in its answer)', null, null);
  return { id, warnings: warningsOf(res) };
}
