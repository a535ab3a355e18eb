import type { DockerConnection } from '../docker/connection.js';
import { toDockerApiError } from '../docker/errors.js';
import { readStack, removeObject, stackTaskStates, type ObjectKind, type RawObject } from '../docker/api/stack.js';

/**
 * Removing a stack as `docker stack rm` does: services, then secrets, configs and networks, each
 * attempted even if an earlier one failed (the CLI's behaviour: a half-removed stack is worse than
 * one whose leftovers are named). The plan names everything and the tasks that stop.
 */

export interface RemovalPlan {
  stack: string;
  services: RawObject[];
  networks: RawObject[];
  secrets: RawObject[];
  configs: RawObject[];
  /** Tasks meant to run now: they stop. */
  liveTasks: number;
}

export async function planRemoval(conn: DockerConnection, stack: string): Promise<RemovalPlan> {
  const [objs, tasks] = await Promise.all([readStack(conn, stack), stackTaskStates(conn, stack)]);
  return { stack, ...objs, liveTasks: tasks.filter((t) => t.desired === 'running' || t.desired === 'ready').length };
}

function names(objs: readonly RawObject[]): string {
  return objs.map((o) => o.name).join(', ');
}

export function describeRemoval(plan: RemovalPlan): string[] {
  const lines = [`Stack ${plan.stack} is removed:`];
  if (plan.services.length > 0) lines.push(`- ${plan.services.length} service(s): ${names(plan.services)}`);
  if (plan.secrets.length > 0) lines.push(`- ${plan.secrets.length} secret(s): ${names(plan.secrets)}`);
  if (plan.configs.length > 0) lines.push(`- ${plan.configs.length} config(s): ${names(plan.configs)}`);
  if (plan.networks.length > 0) lines.push(`- ${plan.networks.length} network(s): ${names(plan.networks)}`);
  lines.push(plan.liveTasks > 0 ? `${plan.liveTasks} running task(s) stop.` : 'No task is running.');
  return lines;
}

export interface RemovalResult {
  kind: ObjectKind;
  id: string;
  name: string;
  ok: boolean;
  message: string;
}

export async function removeStackObjects(conn: DockerConnection, plan: RemovalPlan): Promise<RemovalResult[]> {
  const results: RemovalResult[] = [];
  for (const o of [...plan.services, ...plan.secrets, ...plan.configs, ...plan.networks]) {
    try {
      await removeObject(conn, o.kind, o.id);
      results.push({ kind: o.kind, id: o.id, name: o.name, ok: true, message: `${o.kind} ${o.name} removed` });
    } catch (err) {
      results.push({ kind: o.kind, id: o.id, name: o.name, ok: false, message: `failed to remove ${o.kind} ${o.name}: ${toDockerApiError(err).message}` });
    }
  }
  return results;
}
