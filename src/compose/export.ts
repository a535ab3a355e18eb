import { IMAGE_LABEL, NAMESPACE_LABEL } from './convert.js';
import type { Dict } from './model.js';
import { formatCpus, formatDuration } from './units.js';

/**
 * Running objects back to a compose file that deploys to the same specs (the round trip the tests
 * check). Secrets and configs are referenced as external objects by their names: the engine never
 * returns a secret's content, and re-deploying must not try to recreate what exists.
 */

export interface ExportInput {
  /** null: services in no stack (names kept whole, every network external). */
  stack: string | null;
  services: readonly Dict[];
  /** Every network of the cluster (service specs refer to networks by ID). */
  networks: readonly Dict[];
}

const obj = (v: unknown): Dict => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Dict) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function set(o: Dict, key: string, v: unknown): void {
  if (v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) || (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0)) return;
  o[key] = v;
}

function without(labels: unknown, ...keys: string[]): Dict | undefined {
  const out = { ...obj(labels) };
  for (const k of keys) delete out[k];
  return Object.keys(out).length > 0 ? out : undefined;
}

function descope(stack: string | null, name: string): string {
  return stack !== null && name.startsWith(`${stack}_`) ? name.slice(stack.length + 1) : name;
}

function duration(v: unknown): string | undefined {
  return typeof v === 'number' ? formatDuration(v) : undefined;
}

function updateConfig(u: unknown): Dict | undefined {
  if (u === undefined || u === null) return undefined;
  const o = obj(u);
  const out: Dict = { parallelism: num(o.Parallelism) ?? 0 };
  set(out, 'delay', duration(o.Delay));
  set(out, 'failure_action', str(o.FailureAction));
  set(out, 'monitor', duration(o.Monitor));
  set(out, 'max_failure_ratio', num(o.MaxFailureRatio) || undefined);
  set(out, 'order', str(o.Order));
  return out;
}

function resources(r: Dict): Dict | undefined {
  const out: Dict = {};
  const one = (x: unknown, withPids: boolean): Dict | undefined => {
    if (x === undefined || x === null) return undefined;
    const o = obj(x);
    const res: Dict = {};
    if (num(o.NanoCPUs)) res.cpus = formatCpus(num(o.NanoCPUs) as number);
    set(res, 'memory', num(o.MemoryBytes) ? String(num(o.MemoryBytes)) : undefined);
    if (withPids) set(res, 'pids', num(o.Pids) || undefined);
    const generic = arr(o.GenericResources).map((g) => obj(obj(g).DiscreteResourceSpec)).filter((d) => str(d.Kind) !== '');
    if (generic.length > 0) res.generic_resources = generic.map((d) => ({ discrete_resource_spec: { kind: str(d.Kind), value: num(d.Value) ?? 0 } }));
    return res;
  };
  if (r.Limits !== undefined) out.limits = one(r.Limits, true) ?? {};
  if (r.Reservations !== undefined) out.reservations = one(r.Reservations, false) ?? {};
  return Object.keys(out).length > 0 ? out : undefined;
}

interface Collected {
  networks: Dict;
  volumes: Dict;
  secrets: Dict;
  configs: Dict;
}

function deploy(spec: Dict, task: Dict, stack: string | null): Dict {
  const d: Dict = {};
  const mode = obj(spec.Mode);
  if ('Global' in mode) d.mode = 'global';
  else if ('GlobalJob' in mode) d.mode = 'global-job';
  else if ('ReplicatedJob' in mode) {
    d.mode = 'replicated-job';
    set(d, 'replicas', num(obj(mode.ReplicatedJob).TotalCompletions));
  } else d.replicas = num(obj(mode.Replicated).Replicas) ?? 1;
  set(d, 'labels', without(spec.Labels, NAMESPACE_LABEL, IMAGE_LABEL, ...(stack === null ? [] : [])));
  set(d, 'update_config', updateConfig(spec.UpdateConfig));
  set(d, 'rollback_config', updateConfig(spec.RollbackConfig));
  set(d, 'resources', resources(obj(task.Resources)));
  if (task.RestartPolicy !== undefined && task.RestartPolicy !== null) {
    const r = obj(task.RestartPolicy);
    const rp: Dict = {};
    set(rp, 'condition', str(r.Condition));
    if (r.Delay !== undefined) rp.delay = duration(r.Delay);
    if (r.MaxAttempts !== undefined) rp.max_attempts = r.MaxAttempts;
    if (r.Window !== undefined) rp.window = duration(r.Window);
    d.restart_policy = rp;
  }
  const p = obj(task.Placement);
  const placement: Dict = {};
  set(placement, 'constraints', arr(p.Constraints));
  set(placement, 'preferences', arr(p.Preferences).map((x) => ({ spread: str(obj(obj(x).Spread).SpreadDescriptor) })));
  set(placement, 'max_replicas_per_node', num(p.MaxReplicas) || undefined);
  set(d, 'placement', placement);
  const mode2 = str(obj(spec.EndpointSpec).Mode);
  if (mode2 !== '' && mode2 !== 'vip') d.endpoint_mode = mode2;
  return d;
}

function mounts(container: Dict, stack: string | null, c: Collected): Dict[] {
  return arr(container.Mounts).map((m) => {
    const o = obj(m);
    const out: Dict = { type: str(o.Type) || 'volume' };
    const vo = o.VolumeOptions === undefined ? null : obj(o.VolumeOptions);
    let source = str(o.Source);
    if (out.type === 'volume' && source !== '' && vo) {
      const labels = obj(vo.Labels);
      const inStack = stack !== null && labels[NAMESPACE_LABEL] === stack;
      const key = inStack ? descope(stack, source) : source;
      const def: Dict = inStack ? {} : { external: true };
      if (inStack && key === source) def.name = source;
      if (inStack) {
        const drv = obj(vo.DriverConfig);
        set(def, 'driver', str(drv.Name));
        set(def, 'driver_opts', drv.Options);
        set(def, 'labels', without(vo.Labels, NAMESPACE_LABEL));
      } else if (key !== source) def.name = source;
      c.volumes[key] = def;
      source = key;
    }
    set(out, 'source', source);
    set(out, 'target', str(o.Target));
    if (o.ReadOnly === true) out.read_only = true;
    set(out, 'consistency', str(o.Consistency));
    if (vo) {
      const v: Dict = {};
      if (vo.NoCopy === true) v.nocopy = true;
      set(v, 'subpath', str(vo.Subpath));
      set(out, 'volume', v);
    }
    if (o.BindOptions !== undefined) out.bind = { ...(str(obj(o.BindOptions).Propagation) ? { propagation: str(obj(o.BindOptions).Propagation) } : {}) };
    if (o.TmpfsOptions !== undefined) out.tmpfs = { ...(num(obj(o.TmpfsOptions).SizeBytes) ? { size: num(obj(o.TmpfsOptions).SizeBytes) } : {}) };
    return out;
  });
}

function fileRefs(list: unknown, kind: 'Secret' | 'Config', stack: string | null, into: Dict): Dict[] {
  return arr(list).filter((r) => obj(r).File !== undefined).map((r) => {
    const o = obj(r);
    const name = str(o[`${kind}Name`]);
    const key = descope(stack, name);
    into[key] = { external: true, name };
    const f = obj(o.File);
    const out: Dict = { source: key, target: str(f.Name) || key };
    if (str(f.UID) !== '0') set(out, 'uid', str(f.UID));
    if (str(f.GID) !== '0') set(out, 'gid', str(f.GID));
    if (num(f.Mode) !== undefined && f.Mode !== 0o444) out.mode = f.Mode;
    return out;
  });
}

function serviceNetworks(task: Dict, serviceName: string, stack: string | null, byId: ReadonlyMap<string, Dict>, c: Collected): Dict | undefined {
  const out: Dict = {};
  for (const n of arr(task.Networks)) {
    const o = obj(n);
    const nw = byId.get(str(o.Target));
    const name = nw ? str(nw.Name) : str(o.Target);
    const labels = obj(nw?.Labels);
    const inStack = stack !== null && labels[NAMESPACE_LABEL] === stack;
    const key = inStack ? descope(stack, name) : name;
    if (!(key in c.networks)) {
      const def: Dict = inStack ? {} : { external: true, name };
      if (inStack) {
        if (key === name) def.name = name;
        set(def, 'driver', str(nw?.Driver));
        set(def, 'driver_opts', nw?.Options);
        if (nw?.Attachable === true) def.attachable = true;
        if (nw?.Internal === true) def.internal = true;
        set(def, 'labels', without(nw?.Labels, NAMESPACE_LABEL));
        const ipam = obj(nw?.IPAM);
        const cfg = arr(ipam.Config).map((x) => obj(x)).filter((x) => str(x.Subnet) !== '');
        const userIpam = (str(ipam.Driver) !== '' && str(ipam.Driver) !== 'default') || cfg.length > 0;
        if (userIpam) def.ipam = { ...(str(ipam.Driver) !== 'default' ? { driver: str(ipam.Driver) } : {}), ...(cfg.length > 0 ? { config: cfg.map((x) => ({ subnet: str(x.Subnet) })) } : {}) };
      }
      c.networks[key] = def;
    }
    const aliases = arr(o.Aliases).map(String).filter((a) => a !== serviceName);
    const cfg: Dict = {};
    set(cfg, 'aliases', aliases);
    set(cfg, 'driver_opts', o.DriverOpts);
    out[key] = Object.keys(cfg).length > 0 ? cfg : null;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function service(spec: Dict, stack: string | null, byId: ReadonlyMap<string, Dict>, c: Collected): [string, Dict] {
  const name = descope(stack, str(spec.Name));
  const task = obj(spec.TaskTemplate);
  const container = obj(task.ContainerSpec);
  const s: Dict = { image: str(obj(spec.Labels)[IMAGE_LABEL]) || str(container.Image) };
  set(s, 'entrypoint', arr(container.Command));
  set(s, 'command', arr(container.Args));
  set(s, 'environment', Object.fromEntries(arr(container.Env).map((e) => {
    const t = String(e);
    const i = t.indexOf('=');
    return i < 0 ? [t, null] : [t.slice(0, i), t.slice(i + 1)];
  })));
  set(s, 'labels', without(container.Labels, NAMESPACE_LABEL));
  set(s, 'deploy', deploy(spec, task, stack));
  set(s, 'ports', arr(obj(spec.EndpointSpec).Ports).map((p) => {
    const o = obj(p);
    const out: Dict = { target: num(o.TargetPort) ?? 0 };
    set(out, 'published', num(o.PublishedPort) || undefined);
    set(out, 'protocol', str(o.Protocol));
    set(out, 'mode', str(o.PublishMode));
    return out;
  }));
  set(s, 'volumes', mounts(container, stack, c));
  set(s, 'secrets', fileRefs(container.Secrets, 'Secret', stack, c.secrets));
  set(s, 'configs', fileRefs(container.Configs, 'Config', stack, c.configs));
  set(s, 'networks', serviceNetworks(task, name, stack, byId, c));
  const h = container.Healthcheck === undefined ? null : obj(container.Healthcheck);
  if (h) {
    const test = arr(h.Test).map(String);
    if (test[0] === 'NONE') s.healthcheck = { disable: true };
    else {
      const hc: Dict = {};
      set(hc, 'test', test);
      for (const [k, f] of [['Timeout', 'timeout'], ['Interval', 'interval'], ['StartPeriod', 'start_period'], ['StartInterval', 'start_interval']] as const) set(hc, f, num(h[k]) ? duration(h[k]) : undefined);
      set(hc, 'retries', num(h.Retries) || undefined);
      s.healthcheck = hc;
    }
  }
  for (const [k, f] of [['Hostname', 'hostname'], ['User', 'user'], ['Dir', 'working_dir'], ['StopSignal', 'stop_signal']] as const) set(s, f, str(container[k]));
  if (container.StopGracePeriod !== undefined) s.stop_grace_period = duration(container.StopGracePeriod);
  if (typeof container.Init === 'boolean') s.init = container.Init;
  for (const [k, f] of [['TTY', 'tty'], ['OpenStdin', 'stdin_open'], ['ReadOnly', 'read_only']] as const) if (container[k] === true) s[f] = true;
  set(s, 'cap_add', arr(container.CapabilityAdd));
  set(s, 'cap_drop', arr(container.CapabilityDrop));
  set(s, 'sysctls', container.Sysctls);
  const ulimits = Object.fromEntries(arr(container.Ulimits).map((u) => [str(obj(u).Name), { soft: num(obj(u).Soft) ?? 0, hard: num(obj(u).Hard) ?? 0 }]));
  set(s, 'ulimits', ulimits);
  if (task.LogDriver !== undefined) {
    const l = obj(task.LogDriver);
    const logging: Dict = {};
    set(logging, 'driver', str(l.Name));
    set(logging, 'options', l.Options);
    s.logging = logging;
  }
  set(s, 'extra_hosts', arr(container.Hosts).map((h) => {
    const [ip = '', ...names] = String(h).split(/\s+/);
    return `${names.join(' ')}:${ip}`;
  }));
  const dns = obj(container.DNSConfig);
  set(s, 'dns', arr(dns.Nameservers));
  set(s, 'dns_search', arr(dns.Search));
  const iso = str(container.Isolation);
  if (iso !== '' && iso !== 'default') s.isolation = iso;
  set(s, 'oom_score_adj', num(container.OomScoreAdj) || undefined);
  return [name, s];
}

/** The compose content (a plain object, ready for YAML). */
export function exportCompose(input: ExportInput): Dict {
  const byId = new Map(input.networks.map((n) => [str(n.Id) || str(n.ID), n]));
  const c: Collected = { networks: {}, volumes: {}, secrets: {}, configs: {} };
  const services: Dict = {};
  for (const spec of [...input.services].sort((a, b) => (str(a.Name) < str(b.Name) ? -1 : 1))) {
    const [name, s] = service(spec, input.stack, byId, c);
    services[name] = s;
  }
  const out: Dict = { version: '3.13', services };
  for (const k of ['networks', 'volumes', 'secrets', 'configs'] as const) set(out, k, c[k]);
  return out;
}
