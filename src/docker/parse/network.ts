import type { NetworkModel } from '../../store/model.js';
import { arr, bool, id, labels, obj, stackOf, str, time } from './json.js';

/** GET /networks item (Id, not ID, in this API). */
export function parseNetwork(v: unknown): NetworkModel | null {
  const netId = id(v, 'Id') ?? id(v);
  if (netId === null) return null;
  const l = labels(v);
  const subnets: string[] = [];
  for (const c of arr(obj(v, 'IPAM'), 'Config')) {
    const s = str(c, 'Subnet');
    if (s !== '') subnets.push(s);
  }
  return {
    id: netId,
    name: str(v, 'Name'),
    createdAt: time(v, 'Created'),
    driver: str(v, 'Driver'),
    scope: str(v, 'Scope'),
    attachable: bool(v, 'Attachable'),
    ingress: bool(v, 'Ingress'),
    internal: bool(v, 'Internal'),
    labels: l,
    stack: stackOf(l),
    subnets,
  };
}
