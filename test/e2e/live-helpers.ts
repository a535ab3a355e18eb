import { expect } from 'vitest';
import type { Lab } from '../../lab/lab.js';
import type { EndpointSpec, ResolvedTarget } from '../../src/docker/endpoint.js';
import { LiveCluster, unixConnector, type LiveTiming } from '../../src/docker/live/index.js';
import { readClusterOnce } from '../../src/cli/snapshot.js';
import { createStore, type Store } from '../../src/store/store.js';
import type { ClusterState } from '../../src/store/state.js';

export function endpointsOf(lab: Lab, names?: readonly string[]): EndpointSpec[] {
  const nodes = names ? names.map((n) => lab.node(n)) : lab.managers;
  return nodes.map((n) => ({ kind: 'unix', socketPath: n.socket }));
}

export function targetOf(lab: Lab, names?: readonly string[]): ResolvedTarget {
  return { context: 'lab', endpoints: endpointsOf(lab, names), readOnly: false, theme: null, insecure: false };
}

export interface Running {
  store: Store;
  live: LiveCluster;
  /** Every connection status the store went through, in order. */
  statuses: string[];
}

export async function startLive(lab: Lab, names?: readonly string[], timing: Partial<LiveTiming> = {}): Promise<Running> {
  const store = createStore();
  const statuses: string[] = [];
  store.subscribe(() => {
    const s = store.getState().connection.status;
    if (statuses[statuses.length - 1] !== s) statuses.push(s);
  });
  const live = new LiveCluster({ context: 'lab', endpoints: endpointsOf(lab, names), connect: unixConnector, dispatch: (m) => store.dispatch(m), timing });
  live.start();
  expect(await live.whenLive(30_000)).toBe(true);
  return { store, live, statuses };
}

/** What a failed wait saw: the connection and each manager, enough to tell why a failover did not happen. */
function describeState(s: ClusterState): string {
  const c = s.connection;
  const managers = [...s.nodes.values()].filter((n) => n.manager).map((n) => `${n.hostname} ${n.state} ${n.manager?.reachability ?? ''}${n.manager?.leader ? ' leader' : ''}`);
  return `connection ${c.status} ${c.endpoint}${c.error ? ` (${c.error})` : ''}; managers: ${managers.join(', ')}`;
}

/** Waits (bounded) until `pick` returns a value for the store's state; fails with `what` otherwise. */
export async function waitStore<T>(store: Store, what: string, pick: (s: ClusterState) => T | null | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = pick(store.getState());
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}; the store has ${describeState(store.getState())}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The cluster objects of a state as plain sorted data (engine and connection left out). */
export function comparable(s: ClusterState): unknown {
  const sorted = <T extends { id: string }>(m: Iterable<T>): T[] => [...m].sort((a, b) => a.id.localeCompare(b.id));
  const tasks = [...s.tasksByService.values()].flatMap((m) => [...m.values()]);
  return {
    swarm: s.swarm,
    nodes: sorted(s.nodes.values()),
    services: sorted(s.services.values()),
    tasks: sorted(tasks),
    secrets: sorted(s.secrets.values()),
    configs: sorted(s.configs.values()),
    networks: sorted(s.networks.values()),
  };
}

export async function freshState(lab: Lab): Promise<ClusterState> {
  const s = await readClusterOnce(targetOf(lab), unixConnector);
  if (Array.isArray(s)) throw new Error(`no manager answered: ${s.join('; ')}`);
  return s;
}

/**
 * Waits (bounded) until the live store equals a fresh snapshot read independently; the cluster may
 * still be moving, so it compares repeatedly and asserts on the last comparison.
 */
export async function expectStoreEqualsFresh(lab: Lab, store: Store, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let fresh = comparable(await freshState(lab));
  while (Date.now() < deadline) {
    if (JSON.stringify(comparable(store.getState())) === JSON.stringify(fresh)) return;
    await new Promise((r) => setTimeout(r, 500));
    fresh = comparable(await freshState(lab));
  }
  expect(differences(comparable(store.getState()), fresh)).toEqual([]);
}

/** Field-level differences between two comparable states, readable in a failure message. */
export function differences(a: unknown, b: unknown, path = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (Array.isArray(a) && Array.isArray(b)) {
    const key = (x: unknown): string => (x !== null && typeof x === 'object' && 'id' in x ? String((x).id) : JSON.stringify(x));
    const am = new Map(a.map((x) => [key(x), x]));
    const bm = new Map(b.map((x) => [key(x), x]));
    const out: string[] = [];
    for (const [k, x] of am) out.push(...(bm.has(k) ? differences(x, bm.get(k), `${path}[${k}]`) : [`${path}[${k}] only in store: ${JSON.stringify(x).slice(0, 300)}`]));
    for (const [k, x] of bm) if (!am.has(k)) out.push(`${path}[${k}] only in fresh snapshot: ${JSON.stringify(x).slice(0, 300)}`);
    return out;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ra = a as Record<string, unknown>;
    const rb = b as Record<string, unknown>;
    return [...new Set([...Object.keys(ra), ...Object.keys(rb)])].flatMap((k) => differences(ra[k], rb[k], `${path}.${k}`));
  }
  return [`${path}: store ${JSON.stringify(a)} fresh ${JSON.stringify(b)}`];
}
