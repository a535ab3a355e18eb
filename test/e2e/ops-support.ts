/**
 * Shared by the ops e2e files: a real connection to a lab manager, actions run through the guard
 * (read-only switch + audit log in a temporary XDG state dir), and targets read with the docker CLI,
 * exactly as an operator would have seen them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guardedActions } from '../../src/actions/guard.js';
import { fileAuditLog } from '../../src/actions/audit.js';
import { auditLogFile } from '../../src/config/paths.js';
import type { ActionOutcome, ActionSpec, ActionTarget } from '../../src/actions/types.js';
import { openUnixSocket, type DockerConnection } from '../../src/docker/connection.js';
import type { LabNode } from '../../lab/layout.js';
import { waitFor } from '../../lab/sh.js';
import { dockerCli } from './setup/lab-handle.js';

export { waitFor };

export interface OpsHarness {
  connection: DockerConnection;
  auditFile: string;
  /** The guarded action with this id (read-only or not). */
  action(id: string, readOnly?: boolean): ActionSpec;
  run(id: string, target: ActionTarget, input?: string | null, readOnly?: boolean): Promise<ActionOutcome>;
}

export function opsHarness(via: LabNode): OpsHarness {
  const stateHome = mkdtempSync(join(tmpdir(), 'swarmtop-ops-'));
  const auditFile = auditLogFile({ XDG_STATE_HOME: stateHome });
  const audit = fileAuditLog(auditFile);
  const rw = guardedActions({ readOnly: false, audit });
  const ro = guardedActions({ readOnly: true, audit });
  const connection = openUnixSocket(via.socket);
  const action = (id: string, readOnly = false): ActionSpec => {
    const a = (readOnly ? ro : rw).find((x) => x.id === id);
    if (!a) throw new Error(`no action ${id}`);
    return a;
  };
  return {
    connection,
    auditFile,
    action,
    run: (id, target, input = null, readOnly = false) => action(id, readOnly).run({ connection, context: 'lab', readOnly: false }, target, input),
  };
}

export type Json = Record<string, unknown>;

export async function inspect(node: LabNode, kind: 'node' | 'service', name: string): Promise<Json> {
  const out = await dockerCli(node, [kind, 'inspect', name]);
  const arr = JSON.parse(out) as Json[];
  const first = arr[0];
  if (!first) throw new Error(`${kind} ${name} not found`);
  return first;
}

export function versionOf(obj: Json): number {
  return (obj.Version as { Index: number }).Index;
}

export async function nodeTarget(via: LabNode, hostname: string): Promise<ActionTarget> {
  const n = await inspect(via, 'node', hostname);
  return { kind: 'node', id: n.ID as string, name: hostname, version: versionOf(n) };
}

export async function serviceTarget(via: LabNode, name: string): Promise<ActionTarget> {
  const s = await inspect(via, 'service', name);
  return { kind: 'service', id: s.ID as string, name, version: versionOf(s) };
}

export async function swarmTarget(via: LabNode): Promise<ActionTarget> {
  const out = await dockerCli(via, ['info', '--format', '{{json .Swarm.Cluster}}']);
  const cluster = JSON.parse(out) as Json;
  return { kind: 'swarm', id: '', name: 'swarm', version: versionOf(cluster) };
}

/** `docker service ps` rows of tasks meant to run: node hostname and current state. */
export async function runningTasks(via: LabNode, service: string): Promise<{ node: string; state: string }[]> {
  const out = await dockerCli(via, ['service', 'ps', service, '--filter', 'desired-state=running', '--format', '{{.Node}}|{{.CurrentState}}']);
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [node = '', state = ''] = l.split('|');
      return { node, state };
    });
}

export async function createService(via: LabNode, name: string, args: readonly string[]): Promise<void> {
  await dockerCli(via, ['service', 'create', '--detach', '--no-resolve-image', '--name', name, ...args]);
}

export async function waitRunning(via: LabNode, name: string, count: number, timeoutMs = 90_000): Promise<void> {
  await waitFor(`${name}: ${count} tasks running`, timeoutMs, async () => {
    const rows = await runningTasks(via, name);
    return rows.length === count && rows.every((r) => r.state.startsWith('Running'));
  }, 500);
}
