import type { ServiceModel } from '../model.js';
import type { ClusterState } from '../state.js';
import { isConverged } from '../service-status.js';
import { memoByRef } from './memo.js';

export interface StackSummary {
  name: string;
  services: readonly ServiceModel[];
  servicesConverged: number;
  secrets: number;
  configs: number;
  networks: number;
}

const servicesByStack = memoByRef((services: ClusterState['services']): ReadonlyMap<string, readonly ServiceModel[]> => {
  const out = new Map<string, ServiceModel[]>();
  for (const s of services.values()) {
    if (s.stack === null) continue;
    const list = out.get(s.stack);
    if (list) list.push(s);
    else out.set(s.stack, [s]);
  }
  for (const list of out.values()) list.sort((a, b) => a.name.localeCompare(b.name));
  return out;
});

function countByStack(objects: Iterable<{ stack: string | null }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const o of objects) if (o.stack !== null) out.set(o.stack, (out.get(o.stack) ?? 0) + 1);
  return out;
}

const secretsByStack = memoByRef((m: ClusterState['secrets']) => countByStack(m.values()));
const configsByStack = memoByRef((m: ClusterState['configs']) => countByStack(m.values()));
const networksByStack = memoByRef((m: ClusterState['networks']) => countByStack(m.values()));

const stacksOf = memoByRef((state: ClusterState): readonly StackSummary[] => {
  const services = servicesByStack(state.services);
  const secrets = secretsByStack(state.secrets);
  const configs = configsByStack(state.configs);
  const networks = networksByStack(state.networks);
  const names = new Set([...services.keys(), ...secrets.keys(), ...configs.keys(), ...networks.keys()]);
  return [...names].sort().map((name) => {
    const svcs = services.get(name) ?? [];
    return {
      name,
      services: svcs,
      servicesConverged: svcs.filter(isConverged).length,
      secrets: secrets.get(name) ?? 0,
      configs: configs.get(name) ?? 0,
      networks: networks.get(name) ?? 0,
    };
  });
});

/** Stacks by com.docker.stack.namespace, sorted by name (a stack may hold only secrets or networks). */
export function selectStacks(state: ClusterState): readonly StackSummary[] {
  return stacksOf(state);
}

/** Services of one stack, by name. */
export function selectStackServices(state: ClusterState, stack: string): readonly ServiceModel[] {
  return servicesByStack(state.services).get(stack) ?? [];
}
