import { asObject, type JsonObject } from '../docker/api/specs.js';

/**
 * A service spec in a form where "the same" means the same: the engine stores what it was sent with its
 * defaults filled in (Runtime "container", EndpointSpec.Mode "vip", network names turned into IDs...),
 * so a stored spec and the spec a compose file converts to are compared after both go through this:
 * zero values dropped, defaults dropped, network IDs shown as names.
 */

const DEFAULTS: Readonly<Record<string, unknown>> = {
  'TaskTemplate.Runtime': 'container',
  'TaskTemplate.ContainerSpec.Isolation': 'default',
  'EndpointSpec.Mode': 'vip',
  'Mode.Replicated.Replicas': 1,
};

const LIST_ITEM_DEFAULTS: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  'EndpointSpec.Ports': { Protocol: 'tcp', PublishMode: 'ingress' },
};

function prune(value: unknown, path: string): unknown {
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map((v) => {
      const defaults = LIST_ITEM_DEFAULTS[path];
      const o: unknown = defaults && v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v as JsonObject).filter(([k, x]) => defaults[k] !== x)) : v;
      return prune(o, `${path}[]`);
    });
    return items.length === 0 ? undefined : items;
  }
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value as JsonObject)) {
      const p = path === '' ? k : `${path}.${k}`;
      if (DEFAULTS[p] !== undefined && DEFAULTS[p] === v) continue;
      const x = prune(v, p);
      if (x !== undefined) out[k] = x;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  if (value === null || value === '' || value === 0 || value === false) return undefined;
  return value;
}

export function canonicalSpec(spec: JsonObject, networkNames: ReadonlyMap<string, string>): JsonObject {
  const task = asObject(spec.TaskTemplate);
  const networks = Array.isArray(task.Networks) ? task.Networks.map((n) => {
    const o = asObject(n);
    const target = typeof o.Target === 'string' ? networkNames.get(o.Target) ?? o.Target : o.Target;
    return { ...o, Target: target };
  }) : task.Networks;
  const withNames = { ...spec, TaskTemplate: { ...task, ...(networks !== undefined ? { Networks: networks } : {}) } };
  return asObject(prune(withNames, ''));
}
