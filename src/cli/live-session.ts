import { describeEndpoint, type Connector, type ResolvedTarget } from '../docker/endpoint.js';
import { LiveCluster } from '../docker/live/index.js';
import { emptyConnection } from '../store/state.js';
import type { Store } from '../store/store.js';

const EMPTY_SNAPSHOT = { engine: null, swarm: null, nodes: [], services: [], tasks: [], secrets: [], configs: [], networks: [] };

/** The live layer on a target, feeding a store (the console, and CLI verbs that follow a rollout). */
export function startLive(target: ResolvedTarget, connect: Connector, store: Store): LiveCluster {
  store.dispatch([
    { type: 'snapshot', snapshot: EMPTY_SNAPSHOT, at: 0 },
    { type: 'connection', patch: { ...emptyConnection(target.context, describeEndpoint(target.endpoints[0]!)), insecure: target.insecure, readOnly: target.readOnly } },
  ]);
  const live = new LiveCluster({ context: target.context, endpoints: target.endpoints, connect, dispatch: (m) => store.dispatch(m), insecure: target.insecure, readOnly: target.readOnly });
  live.start();
  return live;
}
