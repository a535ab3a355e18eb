import type { PublishedPort, ServiceMode, ServiceModel, UpdatePolicy, UpdateState, UpdateStatus } from '../../store/model.js';
import { arr, field, id, isObj, labels, num, obj, optNum, stackOf, str, strings, time, type Obj } from './json.js';

const UPDATE_STATES: readonly UpdateState[] = [
  'updating', 'paused', 'completed', 'rollback_started', 'rollback_paused', 'rollback_completed',
];

function mode(spec: Obj): ServiceMode {
  const m = obj(spec, 'Mode');
  if (isObj(m['Global'])) return { kind: 'global' };
  if (isObj(m['GlobalJob'])) return { kind: 'global-job' };
  if (isObj(m['ReplicatedJob'])) {
    const j = obj(m, 'ReplicatedJob');
    return { kind: 'replicated-job', maxConcurrent: num(j, 'MaxConcurrent', 1), totalCompletions: num(j, 'TotalCompletions', 1) };
  }
  // The engine's default mode is replicated with 1 replica.
  return { kind: 'replicated', replicas: num(obj(m, 'Replicated'), 'Replicas', 1) };
}

function updateStatus(v: unknown): UpdateStatus | null {
  const state = field(v, 'State');
  if (typeof state !== 'string' || !(UPDATE_STATES as readonly string[]).includes(state)) return null;
  return {
    state: state as UpdateState,
    startedAt: time(v, 'StartedAt'),
    completedAt: time(v, 'CompletedAt'),
    message: str(v, 'Message'),
  };
}

function policy(v: unknown): UpdatePolicy | null {
  if (!isObj(v)) return null;
  return {
    parallelism: num(v, 'Parallelism', 1),
    delayNs: num(v, 'Delay'),
    failureAction: str(v, 'FailureAction', 'pause'),
    monitorNs: num(v, 'Monitor'),
    maxFailureRatio: num(v, 'MaxFailureRatio'),
    order: str(v, 'Order', 'stop-first'),
  };
}

function port(v: unknown): PublishedPort | null {
  if (!isObj(v)) return null;
  return {
    protocol: str(v, 'Protocol', 'tcp'),
    targetPort: num(v, 'TargetPort'),
    publishedPort: num(v, 'PublishedPort'),
    publishMode: str(v, 'PublishMode', 'ingress'),
  };
}

function ports(v: Obj, spec: Obj): PublishedPort[] {
  // Endpoint.Ports carries the ports the swarm actually assigned; the spec only what was asked for.
  const live = arr(obj(v, 'Endpoint'), 'Ports');
  const source = live.length > 0 ? live : arr(obj(spec, 'EndpointSpec'), 'Ports');
  return source.map(port).filter((p): p is PublishedPort => p !== null);
}

function refs(items: readonly unknown[], idKey: string, nameKey: string): { ids: string[]; names: string[] } {
  const ids: string[] = [];
  const names: string[] = [];
  for (const item of items) {
    const refId = str(item, idKey);
    if (refId === '') continue;
    ids.push(refId);
    names.push(str(item, nameKey));
  }
  return { ids, names };
}

function networkIds(v: Obj, spec: Obj): string[] {
  const task = obj(spec, 'TaskTemplate');
  const ids = new Set<string>();
  for (const n of [...arr(task, 'Networks'), ...arr(spec, 'Networks')]) {
    const target = str(n, 'Target');
    if (target !== '') ids.add(target);
  }
  // Virtual IPs include the ingress network of published ports, which the spec does not list.
  for (const vip of arr(obj(v, 'Endpoint'), 'VirtualIPs')) {
    const net = str(vip, 'NetworkID');
    if (net !== '') ids.add(net);
  }
  return [...ids];
}

/** GET /services item (with ?status=true for ServiceStatus). Null when the payload has no ID. */
export function parseService(v: unknown): ServiceModel | null {
  const serviceId = id(v);
  if (serviceId === null || !isObj(v)) return null;
  const spec = obj(v, 'Spec');
  const task = obj(spec, 'TaskTemplate');
  const container = obj(task, 'ContainerSpec');
  const l = labels(spec);
  const status = v['ServiceStatus'];
  const previous = v['PreviousSpec'];
  const secrets = refs(arr(container, 'Secrets'), 'SecretID', 'SecretName');
  const configs = refs(arr(container, 'Configs'), 'ConfigID', 'ConfigName');
  return {
    id: serviceId,
    version: num(obj(v, 'Version'), 'Index'),
    createdAt: time(v, 'CreatedAt'),
    updatedAt: time(v, 'UpdatedAt'),
    name: str(spec, 'Name'),
    image: str(container, 'Image'),
    mode: mode(spec),
    labels: l,
    stack: stackOf(l),
    runningTasks: isObj(status) ? optNum(status, 'RunningTasks') : null,
    desiredTasks: isObj(status) ? optNum(status, 'DesiredTasks') : null,
    completedTasks: isObj(status) ? optNum(status, 'CompletedTasks') : null,
    updateStatus: updateStatus(v['UpdateStatus']),
    updateConfig: policy(spec['UpdateConfig']),
    rollbackConfig: policy(spec['RollbackConfig']),
    previousImage: isObj(previous) ? str(obj(previous, 'TaskTemplate', 'ContainerSpec'), 'Image') || null : null,
    hasPreviousSpec: isObj(previous),
    forceUpdate: num(task, 'ForceUpdate'),
    constraints: strings(obj(task, 'Placement'), 'Constraints'),
    maxReplicasPerNode: num(obj(task, 'Placement'), 'MaxReplicas'),
    reservations: { nanoCpus: num(obj(task, 'Resources', 'Reservations'), 'NanoCPUs'), memoryBytes: num(obj(task, 'Resources', 'Reservations'), 'MemoryBytes') },
    secretIds: secrets.ids,
    secretNames: secrets.names,
    configIds: configs.ids,
    configNames: configs.names,
    networkIds: networkIds(v, spec),
    ports: ports(v, spec),
  };
}
