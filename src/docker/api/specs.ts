import type { DockerConnection } from '../connection.js';
import { DockerApiError } from '../errors.js';
import { printable } from '../../text/printable.js';
import { apiRequest } from './request.js';

/**
 * Fresh reads of the raw specs that writes send back. An update replaces the whole spec, so a write
 * starts from the engine's current spec (keeping every field we do not model intact) and changes only
 * what the operator asked for. The version it sends is still the one the operator saw. These specs are
 * raw on purpose (never cleaned for display: that would write altered values back); the secrets read
 * below are only ever shown or copied, so they are made safe to draw like every other engine text.
 */

export type JsonObject = Record<string, unknown>;

export function asObject(v: unknown): JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
}

function asString(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export interface VersionedSpec {
  /** Version.Index now (only for messages: writes use the operator's version). */
  currentVersion: number;
  spec: JsonObject;
}

function versionOf(obj: JsonObject): number {
  const idx = asObject(obj.Version).Index;
  return typeof idx === 'number' ? idx : 0;
}

function requireSpec(what: string, obj: JsonObject): JsonObject {
  const spec = obj.Spec;
  if (spec === null || typeof spec !== 'object') throw new DockerApiError(`the engine returned ${what} without a Spec`, null, null);
  return { ...(spec as JsonObject) };
}

export async function readNodeSpec(conn: DockerConnection, id: string): Promise<VersionedSpec> {
  const node = asObject(await apiRequest(conn, 'GET', `/nodes/${encodeURIComponent(id)}`));
  return { currentVersion: versionOf(node), spec: requireSpec(`node ${id}`, node) };
}

export interface ServiceSpecs extends VersionedSpec {
  hasPreviousSpec: boolean;
}

export async function readServiceSpec(conn: DockerConnection, id: string): Promise<ServiceSpecs> {
  const svc = asObject(await apiRequest(conn, 'GET', `/services/${encodeURIComponent(id)}`));
  return { currentVersion: versionOf(svc), spec: requireSpec(`service ${id}`, svc), hasPreviousSpec: svc.PreviousSpec != null };
}

export async function readSwarmSpec(conn: DockerConnection): Promise<VersionedSpec> {
  const swarm = asObject(await apiRequest(conn, 'GET', '/swarm'));
  return { currentVersion: versionOf(swarm), spec: requireSpec('the swarm', swarm) };
}

export type JoinRole = 'worker' | 'manager';

/** A join command as `docker swarm join-token` prints it. Fetched on demand, never stored. */
export async function readJoinCommand(conn: DockerConnection, role: JoinRole): Promise<{ token: string; addr: string; command: string }> {
  const swarm = asObject(await apiRequest(conn, 'GET', '/swarm'));
  const tokens = asObject(swarm.JoinTokens);
  const token = asString(role === 'worker' ? tokens.Worker : tokens.Manager);
  if (token === '') throw new DockerApiError(`the engine did not return a ${role} join token (is it a manager?)`, null, null);
  // Same address the docker CLI prints: the manager we are talking to.
  const info = asObject(await apiRequest(conn, 'GET', '/info'));
  const swarmInfo = asObject(info.Swarm);
  const nodeId = asString(swarmInfo.NodeID);
  let addr = '';
  if (nodeId !== '') {
    const node = asObject(await apiRequest(conn, 'GET', `/nodes/${encodeURIComponent(nodeId)}`));
    addr = asString(asObject(node.ManagerStatus).Addr);
  }
  if (addr === '') addr = asString(swarmInfo.NodeAddr) !== '' ? `${asString(swarmInfo.NodeAddr)}:2377` : '<manager-address>:2377';
  const clean = { token: printable(token, 'line'), addr: printable(addr, 'line') };
  return { ...clean, command: `docker swarm join --token ${clean.token} ${clean.addr}` };
}

/** The current unlock key (empty when autolock is off). Fetched on demand, never stored. */
export async function readUnlockKey(conn: DockerConnection): Promise<string> {
  const res = asObject(await apiRequest(conn, 'GET', '/swarm/unlockkey'));
  return printable(asString(res.UnlockKey), 'line');
}
