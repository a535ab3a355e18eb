/**
 * Shared by the stack e2e files: writes a case's files, deploys it with the docker CLI (the oracle) or
 * with swarmtop (the same code path as the console and `swarmtop stack deploy`), and reads a stack's
 * objects back with the docker CLI in a form where two stacks compare equal when they are the same
 * but for their name (IDs turned into names, the stack name, the published-port and subnet prefixes).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileAuditLog } from '../../src/actions/audit.js';
import { guardAction } from '../../src/actions/guard.js';
import { deployStack, prepareDeploy } from '../../src/actions/stacks.js';
import type { DeployPlan } from '../../src/actions/stack-plan.js';
import type { ActionOutcome } from '../../src/actions/types.js';
import type { DockerConnection } from '../../src/docker/connection.js';
import { labEnv, run } from '../../lab/sh.js';
import type { LabNode } from '../../lab/layout.js';
import type { StackCase } from './stack-fixtures.js';

export type Json = Record<string, unknown>;

export function writeCase(c: StackCase, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), `swarmtop-stack-${c.name}-`));
  for (const [name, content] of Object.entries({ ...c.files, ...extra })) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

/** `docker stack deploy` as an operator runs it, never contacting a registry (none is reachable). */
export async function cliDeploy(node: LabNode, dir: string, files: readonly string[], stack: string, env: Record<string, string>, extra: readonly string[] = []): Promise<{ stdout: string; stderr: string }> {
  const args = ['-H', `unix://${node.socket}`, 'stack', 'deploy', '--resolve-image', 'never', ...extra, ...files.flatMap((f) => ['-c', f]), stack];
  return run('docker', args, { cwd: dir, env: { ...labEnv(), ...env }, timeout: 120_000 });
}

export interface OurDeploy {
  plan: DeployPlan;
  outcome: ActionOutcome | null;
}

export async function ourDeploy(conn: DockerConnection, dir: string, files: readonly string[], stack: string, env: Record<string, string>, opts: { prune?: boolean; auditFile?: string } = {}): Promise<OurDeploy> {
  const plan = await prepareDeploy(conn, { files, stack, prune: opts.prune ?? false, resolveImage: 'never', env, cwd: dir });
  if (plan.blockers.length > 0) throw new Error(plan.blockers.join('\n'));
  if (!plan.steps.some((s) => s.op !== 'unchanged')) return { plan, outcome: null };
  const audit = fileAuditLog(opts.auditFile ?? join(dir, 'audit.log'));
  const action = guardAction(deployStack, { readOnly: false, audit });
  const outcome = await action.run({ connection: conn, context: 'lab', readOnly: false }, { kind: 'stack', id: stack, name: stack, version: 0 }, null, plan);
  if (outcome.kind !== 'done') throw new Error(`swarmtop deploy of ${stack}: ${outcome.message}`);
  return { plan, outcome };
}

async function docker(node: LabNode, args: readonly string[]): Promise<string> {
  return (await run('docker', ['-H', `unix://${node.socket}`, ...args], { timeout: 60_000 })).stdout;
}

async function inspectAll(node: LabNode, kind: 'service' | 'network' | 'secret' | 'config', filter: string[]): Promise<Json[]> {
  const ids = (await docker(node, [kind, 'ls', '-q', ...filter])).split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (ids.length === 0) return [];
  return JSON.parse(await docker(node, [kind, 'inspect', ...ids])) as Json[];
}

export interface StackView {
  services: Record<string, unknown>;
  networks: Record<string, unknown>;
  secrets: Record<string, unknown>;
  configs: Record<string, unknown>;
}

const NETWORK_FIELDS = ['Name', 'Driver', 'Scope', 'Internal', 'Attachable', 'Ingress', 'Options', 'Labels', 'IPAM', 'EnableIPv6', 'ConfigOnly'];

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every object of the stack, keyed by normalized name, normalized as described above. */
export async function readStackView(node: LabNode, stack: string): Promise<StackView> {
  const f = ['--filter', `label=com.docker.stack.namespace=${stack}`];
  const [services, networks, secrets, configs, allNetworks, allSecrets, allConfigs] = await Promise.all([
    inspectAll(node, 'service', f), inspectAll(node, 'network', f), inspectAll(node, 'secret', f), inspectAll(node, 'config', f),
    inspectAll(node, 'network', []), inspectAll(node, 'secret', []), inspectAll(node, 'config', []),
  ]);
  const idNames = new Map<string, string>();
  for (const n of allNetworks) idNames.set(String(n.Id), String(n.Name));
  for (const s of [...allSecrets, ...allConfigs]) idNames.set(String(s.ID), String((s.Spec as Json).Name));
  const normalize = (v: unknown): unknown => {
    if (v === undefined) return v;
    let text = JSON.stringify(v);
    for (const [id, name] of idNames) text = text.split(id).join(`<${name}>`);
    text = text.replace(new RegExp(`\\b${escape(stack)}_`, 'g'), 'STACK_').split(`"${stack}"`).join('"STACK"');
    text = text.replace(/"PublishedPort":[12](\d{4})\b/g, '"PublishedPort":"P$1"').replace(/10\.20[12]\./g, '10.20X.');
    return JSON.parse(text) as unknown;
  };
  const keyed = (objs: Json[], pick: (o: Json) => unknown, name: (o: Json) => string): Record<string, unknown> =>
    Object.fromEntries(objs.map((o): [string, unknown] => [String(normalize(name(o))), normalize(pick(o))]).sort(([a], [b]) => (a < b ? -1 : 1)));
  const specName = (o: Json): string => String((o.Spec as Json).Name);
  const netView = (o: Json): Json => {
    const out: Json = Object.fromEntries(NETWORK_FIELDS.map((k) => [k, o[k]]));
    const ipam = (o.IPAM ?? {}) as Json;
    // Subnets the swarm picked itself (10.0.x.0/24) differ between any two networks.
    const config = ((ipam.Config ?? []) as Json[]).filter((c) => !(typeof c.Subnet === 'string' && c.Subnet.startsWith('10.0.')));
    out.IPAM = { ...ipam, Config: config };
    // The VXLAN id is allocated by the swarm, one per network.
    const { 'com.docker.network.driver.overlay.vxlanid_list': _vxlan, ...options } = (o.Options ?? {}) as Json;
    out.Options = options;
    return out;
  };
  return {
    services: keyed(services, (o) => o.Spec, specName),
    networks: keyed(networks, netView, (o) => String(o.Name)),
    secrets: keyed(secrets, (o) => o.Spec, specName),
    configs: keyed(configs, (o) => o.Spec, specName),
  };
}

export async function removeStacks(node: LabNode, stacks: readonly string[]): Promise<void> {
  if (stacks.length > 0) await docker(node, ['stack', 'rm', ...stacks]).catch(() => undefined);
}
