import type { ComposeConfig, FileRef, PortConfig, ServiceConfig, VolumeMount } from './model.js';

/**
 * Several `-c` files merged in order, with the docker CLI's rules: a later file's value replaces an
 * earlier one when it is set (an empty string, 0 or false set in a later file does not clear a value:
 * the CLI merges with "override when not empty" too), maps merge key by key, lists append, and the
 * keyed lists replace entries with the same key: ports by published port, volumes by target,
 * secrets and configs by source. command/entrypoint replace. Top-level networks, volumes, secrets and
 * configs replace whole entries by name.
 */

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fields that are pointers in the CLI's types: set means set, even to 0 or false. */
const POINTER_FIELDS = new Set(['init', 'replicas', 'stopGracePeriod', 'parallelism', 'maxAttempts', 'retries', 'timeout', 'interval', 'startPeriod', 'startInterval', 'window']);
/** Lists the override replaces rather than appends to. */
const REPLACED_LISTS = new Set(['command', 'entrypoint', 'test']);
/** Maps of string values merged key by key. */
const KEYED_BY: Readonly<Record<string, (x: never) => string>> = {
  ports: (p: PortConfig) => String(p.published ?? 0),
  volumes: (v: VolumeMount) => v.target ?? '',
  secrets: (r: FileRef) => r.source,
  configs: (r: FileRef) => r.source,
};

function isZero(v: unknown): boolean {
  return v === undefined || v === '' || v === 0 || v === false;
}

function mergeKeyed<T>(base: readonly T[], over: readonly T[], key: (x: T) => string, numeric: boolean): T[] {
  const m = new Map<string, T>();
  for (const x of base) m.set(key(x), x);
  for (const x of over) m.set(key(x), x);
  const keys = [...m.keys()].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => m.get(k) as T);
}

function mergeValue(key: string, base: unknown, over: unknown): unknown {
  if (over === undefined || over === null) return base;
  if (base === undefined || base === null) return over;
  if (Array.isArray(base) && Array.isArray(over)) {
    if (REPLACED_LISTS.has(key)) return (over as unknown[]).length > 0 ? over : base;
    return [...(base as unknown[]), ...(over as unknown[])];
  }
  if (isObj(base) && isObj(over)) return mergeObjects(base, over);
  if (POINTER_FIELDS.has(key)) return over;
  return isZero(over) ? base : over;
}

function mergeObjects(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = mergeValue(k, base[k], v);
  return out;
}

function mergeService(base: ServiceConfig, over: ServiceConfig): ServiceConfig {
  const rest: Obj = { ...over, ports: [], volumes: [], secrets: [], configs: [], logging: undefined, ulimits: undefined, networks: undefined };
  const out = mergeObjects(base as unknown as Obj, rest) as unknown as ServiceConfig;
  out.ports = mergeKeyed(base.ports, over.ports, KEYED_BY.ports as (x: PortConfig) => string, true);
  out.volumes = mergeKeyed(base.volumes, over.volumes, KEYED_BY.volumes as (x: VolumeMount) => string, false);
  out.secrets = mergeKeyed(base.secrets, over.secrets, KEYED_BY.secrets as (x: FileRef) => string, false);
  out.configs = mergeKeyed(base.configs, over.configs, KEYED_BY.configs as (x: FileRef) => string, false);
  // Same driver (or one unset): options merge; another driver replaces the whole logging section.
  if (over.logging) {
    const b = base.logging;
    if (!b || !b.driver || !over.logging.driver || b.driver === over.logging.driver) {
      out.logging = { driver: b?.driver || over.logging.driver, options: { ...(b?.options ?? {}), ...(over.logging.options ?? {}) } };
      if (!out.logging.driver) delete out.logging.driver;
    } else out.logging = over.logging;
  }
  if (over.ulimits) out.ulimits = { ...(base.ulimits ?? {}), ...over.ulimits };
  if (over.networks) {
    const nets = { ...(base.networks ?? {}) };
    for (const [n, cfg] of Object.entries(over.networks)) {
      const prev = nets[n];
      nets[n] = cfg === null ? (prev ?? null) : { ...(prev ?? {}), ...(cfg.aliases !== undefined ? { aliases: cfg.aliases } : {}) };
    }
    out.networks = nets;
  }
  return out;
}

export function mergeConfigs(configs: readonly ComposeConfig[]): ComposeConfig {
  const [first, ...rest] = configs;
  if (!first) throw new Error('no compose file to merge');
  if (rest.length === 0) return first;
  let merged = first;
  for (const over of rest) {
    const services = new Map(merged.services.map((s) => [s.name, s]));
    for (const s of over.services) {
      const prev = services.get(s.name);
      services.set(s.name, prev ? mergeService(prev, s) : s);
    }
    merged = {
      version: merged.version,
      services: [...services.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      networks: { ...merged.networks, ...over.networks },
      volumes: { ...merged.volumes, ...over.volumes },
      secrets: { ...merged.secrets, ...over.secrets },
      configs: { ...merged.configs, ...over.configs },
    };
  }
  return merged;
}
