import type { NodeModel, ServiceModel, TaskModel } from '../store/model.js';
import type { ClusterState } from '../store/state.js';
import { selectHealth } from '../store/selectors/health.js';
import { replicaText } from '../store/selectors/replicas.js';
import { selectStacks } from '../store/selectors/stacks.js';
import { selectAllTasks } from '../store/selectors/tasks.js';
import { servicesUsing } from '../store/selectors/used-by.js';
import { describeX509Name } from '../store/x509-name.js';

const iso = (ms: number): string | null => (ms > 0 ? new Date(ms).toISOString() : null);

/** MANAGER STATUS as `docker node ls` prints it: Leader, Reachable, Unreachable, or empty for workers. */
export function managerStatusText(n: NodeModel): string {
  if (!n.manager) return '';
  if (n.manager.leader) return 'Leader';
  const r = n.manager.reachability;
  return r.charAt(0).toUpperCase() + r.slice(1);
}

function node(n: NodeModel) {
  return {
    id: n.id, hostname: n.hostname, role: n.role, availability: n.availability, state: n.state,
    managerStatus: managerStatusText(n), addr: n.addr, managerAddr: n.manager?.addr ?? null,
    engineVersion: n.engineVersion, labels: n.labels, updatedAt: iso(n.updatedAt),
  };
}

function service(s: ServiceModel) {
  return {
    id: s.id, name: s.name, mode: s.mode.kind, replicas: replicaText(s), running: s.runningTasks, desired: s.desiredTasks,
    image: s.image, stack: s.stack, updateState: s.updateStatus?.state ?? null, updateMessage: s.updateStatus?.message ?? null,
    previousImage: s.previousImage, ports: s.ports, secrets: s.secretNames, configs: s.configNames, networks: s.networkIds,
    updatedAt: iso(s.updatedAt),
  };
}

function task(t: TaskModel, state: ClusterState) {
  return {
    id: t.id, service: state.services.get(t.serviceId)?.name ?? t.serviceId, serviceId: t.serviceId, slot: t.slot,
    node: t.nodeId === null ? null : state.nodes.get(t.nodeId)?.hostname ?? t.nodeId, nodeId: t.nodeId,
    desiredState: t.desiredState, state: t.state, since: iso(t.stateSince), error: t.err, image: t.image,
  };
}

/** The state as one JSON document for scripts (swarmtop snapshot --json). Never holds a secret value. */
export function snapshotJson(state: ClusterState) {
  const health = selectHealth(state);
  const byName = <T extends { name: string }>(xs: Iterable<T>): T[] => [...xs].sort((a, b) => a.name.localeCompare(b.name));
  return {
    context: state.connection.context,
    endpoint: state.connection.endpoint,
    transport: state.connection.transport,
    syncedAt: iso(state.syncedAt),
    swarm: {
      id: state.swarm?.id ?? null,
      leader: health.managers.leader?.hostname ?? null,
      managers: health.managers.total,
      managersReachable: health.managers.reachable,
      quorum: health.managers.quorum,
      hasQuorum: health.managers.hasQuorum,
      /** Nominal: with every manager up. */
      faultTolerance: health.managers.faultTolerance,
      /** Manager losses the swarm survives from here (unreachable managers count as lost). */
      toleratesNow: health.managers.toleratesNow,
      nodes: health.nodesTotal,
      nodesReady: health.nodesReady,
      services: health.servicesTotal,
      servicesConverged: health.servicesConverged,
      servicesUpdating: health.servicesUpdating,
      hasWorkerToken: state.swarm?.hasWorkerToken ?? false,
      hasManagerToken: state.swarm?.hasManagerToken ?? false,
      autolockManagers: state.swarm?.autolockManagers ?? false,
      rootRotationInProgress: state.swarm?.rootRotationInProgress ?? false,
      /** As text ("CN=swarm-ca"), as the swarm pane shows it; the engine sends base64 DER. */
      certIssuerSubject: state.swarm?.certIssuerSubject ? describeX509Name(state.swarm.certIssuerSubject) : null,
    },
    engine: state.engine,
    nodes: [...state.nodes.values()].sort((a, b) => a.hostname.localeCompare(b.hostname)).map(node),
    services: byName(state.services.values()).map(service),
    tasks: selectAllTasks(state).map((t) => task(t, state)),
    secrets: byName(state.secrets.values()).map((s) => ({ id: s.id, name: s.name, stack: s.stack, labels: s.labels, usedBy: servicesUsing(state, 'secrets', s.id).map((x) => x.name) })),
    configs: byName(state.configs.values()).map((c) => ({ id: c.id, name: c.name, stack: c.stack, labels: c.labels, usedBy: servicesUsing(state, 'configs', c.id).map((x) => x.name) })),
    networks: byName(state.networks.values()).map((n) => ({ id: n.id, name: n.name, driver: n.driver, scope: n.scope, ingress: n.ingress, attachable: n.attachable, subnets: n.subnets, stack: n.stack, usedBy: servicesUsing(state, 'networks', n.id).map((x) => x.name) })),
    stacks: selectStacks(state).map((s) => ({ name: s.name, services: s.services.map((x) => x.name), servicesConverged: s.servicesConverged, secrets: s.secrets, configs: s.configs, networks: s.networks })),
  };
}

export type SnapshotJson = ReturnType<typeof snapshotJson>;
