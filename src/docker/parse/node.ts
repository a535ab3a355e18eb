import type { ManagerStatus, NodeModel } from '../../store/model.js';
import { bool, id, isObj, labels, num, obj, oneOf, str, time } from './json.js';

function managerStatus(v: unknown): ManagerStatus | null {
  if (!isObj(v)) return null;
  return {
    leader: bool(v, 'Leader'),
    reachability: oneOf(v, 'Reachability', ['unknown', 'unreachable', 'reachable'], 'unknown'),
    addr: str(v, 'Addr'),
  };
}

/** GET /nodes item. Null when the payload has no ID. */
export function parseNode(v: unknown): NodeModel | null {
  const nodeId = id(v);
  if (nodeId === null || !isObj(v)) return null;
  const spec = obj(v, 'Spec');
  const desc = obj(v, 'Description');
  const status = obj(v, 'Status');
  const tls = obj(desc, 'TLSInfo');
  return {
    id: nodeId,
    version: num(obj(v, 'Version'), 'Index'),
    createdAt: time(v, 'CreatedAt'),
    updatedAt: time(v, 'UpdatedAt'),
    hostname: str(desc, 'Hostname', str(spec, 'Name')),
    role: oneOf(spec, 'Role', ['manager', 'worker'], 'worker'),
    availability: oneOf(spec, 'Availability', ['active', 'pause', 'drain'], 'active'),
    state: oneOf(status, 'State', ['unknown', 'down', 'ready', 'disconnected'], 'unknown'),
    stateMessage: str(status, 'Message'),
    addr: str(status, 'Addr'),
    manager: managerStatus(v['ManagerStatus']),
    engineVersion: str(obj(desc, 'Engine'), 'EngineVersion'),
    os: str(obj(desc, 'Platform'), 'OS'),
    arch: str(obj(desc, 'Platform'), 'Architecture'),
    nanoCpus: num(obj(desc, 'Resources'), 'NanoCPUs'),
    memoryBytes: num(obj(desc, 'Resources'), 'MemoryBytes'),
    labels: labels(spec),
    engineLabels: labels(obj(desc, 'Engine')),
    tlsIssuerSubject: str(tls, 'CertIssuerSubject'),
    tlsIssuerPublicKey: str(tls, 'CertIssuerPublicKey'),
  };
}
