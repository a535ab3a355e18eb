import { isAbsolute, join } from 'node:path';
import { EnvFileError, parseEnvFile } from './env-file.js';
import type { Lookup } from './interpolate.js';
import {
  ComposeError, type DeployConfig, type Dict, type FileObjectConfig, type FileRef, type HealthcheckConfig, type NetworkConfig,
  type PortConfig, type ResourceSet, type ServiceConfig, type UpdateConfig, type VolumeConfig, type VolumeMount,
} from './model.js';
import { parsePortSpec, PortSpecError } from './ports.js';
import { fileError, type ComposeSource } from './source.js';
import { parseBytes, parseDuration } from './units.js';
import { parseVolumeSpec } from './volume-spec.js';
import { shellSplit } from './shell-split.js';

/**
 * Turns one validated file's content into the model: the transforms the docker CLI's loader applies
 * (short syntaxes expanded, list-or-mapping fields as maps, env_file read, relative paths resolved
 * against the directory of the first file).
 */

export interface NormalizeContext {
  source: ComposeSource;
  workingDir: string;
  lookup: Lookup;
  readText(path: string): string;
}

/** A scalar as text (YAML numbers and booleans where the CLI wants strings: `user: 1000`). */
export function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return `${v}`;
  return v === null || v === undefined ? '' : JSON.stringify(v);
}

const obj = (v: unknown): Dict => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {});
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : text(v));
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined);
const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);

function fail(ctx: NormalizeContext, path: (string | number)[], message: string): never {
  throw new ComposeError(message, ctx.source.file, ctx.source.lineOf(path), path.join('.'));
}

function duration(ctx: NormalizeContext, path: (string | number)[], v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const ns = typeof v === 'string' ? parseDuration(v) : null;
  if (ns === null) fail(ctx, path, `invalid duration ${JSON.stringify(v)}`);
  return ns;
}

function bytes(ctx: NormalizeContext, path: (string | number)[], v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  const n = parseBytes(typeof v === 'number' ? v : text(v));
  if (n === null) fail(ctx, path, `invalid size ${JSON.stringify(v)}`);
  return n;
}

/** A list ("K=V", or "K" alone) or a mapping, as a map. `allowNull`: a key without value stays null. */
export function mappingOrList(v: unknown, sep: string, allowNull: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if (Array.isArray(v)) {
    for (const item of v) {
      const s = text(item);
      const i = s.indexOf(sep);
      if (i >= 0) out[s.slice(0, i)] = s.slice(i + sep.length);
      else out[s] = allowNull ? null : '';
    }
  } else {
    for (const [k, x] of Object.entries(obj(v))) out[k] = x === null || x === undefined ? (allowNull ? null : '') : text(x);
  }
  return out;
}

function stringMap(v: unknown, sep = '='): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  return mappingOrList(v, sep, false) as Record<string, string>;
}

function stringList(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) ? v.map(String) : [text(v)];
}

function command(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' ? shellSplit(v) : (v as unknown[]).map(String);
}

function ports(ctx: NormalizeContext, base: (string | number)[], v: unknown): PortConfig[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((p, i): PortConfig[] => {
    if (typeof p === 'number' || typeof p === 'string') {
      try {
        return parsePortSpec(text(p));
      } catch (err) {
        if (err instanceof PortSpecError) fail(ctx, [...base, i], err.message);
        throw err;
      }
    }
    const o = obj(p);
    const published = num(o.published);
    return [{ target: num(o.target) ?? 0, ...(published !== undefined ? { published } : {}), ...(str(o.protocol) ? { protocol: str(o.protocol) } : {}), ...(str(o.mode) ? { mode: str(o.mode) } : {}) }];
  });
}

function volumes(ctx: NormalizeContext, base: (string | number)[], v: unknown): VolumeMount[] {
  if (!Array.isArray(v)) return [];
  return v.map((item, i): VolumeMount => {
    let m: VolumeMount;
    if (typeof item === 'string') {
      const parsed = parseVolumeSpec(item);
      if (typeof parsed === 'string') fail(ctx, [...base, i], parsed);
      m = parsed;
    } else {
      const o = obj(item);
      m = { type: str(o.type) ?? '' };
      if (o.source !== undefined) m.source = text(o.source);
      if (o.target !== undefined) m.target = text(o.target);
      if (o.read_only !== undefined) m.readOnly = o.read_only === true;
      if (o.consistency !== undefined) m.consistency = text(o.consistency);
      if (o.bind !== undefined) m.bind = { ...(o.bind && obj(o.bind).propagation !== undefined ? { propagation: text(obj(o.bind).propagation) } : {}) };
      if (o.volume !== undefined) m.volume = { ...(bool(obj(o.volume).nocopy) !== undefined ? { nocopy: bool(obj(o.volume).nocopy) } : {}), ...(str(obj(o.volume).subpath) ? { subpath: str(obj(o.volume).subpath) } : {}) };
      if (o.tmpfs !== undefined) m.tmpfs = { ...(obj(o.tmpfs).size !== undefined ? { size: bytes(ctx, [...base, i, 'tmpfs', 'size'], obj(o.tmpfs).size) } : {}) };
    }
    if (m.type === 'bind') {
      if (!m.source) fail(ctx, [...base, i], 'invalid mount config for type "bind": field Source must not be empty');
      let src = m.source;
      if (src.startsWith('~')) {
        const home = ctx.lookup('HOME');
        if (home !== undefined) src = src.replace('~', home);
      }
      m.source = isAbsolute(src) ? src : join(ctx.workingDir, src);
    }
    return m;
  });
}

function fileRefs(v: unknown): FileRef[] {
  if (!Array.isArray(v)) return [];
  return v.map((item): FileRef => {
    if (typeof item === 'string') return { source: item };
    const o = obj(item);
    const ref: FileRef = { source: str(o.source) ?? '' };
    if (o.target !== undefined) ref.target = text(o.target);
    if (o.uid !== undefined) ref.uid = text(o.uid);
    if (o.gid !== undefined) ref.gid = text(o.gid);
    if (num(o.mode) !== undefined) ref.mode = num(o.mode);
    return ref;
  });
}

function updateConfig(ctx: NormalizeContext, base: (string | number)[], v: unknown): UpdateConfig | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  const u: UpdateConfig = {};
  if (num(o.parallelism) !== undefined) u.parallelism = num(o.parallelism);
  if (o.delay !== undefined) u.delay = duration(ctx, [...base, 'delay'], o.delay);
  if (o.failure_action !== undefined) u.failureAction = text(o.failure_action);
  if (o.monitor !== undefined) u.monitor = duration(ctx, [...base, 'monitor'], o.monitor);
  if (num(o.max_failure_ratio) !== undefined) u.maxFailureRatio = num(o.max_failure_ratio);
  if (o.order !== undefined) u.order = text(o.order);
  return u;
}

function resourceSet(ctx: NormalizeContext, base: (string | number)[], v: unknown): ResourceSet | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  const r: ResourceSet = {};
  if (o.cpus !== undefined) r.cpus = text(o.cpus);
  if (o.memory !== undefined) r.memory = bytes(ctx, [...base, 'memory'], o.memory);
  if (num(o.pids) !== undefined) r.pids = num(o.pids);
  if (Array.isArray(o.generic_resources)) {
    r.genericResources = o.generic_resources.map((g) => {
      const d = obj(obj(g).discrete_resource_spec);
      return { kind: str(d.kind) ?? '', value: num(d.value) ?? 0 };
    });
  }
  return r;
}

function deploy(ctx: NormalizeContext, base: (string | number)[], v: unknown): DeployConfig {
  const o = obj(v);
  const d: DeployConfig = {};
  if (o.mode !== undefined) d.mode = text(o.mode);
  if (num(o.replicas) !== undefined) d.replicas = num(o.replicas);
  if (o.labels !== undefined) d.labels = stringMap(o.labels);
  d.updateConfig = updateConfig(ctx, [...base, 'update_config'], o.update_config);
  d.rollbackConfig = updateConfig(ctx, [...base, 'rollback_config'], o.rollback_config);
  if (o.resources !== undefined) {
    const r = obj(o.resources);
    d.resources = { limits: resourceSet(ctx, [...base, 'resources', 'limits'], r.limits), reservations: resourceSet(ctx, [...base, 'resources', 'reservations'], r.reservations) };
  }
  if (o.restart_policy !== undefined && o.restart_policy !== null) {
    const r = obj(o.restart_policy);
    d.restartPolicy = {
      ...(r.condition !== undefined ? { condition: text(r.condition) } : {}),
      ...(r.delay !== undefined ? { delay: duration(ctx, [...base, 'restart_policy', 'delay'], r.delay) } : {}),
      ...(num(r.max_attempts) !== undefined ? { maxAttempts: num(r.max_attempts) } : {}),
      ...(r.window !== undefined ? { window: duration(ctx, [...base, 'restart_policy', 'window'], r.window) } : {}),
    };
  }
  if (o.placement !== undefined) {
    const p = obj(o.placement);
    d.placement = {
      ...(p.constraints !== undefined ? { constraints: stringList(p.constraints) } : {}),
      ...(Array.isArray(p.preferences) ? { preferences: p.preferences.map((x) => ({ spread: str(obj(x).spread) ?? '' })) } : {}),
      ...(num(p.max_replicas_per_node) !== undefined ? { maxReplicas: num(p.max_replicas_per_node) } : {}),
    };
  }
  if (o.endpoint_mode !== undefined) d.endpointMode = text(o.endpoint_mode);
  return d;
}

function healthcheck(ctx: NormalizeContext, base: (string | number)[], v: unknown): HealthcheckConfig | undefined {
  if (v === undefined || v === null) return undefined;
  const o = obj(v);
  const h: HealthcheckConfig = {};
  if (o.test !== undefined) h.test = typeof o.test === 'string' ? ['CMD-SHELL', o.test] : (o.test as unknown[]).map(String);
  for (const [key, field] of [['timeout', 'timeout'], ['interval', 'interval'], ['start_period', 'startPeriod'], ['start_interval', 'startInterval']] as const) {
    if (o[key] !== undefined) h[field] = duration(ctx, [...base, key], o[key]);
  }
  if (num(o.retries) !== undefined) h.retries = num(o.retries);
  if (o.disable === true) h.disable = true;
  return h;
}

/** env_file entries then `environment:`; an empty or missing value takes the variable's value, as the docker CLI. */
function environment(ctx: NormalizeContext, base: (string | number)[], o: Dict): Record<string, string | null> {
  const env: Record<string, string | null> = {};
  const put = (vars: Record<string, string | null>): void => {
    for (const [k, v] of Object.entries(vars)) {
      const fromEnv = ctx.lookup(k);
      env[k] = (v === null || v === '') && fromEnv !== undefined ? fromEnv : v;
    }
  };
  for (const [i, f] of (stringList(o.env_file) ?? []).entries()) {
    const path = isAbsolute(f) ? f : join(ctx.workingDir, f);
    let text: string;
    try {
      text = ctx.readText(path);
    } catch (err) {
      fail(ctx, [...base, 'env_file', ...(Array.isArray(o.env_file) ? [i] : [])], `env_file ${path}: ${fileError(err)}`);
    }
    try {
      put(Object.fromEntries(parseEnvFile(text, ctx.lookup)));
    } catch (err) {
      if (err instanceof EnvFileError) fail(ctx, [...base, 'env_file'], `env_file ${path}: ${err.message}`);
      throw err;
    }
  }
  if (o.environment !== undefined) put(mappingOrList(o.environment, '=', true));
  return env;
}

function extraHosts(v: unknown): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const entries = Array.isArray(v)
    ? v.map((x) => {
        const s = text(x);
        const i = s.search(/[=:]/);
        return i < 0 ? null : `${s.slice(0, i)}:${s.slice(i + 1)}`;
      }).filter((x): x is string => x !== null)
    : Object.entries(obj(v)).filter(([, x]) => x !== null).map(([k, x]) => `${k}:${text(x)}`).sort();
  return entries.map((e) => {
    const i = e.indexOf(':');
    let ip = e.slice(i + 1);
    if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
    return `${e.slice(0, i)}:${ip}`;
  });
}

export function normalizeService(ctx: NormalizeContext, name: string, v: unknown): ServiceConfig {
  const o = obj(v);
  const base = ['services', name];
  const s: ServiceConfig = {
    name,
    environment: environment(ctx, base, o),
    deploy: deploy(ctx, [...base, 'deploy'], o.deploy),
    ports: ports(ctx, [...base, 'ports'], o.ports),
    volumes: volumes(ctx, [...base, 'volumes'], o.volumes),
    secrets: fileRefs(o.secrets),
    configs: fileRefs(o.configs),
  };
  if (o.image !== undefined) s.image = text(o.image);
  if (o.command !== undefined) s.command = command(o.command);
  if (o.entrypoint !== undefined) s.entrypoint = command(o.entrypoint);
  if (o.env_file !== undefined) s.envFile = stringList(o.env_file);
  if (o.labels !== undefined) s.labels = stringMap(o.labels);
  if (o.networks !== undefined && o.networks !== null) {
    s.networks = {};
    if (Array.isArray(o.networks)) for (const n of o.networks) s.networks[text(n)] = null;
    else for (const [n, cfg] of Object.entries(obj(o.networks))) {
      const c = cfg === null || cfg === undefined ? null : obj(cfg);
      s.networks[n] = c === null ? null : { ...(c.aliases !== undefined ? { aliases: stringList(c.aliases) } : {}), ...(c.driver_opts !== undefined ? { driverOpts: stringMap(c.driver_opts) } : {}) };
    }
  }
  s.healthcheck = healthcheck(ctx, [...base, 'healthcheck'], o.healthcheck);
  for (const [key, field] of [['hostname', 'hostname'], ['user', 'user'], ['working_dir', 'workingDir'], ['stop_signal', 'stopSignal'], ['isolation', 'isolation'], ['restart', 'restart']] as const) {
    if (o[key] !== undefined && o[key] !== null) s[field] = text(o[key]);
  }
  if (o.stop_grace_period !== undefined) s.stopGracePeriod = duration(ctx, [...base, 'stop_grace_period'], o.stop_grace_period);
  for (const [key, field] of [['init', 'init'], ['tty', 'tty'], ['stdin_open', 'stdinOpen'], ['read_only', 'readOnly']] as const) {
    if (bool(o[key]) !== undefined) s[field] = bool(o[key]);
  }
  if (o.cap_add !== undefined) s.capAdd = stringList(o.cap_add);
  if (o.cap_drop !== undefined) s.capDrop = stringList(o.cap_drop);
  if (o.sysctls !== undefined) s.sysctls = stringMap(o.sysctls);
  if (o.ulimits !== undefined) {
    s.ulimits = {};
    for (const [k, u] of Object.entries(obj(o.ulimits))) {
      s.ulimits[k] = typeof u === 'number' ? { single: u } : { soft: num(obj(u).soft) ?? 0, hard: num(obj(u).hard) ?? 0 };
    }
  }
  if (o.logging !== undefined && o.logging !== null) {
    const l = obj(o.logging);
    s.logging = { ...(l.driver !== undefined ? { driver: text(l.driver) } : {}), ...(l.options !== undefined ? { options: stringMap(l.options) } : {}) };
  }
  if (o.extra_hosts !== undefined) s.extraHosts = extraHosts(o.extra_hosts);
  if (o.dns !== undefined) s.dns = stringList(o.dns);
  if (o.dns_search !== undefined) s.dnsSearch = stringList(o.dns_search);
  if (num(o.oom_score_adj) !== undefined) s.oomScoreAdj = num(o.oom_score_adj);
  if (o.credential_spec !== undefined) {
    const c = obj(o.credential_spec);
    s.credentialSpec = { ...(c.config !== undefined ? { config: text(c.config) } : {}), ...(c.file !== undefined ? { file: text(c.file) } : {}), ...(c.registry !== undefined ? { registry: text(c.registry) } : {}) };
  }
  return s;
}

function externalName(ctx: NormalizeContext, kind: string, name: string, o: Dict): { external: boolean; name?: string } {
  const ext = o.external;
  const own = str(o.name);
  if (ext === true || (ext !== null && typeof ext === 'object')) {
    const extName = str(obj(ext).name);
    if (extName !== undefined) {
      if (own !== undefined) fail(ctx, [`${kind}s`, name], `${kind}.external.name and ${kind}.name conflict; only use ${kind}.name`);
      return { external: true, name: extName };
    }
    return { external: true, name: own ?? name };
  }
  return { external: false, ...(own !== undefined ? { name: own } : {}) };
}

export function normalizeNetwork(ctx: NormalizeContext, name: string, v: unknown): NetworkConfig {
  const o = obj(v);
  const ext = externalName(ctx, 'network', name, o);
  const n: NetworkConfig = { ...(ext.external ? { external: true } : {}), ...(ext.name !== undefined ? { name: ext.name } : {}) };
  if (o.driver !== undefined) n.driver = text(o.driver);
  if (o.driver_opts !== undefined) n.driverOpts = stringMap(o.driver_opts);
  if (o.ipam !== undefined) {
    const ipam = obj(o.ipam);
    n.ipam = { ...(ipam.driver !== undefined ? { driver: text(ipam.driver) } : {}), ...(Array.isArray(ipam.config) ? { config: ipam.config.map((c) => ({ ...(obj(c).subnet !== undefined ? { subnet: text(obj(c).subnet) } : {}) })) } : {}) };
  }
  if (bool(o.internal) !== undefined) n.internal = bool(o.internal);
  if (bool(o.attachable) !== undefined) n.attachable = bool(o.attachable);
  if (o.labels !== undefined) n.labels = stringMap(o.labels);
  return n;
}

export function normalizeVolume(ctx: NormalizeContext, name: string, v: unknown): VolumeConfig {
  const o = obj(v);
  const ext = externalName(ctx, 'volume', name, o);
  if (ext.external) {
    for (const key of ['driver', 'driver_opts', 'labels']) {
      if (o[key] !== undefined) fail(ctx, ['volumes', name], `conflicting parameters "external" and "${key}" specified for volume "${name}"`);
    }
  }
  const vol: VolumeConfig = { ...(ext.external ? { external: true } : {}), ...(ext.name !== undefined ? { name: ext.name } : {}) };
  if (o.driver !== undefined) vol.driver = text(o.driver);
  if (o.driver_opts !== undefined) vol.driverOpts = stringMap(o.driver_opts);
  if (o.labels !== undefined) vol.labels = stringMap(o.labels);
  return vol;
}

export function normalizeFileObject(ctx: NormalizeContext, kind: 'secret' | 'config', name: string, v: unknown): FileObjectConfig {
  const o = obj(v);
  const ext = externalName(ctx, kind, name, o);
  const f: FileObjectConfig = { ...(ext.external ? { external: true } : {}), ...(ext.name !== undefined ? { name: ext.name } : {}) };
  if (o.labels !== undefined) f.labels = stringMap(o.labels);
  if (o.driver !== undefined) f.driver = text(o.driver);
  if (o.driver_opts !== undefined) f.driverOpts = stringMap(o.driver_opts);
  if (o.template_driver !== undefined) f.templateDriver = text(o.template_driver);
  if (!ext.external) {
    if (f.driver !== undefined && o.file !== undefined) fail(ctx, [`${kind}s`, name], `${kind}.driver and ${kind}.file conflict; only use ${kind}.driver`);
    if (f.driver === undefined) {
      const file = str(o.file) ?? '';
      f.file = isAbsolute(file) ? file : join(ctx.workingDir, file);
    }
  }
  return f;
}
