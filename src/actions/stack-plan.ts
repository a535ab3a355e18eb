import { convertConfigs, convertNetworks, convertSecrets, IMAGE_LABEL, scope } from '../compose/convert.js';
import { convertService, type ObjectIds } from '../compose/convert-service.js';
import type { ComposeConfig } from '../compose/model.js';
import type { DockerConnection } from '../docker/connection.js';
import { inspectNetwork, listAll, readStack, type ObjectKind, type RawObject } from '../docker/api/stack.js';
import { asObject, type JsonObject } from '../docker/api/specs.js';
import { describeDiff } from './spec-diff.js';
import { canonicalSpec } from './stack-canonical.js';

/**
 * What a deploy will do, computed before anything is sent: per object create / update (with the field
 * diff) / unchanged / remove (--prune), in the order it will be applied, plus every reason it cannot be
 * applied at all (a config whose content changed, a missing external network, a name taken by an object
 * outside the stack). The apply step sends exactly these specs, with the versions read here.
 */

export type StepOp = 'create' | 'update' | 'unchanged' | 'remove';

export interface PlanStep {
  kind: ObjectKind;
  op: StepOp;
  name: string;
  /** The existing object (update, unchanged, remove). */
  id?: string;
  version?: number;
  /** Field diff lines (update), secret-looking values masked. */
  changes: string[];
  /** What is sent: a create body or the whole new spec (services: secret/config IDs filled in at apply). */
  spec?: JsonObject;
  /** A service's name in the compose file (its spec is re-made at apply with the new objects' IDs). */
  service?: string;
  note?: string;
}

export type ResolveImage = 'always' | 'changed' | 'never';

export interface DeployPlan {
  stack: string;
  steps: PlanStep[];
  /** Why the plan cannot be applied (nothing is sent when there is any). */
  blockers: string[];
  warnings: string[];
  config: ComposeConfig;
  resolveImage: ResolveImage;
}

export interface PlanOptions {
  prune: boolean;
  resolveImage: ResolveImage;
  warnings?: readonly string[];
  readBytes?: (path: string) => Buffer;
}

function byName(objs: readonly RawObject[]): Map<string, RawObject> {
  return new Map(objs.map((o) => [o.name, o]));
}

function labelsOf(o: RawObject): Record<string, string> {
  return asObject(o.spec.Labels) as Record<string, string>;
}

/** IDs of secrets and configs by name: existing ones now, the created ones added at apply. */
export function idsFrom(secrets: ReadonlyMap<string, string>, configs: ReadonlyMap<string, string>): ObjectIds {
  return { secret: (n) => secrets.get(n), config: (n) => configs.get(n) };
}

/**
 * The spec as it will be sent to update an existing service: the docker CLI keeps the running image
 * (with its pinned digest) when the file names the same image, and keeps ForceUpdate.
 */
export function asUpdate(current: RawObject, next: JsonObject, resolveImage: ResolveImage): JsonObject {
  const cur = current.spec;
  const curTask = asObject(cur.TaskTemplate);
  const task = { ...asObject(next.TaskTemplate) };
  const container = { ...asObject(task.ContainerSpec) };
  const sameImage = asObject(next.Labels)[IMAGE_LABEL] === asObject(cur.Labels)[IMAGE_LABEL];
  if (resolveImage !== 'always' && sameImage) container.Image = asObject(curTask.ContainerSpec).Image;
  task.ContainerSpec = container;
  if (typeof curTask.ForceUpdate === 'number' && curTask.ForceUpdate !== 0) task.ForceUpdate = curTask.ForceUpdate;
  return { ...next, TaskTemplate: task };
}

export async function planDeploy(conn: DockerConnection, stack: string, config: ComposeConfig, opts: PlanOptions): Promise<DeployPlan> {
  const [existing, allSecrets, allConfigs, allNetworks] = await Promise.all([readStack(conn, stack), listAll(conn, 'secret'), listAll(conn, 'config'), listAll(conn, 'network')]);
  const blockers: string[] = [];
  const steps: PlanStep[] = [];
  const networksByName = byName(allNetworks);
  const networkIdsToNames = new Map(allNetworks.map((n) => [n.id, n.name]));

  const nets = convertNetworks(stack, config);
  for (const name of nets.external) {
    const nw = await inspectNetwork(conn, name);
    if (!nw) blockers.push(`network "${name}" is declared as external, but could not be found. You need to create a swarm-scoped network before the stack is deployed`);
    else if (nw.raw.Scope !== 'swarm') blockers.push(`network "${name}" is declared as external, but it is not in the right scope: "${String(nw.raw.Scope)}" instead of "swarm"`);
  }
  const stackNetworks = byName(existing.networks);
  for (const n of nets.create) {
    const found = stackNetworks.get(n.name);
    if (found) steps.push({ kind: 'network', op: 'unchanged', name: n.name, id: found.id, version: 0, changes: [], note: 'networks are never updated in place' });
    else if (networksByName.has(n.name)) blockers.push(`network ${n.name} already exists and is not part of stack ${stack} (no ${'com.docker.stack.namespace'}=${stack} label): rename it in the file (name:) or remove the other network`);
    else steps.push({ kind: 'network', op: 'create', name: n.name, changes: [`driver ${String(n.spec.Driver)}`], spec: n.spec });
  }

  const secretIds = new Map(allSecrets.map((s) => [s.name, s.id]));
  const configIds = new Map(allConfigs.map((c) => [c.name, c.id]));
  const read = opts.readBytes;
  for (const [kind, specs, all] of [['secret', convertSecrets(stack, config, read), byName(allSecrets)], ['config', convertConfigs(stack, config, read), byName(allConfigs)]] as const) {
    for (const o of specs) {
      const found = all.get(o.name);
      if (!found) {
        steps.push({ kind, op: 'create', name: o.name, changes: [], spec: o.spec });
        continue;
      }
      const labelsChanged = describeDiff(labelsOf(found), o.spec.Labels);
      if (kind === 'config' && typeof found.spec.Data === 'string' && found.spec.Data !== o.spec.Data) {
        blockers.push(`failed to update config ${o.name}: only updates to Labels are allowed (configs are immutable: give the changed one a new name, e.g. name: ${o.name}_v2)`);
        continue;
      }
      // The engine never returns a secret's data: the update carries it and the engine refuses a different content.
      const note = kind === 'secret' ? 'content checked by the engine (secrets are immutable: a different content is refused)' : undefined;
      steps.push({ kind, op: kind === 'secret' || labelsChanged.length > 0 ? 'update' : 'unchanged', name: o.name, id: found.id, version: found.version, changes: labelsChanged.map((l) => `Labels${l.startsWith('.') ? '' : '.'}${l}`), spec: o.spec, ...(note ? { note } : {}) });
    }
  }
  for (const [kind, defs, ids] of [['secret', config.secrets, secretIds], ['config', config.configs, configIds]] as const) {
    for (const [key, def] of Object.entries(defs)) {
      if (def.external && !ids.has(def.name ?? key)) blockers.push(`${kind} not found: ${def.name ?? key}`);
    }
  }

  const ids = idsFrom(secretIds, configIds);
  const current = byName(existing.services);
  for (const svc of config.services) {
    const name = scope(stack, svc.name);
    let spec: JsonObject;
    try {
      spec = convertService(stack, config, svc, ids);
    } catch (err) {
      blockers.push(err instanceof Error ? err.message : String(err));
      continue;
    }
    const found = current.get(name);
    if (!found) {
      steps.push({ kind: 'service', op: 'create', name, changes: [], spec, service: svc.name });
      continue;
    }
    const next = asUpdate(found, spec, opts.resolveImage);
    const changes = describeDiff(canonicalSpec(found.spec, networkIdsToNames), canonicalSpec(next, networkIdsToNames));
    steps.push({ kind: 'service', op: changes.length > 0 ? 'update' : 'unchanged', name, id: found.id, version: found.version, changes, spec: next, service: svc.name });
  }
  if (opts.prune) {
    const wanted = new Set(config.services.map((s) => scope(stack, s.name)));
    for (const s of existing.services) if (!wanted.has(s.name)) steps.push({ kind: 'service', op: 'remove', name: s.name, id: s.id, version: s.version, changes: [] });
  }
  return { stack, steps, blockers, warnings: [...(opts.warnings ?? [])], config, resolveImage: opts.resolveImage };
}
