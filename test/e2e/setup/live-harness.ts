/**
 * The real live layer (LiveCluster → store) against lab managers, as the console composes it, for
 * fault tests: wait on the store with a deadline, and find objects in it by name.
 */
import { createConnector } from '../../../src/docker/connect/connector.js';
import type { Connector, EndpointSpec } from '../../../src/docker/endpoint.js';
import { LiveCluster } from '../../../src/docker/live/index.js';
import type { LiveTiming } from '../../../src/docker/live/timing.js';
import type { NodeModel, ServiceModel } from '../../../src/store/model.js';
import type { ClusterState } from '../../../src/store/state.js';
import { emptyState } from '../../../src/store/state.js';
import { createStore, type Store } from '../../../src/store/store.js';
import type { LabNode } from '../../../lab/layout.js';

export interface LiveHarness {
  live: LiveCluster;
  store: Store;
  /** Every connection status/staleSince pair the store went through, in order. */
  history: { status: string; staleSince: number | null; endpoint: string }[];
  state(): ClusterState;
  /** Resolves with the first truthy result of `check` on the store's state; throws after `timeoutMs`. */
  until<T>(what: string, timeoutMs: number, check: (s: ClusterState) => T | null | undefined | false): Promise<T>;
  stop(): Promise<void>;
}

/** Faster than the defaults so faults show within seconds, still the production code paths. */
export const FAULT_TIMING: Partial<LiveTiming> = { heartbeatMs: 1000, taskPollMs: 500, backoffInitialMs: 200, backoffMaxMs: 1000, readTimeoutMs: 4000 };

export function unixEndpoints(nodes: readonly LabNode[]): EndpointSpec[] {
  return nodes.map((n) => ({ kind: 'unix', socketPath: n.socket }));
}

export function startLive(endpoints: readonly EndpointSpec[], connect: Connector = createConnector({ env: {} }), timing: Partial<LiveTiming> = FAULT_TIMING): LiveHarness {
  const store = createStore(emptyState());
  const history: LiveHarness['history'] = [];
  store.subscribe(() => {
    const c = store.getState().connection;
    const last = history[history.length - 1];
    if (!last || last.status !== c.status || last.staleSince !== c.staleSince || last.endpoint !== c.endpoint) history.push({ status: c.status, staleSince: c.staleSince, endpoint: c.endpoint });
  });
  const live = new LiveCluster({ context: 'faults', endpoints, connect, dispatch: (m) => store.dispatch(m), timing });
  live.start();
  const until = <T>(what: string, timeoutMs: number, check: (s: ClusterState) => T | null | undefined | false): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const test = (): boolean => {
        const v = check(store.getState());
        if (v === null || v === undefined || v === false) return false;
        cleanup();
        resolve(v);
        return true;
      };
      const unsubscribe = store.subscribe(() => void test());
      const poll = setInterval(() => void test(), 200);
      const timer = setTimeout(() => {
        cleanup();
        const c = store.getState().connection;
        reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what} (connection ${c.status} ${c.endpoint} ${c.error ?? ''})`));
      }, timeoutMs);
      function cleanup(): void {
        unsubscribe();
        clearInterval(poll);
        clearTimeout(timer);
      }
      test();
    });
  return { live, store, history, state: () => store.getState(), until, stop: () => live.stop() };
}

export function nodeByHostname(s: ClusterState, hostname: string): NodeModel | undefined {
  return [...s.nodes.values()].find((n) => n.hostname === hostname);
}

export function serviceByName(s: ClusterState, name: string): ServiceModel | undefined {
  return [...s.services.values()].find((x) => x.name === name);
}

export function leaderOf(s: ClusterState): NodeModel | undefined {
  return [...s.nodes.values()].find((n) => n.manager?.leader === true);
}
