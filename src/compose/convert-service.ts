import { IMAGE_LABEL, scope, withStackLabel } from './convert.js';
import { familiarImage } from './image-ref.js';
import { ComposeError, type ComposeConfig, type DeployConfig, type Dict, type FileRef, type HealthcheckConfig, type ResourceSet, type ServiceConfig, type UpdateConfig, type VolumeMount } from './model.js';
import { parseCpus } from './units.js';

/**
 * One compose service → the ServiceSpec `docker stack deploy` sends for it, field for field (the
 * differential tests compare the stored result with the docker CLI's). Secret and config references
 * carry the objects' IDs, which only the engine knows: the caller resolves names to IDs.
 */

export interface ObjectIds {
  secret(name: string): string | undefined;
  config(name: string): string | undefined;
}

const DEFAULT_NETWORKS = new Set(['default', 'bridge', 'host', 'none']);

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function userDefined(network: string): boolean {
  return !DEFAULT_NETWORKS.has(network) && !network.startsWith('container:');
}

function fail(service: string, message: string): never {
  throw new ComposeError(`service ${service}: ${message}`);
}

function normalizeCapability(c: string): string {
  const up = c.trim().toUpperCase();
  return up === 'ALL' || up === 'RESET' || up.startsWith('CAP_') ? up : `CAP_${up}`;
}

/** The docker CLI's cap_add/cap_drop rules: ALL wins, a capability both added and dropped is added. */
function capabilities(add: readonly string[] = [], drop: readonly string[] = []): { add: string[]; drop: string[] } {
  let a = new Set(add.map(normalizeCapability));
  let d = new Set(drop.map(normalizeCapability));
  if (a.has('ALL')) a = new Set(['ALL']);
  if (d.has('ALL')) d = new Set(['ALL']);
  return { add: [...a].filter((c) => c !== 'RESET').sort(), drop: [...d].filter((c) => !a.has(c) && c !== 'RESET').sort() };
}

function updateConfig(u: UpdateConfig | undefined): Dict | undefined {
  if (!u) return undefined;
  return prune({ Parallelism: u.parallelism ?? 1, Delay: u.delay, FailureAction: u.failureAction, Monitor: u.monitor, MaxFailureRatio: u.maxFailureRatio, Order: u.order });
}

/** Drops undefined, '' , 0, false, empty arrays and empty objects: Go's omitempty. */
export function prune(o: Dict): Dict {
  const out: Dict = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || v === null || v === '' || v === 0 || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0 && !KEEP_EMPTY.has(k)) continue;
    out[k] = v;
  }
  return out;
}

/** Pointers the docker CLI always sets, sent as {} even when empty. */
const KEEP_EMPTY = new Set(['Privileges', 'Placement', 'Resources', 'EndpointSpec', 'VolumeOptions', 'Replicated', 'Global', 'GlobalJob', 'ReplicatedJob', 'BindOptions', 'TmpfsOptions', 'ClusterOptions', 'ImageOptions', 'Runtime']);

function cpus(service: string, text: string | undefined): number | undefined {
  if (text === undefined || text === '') return undefined;
  const n = parseCpus(text);
  if (typeof n === 'string') fail(service, n);
  return n;
}

function resources(service: string, d: DeployConfig): Dict {
  const out: Dict = {};
  const l: ResourceSet | undefined = d.resources?.limits;
  const r: ResourceSet | undefined = d.resources?.reservations;
  if (l) out.Limits = prune({ NanoCPUs: cpus(service, l.cpus), MemoryBytes: l.memory, Pids: l.pids });
  if (r) {
    const generic = (r.genericResources ?? []).map((g) => ({ DiscreteResourceSpec: { Kind: g.kind, Value: g.value } }));
    out.Reservations = prune({ NanoCPUs: cpus(service, r.cpus), MemoryBytes: r.memory, GenericResources: generic });
  }
  return out;
}

function restartPolicy(service: string, s: ServiceConfig): Dict | undefined {
  const p = s.deploy.restartPolicy;
  if (p) {
    const out: Dict = prune({ Condition: p.condition });
    if (p.delay !== undefined) out.Delay = p.delay;
    if (p.maxAttempts !== undefined) out.MaxAttempts = p.maxAttempts;
    if (p.window !== undefined) out.Window = p.window;
    return out;
  }
  const restart = s.restart ?? '';
  if (restart === '' || restart === 'no') return undefined;
  if (restart === 'always' || restart === 'unless-stopped') return { Condition: 'any' };
  const m = /^on-failure(?::(\d+))?$/.exec(restart);
  if (m) return { Condition: 'on-failure', MaxAttempts: Number(m[1] ?? 0) };
  fail(service, `unknown restart policy: ${restart}`);
}

function mode(service: string, d: DeployConfig): Dict {
  switch (d.mode ?? 'replicated') {
    case 'global':
    case 'global-job':
      if (d.replicas !== undefined) fail(service, 'replicas can only be used with replicated or replicated-job mode');
      return d.mode === 'global' ? { Global: {} } : { GlobalJob: {} };
    case 'replicated-job':
      return { ReplicatedJob: d.replicas !== undefined ? { MaxConcurrent: d.replicas, TotalCompletions: d.replicas } : {} };
    case 'replicated':
    case '':
      return { Replicated: d.replicas !== undefined ? { Replicas: d.replicas } : {} };
    default:
      fail(service, `Unknown mode: ${d.mode}`);
  }
}

function healthcheck(service: string, h: HealthcheckConfig | undefined): Dict | undefined {
  if (!h) return undefined;
  if (h.disable) {
    if ((h.test ?? []).length > 0) fail(service, "test and disable can't be set at the same time");
    return { Test: ['NONE'] };
  }
  return prune({ Test: h.test, Timeout: h.timeout, Interval: h.interval, Retries: h.retries, StartPeriod: h.startPeriod, StartInterval: h.startInterval });
}

function mount(stack: string, config: ComposeConfig, service: string, v: VolumeMount): Dict {
  const base = prune({ Type: v.type || 'volume', Target: v.target, ReadOnly: v.readOnly, Source: v.source, Consistency: v.consistency });
  const has = (k: 'bind' | 'volume' | 'tmpfs' | 'image' | 'cluster'): boolean => v[k] !== undefined;
  const incompatible = (kinds: readonly ('bind' | 'volume' | 'tmpfs' | 'image' | 'cluster')[], type: string): void => {
    for (const k of kinds) if (has(k)) fail(service, `${k} options are incompatible with type ${type}`);
  };
  switch (v.type || 'volume') {
    case 'volume': {
      incompatible(['image', 'tmpfs', 'bind', 'cluster'], 'volume');
      if (!v.source) return base;
      const vol = config.volumes[v.source];
      if (!vol) fail(service, `undefined volume "${v.source}"`);
      const opts: Dict = prune({ NoCopy: v.volume?.nocopy, Subpath: v.volume?.subpath });
      base.Source = vol.name ?? scope(stack, v.source);
      if (!vol.external) {
        opts.Labels = withStackLabel(stack, vol.labels);
        if (vol.driver || vol.driverOpts) opts.DriverConfig = prune({ Name: vol.driver, Options: vol.driverOpts });
      }
      return { ...base, VolumeOptions: opts };
    }
    case 'bind':
      if (!v.source) fail(service, 'invalid bind source, source cannot be empty');
      incompatible(['volume', 'image', 'tmpfs', 'cluster'], 'bind');
      return v.bind ? { ...base, BindOptions: prune({ Propagation: v.bind.propagation }) } : base;
    case 'tmpfs':
      if (v.source) fail(service, 'invalid tmpfs source, source must be empty');
      incompatible(['bind', 'volume', 'image', 'cluster'], 'tmpfs');
      return v.tmpfs ? { ...base, TmpfsOptions: prune({ SizeBytes: v.tmpfs.size }) } : base;
    case 'npipe':
      if (!v.source) fail(service, 'invalid npipe source, source cannot be empty');
      incompatible(['volume', 'image', 'tmpfs'], 'npipe');
      return v.bind ? { ...base, BindOptions: prune({ Propagation: v.bind.propagation }) } : base;
    case 'image':
      if (!v.source) fail(service, 'invalid image source, source cannot be empty');
      incompatible(['volume', 'bind', 'tmpfs', 'cluster'], 'image');
      return v.image ? { ...base, ImageOptions: prune({ Subpath: v.image.subpath }) } : base;
    default:
      fail(service, 'volume type must be volume, bind, tmpfs, npipe, or cluster');
  }
}

function fileRefs(stack: string, service: string, kind: 'secret' | 'config', refs: readonly FileRef[], defs: ComposeConfig['secrets'], ids: (name: string) => string | undefined): Dict[] {
  const out = refs.map((r): Dict => {
    const def = defs[r.source];
    if (!def) fail(service, `undefined ${kind} "${r.source}"`);
    const name = def.name ?? scope(stack, r.source);
    const file = { Name: r.target || r.source, UID: r.uid || '0', GID: r.gid || '0', Mode: r.mode ?? 0o444 };
    return kind === 'secret' ? { File: file, SecretID: ids(name) ?? '', SecretName: name } : { File: file, ConfigID: ids(name) ?? '', ConfigName: name };
  });
  const nameOf = (r: Dict): string => (typeof r.SecretName === 'string' ? r.SecretName : typeof r.ConfigName === 'string' ? r.ConfigName : '');
  return out.sort((a, b) => byText(nameOf(a), nameOf(b)));
}

function networks(stack: string, config: ComposeConfig, s: ServiceConfig): Dict[] {
  const nets = s.networks && Object.keys(s.networks).length > 0 ? s.networks : { default: null };
  const out = Object.entries(nets).map(([name, cfg]) => {
    const def = config.networks[name];
    if (!def && name !== 'default') fail(s.name, `undefined network "${name}"`);
    const target = def?.name ?? scope(stack, name);
    const aliases = [...(cfg?.aliases ?? [])];
    if (userDefined(target)) aliases.push(s.name);
    return prune({ Target: target, Aliases: aliases, DriverOpts: cfg?.driverOpts });
  });
  return out.sort((a, b) => byText(typeof a.Target === 'string' ? a.Target : '', typeof b.Target === 'string' ? b.Target : ''));
}

function credentialSpec(stack: string, s: ServiceConfig, configs: readonly Dict[]): Dict | undefined {
  const c = s.credentialSpec;
  if (!c) return undefined;
  const set = (['config', 'file', 'registry'] as const).filter((k) => c[k]);
  if (set.length === 0) return undefined;
  if (set.length > 1) fail(s.name, `invalid credential spec: cannot specify both ${set.map((k) => `"${k[0]?.toUpperCase()}${k.slice(1)}"`).join(' and ')}`);
  if (c.config) {
    const ref = configs.find((r) => r.ConfigName === c.config) ?? configs.find((r) => r.ConfigName === scope(stack, c.config ?? ''));
    if (!ref) fail(s.name, `invalid credential spec: spec specifies config ${c.config}, but no such config can be found`);
    return { Config: ref.ConfigID };
  }
  return prune({ File: c.file, Registry: c.registry });
}

function sortedEnv(env: Readonly<Record<string, string | null>>): string[] {
  return Object.entries(env).map(([k, v]) => (v === null ? k : `${k}=${v}`)).sort();
}

export function convertService(stack: string, config: ComposeConfig, s: ServiceConfig, ids: ObjectIds): Dict {
  const image = s.image ?? '';
  const secrets = fileRefs(stack, s.name, 'secret', s.secrets, config.secrets, (n) => ids.secret(n));
  const configs = fileRefs(stack, s.name, 'config', s.configs, config.configs, (n) => ids.config(n));
  if (s.credentialSpec?.config) {
    const def = config.configs[s.credentialSpec.config];
    if (!def) fail(s.name, `undefined config "${s.credentialSpec.config}"`);
    const name = def.name ?? scope(stack, s.credentialSpec.config);
    configs.push({ ConfigID: ids.config(name) ?? '', ConfigName: name, Runtime: {} });
  }
  const caps = capabilities(s.capAdd, s.capDrop);
  const ulimits = Object.entries(s.ulimits ?? {}).map(([name, u]) => ({ Name: name, Soft: u.single ?? u.soft ?? 0, Hard: u.single ?? u.hard ?? 0 })).sort((a, b) => (a.Name < b.Name ? -1 : 1));
  const container = prune({
    Image: familiarImage(image) ?? image,
    Labels: withStackLabel(stack, s.labels),
    Command: s.entrypoint,
    Args: s.command,
    Hostname: s.hostname,
    Env: sortedEnv(s.environment),
    Dir: s.workingDir,
    User: s.user,
    Privileges: prune({ CredentialSpec: credentialSpec(stack, s, configs) }),
    StopSignal: s.stopSignal,
    TTY: s.tty,
    OpenStdin: s.stdinOpen,
    ReadOnly: s.readOnly,
    Mounts: s.volumes.map((v) => mount(stack, config, s.name, v)),
    Healthcheck: healthcheck(s.name, s.healthcheck),
    Hosts: (s.extraHosts ?? []).filter((h) => h.includes(':')).map((h) => `${h.slice(h.indexOf(':') + 1)} ${h.slice(0, h.indexOf(':'))}`),
    DNSConfig: s.dns !== undefined || s.dnsSearch !== undefined ? prune({ Nameservers: s.dns, Search: s.dnsSearch }) : undefined,
    Secrets: secrets,
    Configs: configs,
    Isolation: s.isolation,
    Sysctls: s.sysctls,
    CapabilityAdd: caps.add,
    CapabilityDrop: caps.drop,
    Ulimits: ulimits,
    OomScoreAdj: s.oomScoreAdj,
  });
  // Pointers: set even when zero (init: false, stop_grace_period: 0s are choices, not absences).
  if (s.init !== undefined) container.Init = s.init;
  if (s.stopGracePeriod !== undefined) container.StopGracePeriod = s.stopGracePeriod;
  if (s.dns !== undefined || s.dnsSearch !== undefined) container.DNSConfig = prune({ Nameservers: s.dns, Search: s.dnsSearch });
  const placement = s.deploy.placement;
  const ports = s.ports
    .map((p) => prune({ Protocol: p.protocol, TargetPort: p.target, PublishedPort: p.published, PublishMode: p.mode }))
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Number(a.p.PublishedPort ?? 0) - Number(b.p.PublishedPort ?? 0) || a.i - b.i)
    .map((x) => x.p);
  const task = prune({
    ContainerSpec: container,
    Resources: resources(s.name, s.deploy),
    RestartPolicy: restartPolicy(s.name, s),
    Placement: prune({ Constraints: placement?.constraints, Preferences: (placement?.preferences ?? []).map((p) => ({ Spread: { SpreadDescriptor: p.spread } })), MaxReplicas: placement?.maxReplicas }),
    Networks: networks(stack, config, s),
    LogDriver: s.logging ? prune({ Name: s.logging.driver, Options: s.logging.options }) : undefined,
  });
  if (s.logging && task.LogDriver === undefined) task.LogDriver = {};
  return prune({
    Name: scope(stack, s.name),
    Labels: { ...withStackLabel(stack, s.deploy.labels), [IMAGE_LABEL]: image },
    TaskTemplate: task,
    Mode: mode(s.name, s.deploy),
    UpdateConfig: updateConfig(s.deploy.updateConfig),
    RollbackConfig: updateConfig(s.deploy.rollbackConfig),
    EndpointSpec: prune({ Mode: s.deploy.endpointMode?.toLowerCase(), Ports: ports }),
  });
}

/** Every service's spec, by the service's name in the file. */
export function convertServices(stack: string, config: ComposeConfig, ids: ObjectIds): Map<string, Dict> {
  return new Map(config.services.map((s) => [s.name, convertService(stack, config, s, ids)]));
}
