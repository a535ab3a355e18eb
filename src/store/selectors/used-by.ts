import type { Id, ServiceModel } from '../model.js';
import type { ClusterState } from '../state.js';
import { memoByRef } from './memo.js';

export interface UsedBy {
  secrets: ReadonlyMap<Id, readonly ServiceModel[]>;
  configs: ReadonlyMap<Id, readonly ServiceModel[]>;
  networks: ReadonlyMap<Id, readonly ServiceModel[]>;
}

function add(m: Map<Id, ServiceModel[]>, id: Id, s: ServiceModel): void {
  const list = m.get(id);
  if (list) {
    if (!list.includes(s)) list.push(s);
  } else m.set(id, [s]);
}

const usedBy = memoByRef((services: ClusterState['services']): UsedBy => {
  const secrets = new Map<Id, ServiceModel[]>();
  const configs = new Map<Id, ServiceModel[]>();
  const networks = new Map<Id, ServiceModel[]>();
  for (const s of services.values()) {
    for (const id of s.secretIds) add(secrets, id, s);
    for (const id of s.configIds) add(configs, id, s);
    for (const id of s.networkIds) add(networks, id, s);
  }
  return { secrets, configs, networks };
});

/** Which services reference each secret, config and network (by id). */
export function selectUsedBy(state: ClusterState): UsedBy {
  return usedBy(state.services);
}

const NONE: readonly ServiceModel[] = [];

export function servicesUsing(state: ClusterState, kind: keyof UsedBy, id: Id): readonly ServiceModel[] {
  return usedBy(state.services)[kind].get(id) ?? NONE;
}
