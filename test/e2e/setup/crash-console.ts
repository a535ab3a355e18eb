/**
 * TEST-ONLY entry (run with tsx in a real pty by faults-terminal): the real runConsole over a live
 * store, crashed `CRASH_AFTER_MS` after the cluster is live. Mode `render`: the store starts returning a
 * corrupt state, so the UI throws while rendering. Mode `rejection`: a promise nobody awaits rejects.
 * Nothing in product code knows about it. Exits with runConsole's code.
 */
import { guardedActions } from '../../../src/actions/index.js';
import { consoleReaders } from '../../../src/cli/readers.js';
import { createConnector } from '../../../src/docker/connect/connector.js';
import { LiveCluster } from '../../../src/docker/live/index.js';
import type { ClusterState, ReadableStore } from '../../../src/store/state.js';
import { emptyConnection, emptyState } from '../../../src/store/state.js';
import { createStore } from '../../../src/store/store.js';
import { runConsole } from '../../../src/ui/run.js';

const socket = process.argv[2];
const mode = process.argv[3] ?? 'render';
if (!socket || (mode !== 'render' && mode !== 'rejection')) throw new Error('usage: crash-console.ts SOCKET [render|rejection]');
const CRASH_AFTER_MS = 1500;

const inner = createStore(emptyState(emptyConnection('crash', `unix://${socket}`)));
let corrupt = false;
const listeners = new Set<() => void>();
const store: ReadableStore = {
  // A state whose maps are not maps: any selector or pane that reads it throws.
  getState: (): ClusterState => (corrupt ? ({ ...inner.getState(), revision: inner.getState().revision + 1, nodes: 42, services: 'x' } as unknown as ClusterState) : inner.getState()),
  subscribe: (l) => {
    listeners.add(l);
    const off = inner.subscribe(l);
    return () => {
      listeners.delete(l);
      off();
    };
  },
};
const live = new LiveCluster({ context: 'crash', endpoints: [{ kind: 'unix', socketPath: socket }], connect: createConnector({ env: {} }), dispatch: (m) => inner.dispatch(m) });
live.start();
void live.whenLive(10_000).then(() =>
  setTimeout(() => {
    if (mode === 'rejection') {
      void Promise.reject(new Error('simulated crash: a rejection nobody handled'));
      return;
    }
    corrupt = true;
    for (const l of [...listeners]) l();
  }, CRASH_AFTER_MS),
);
const code = await runConsole({
  store,
  actions: guardedActions({ readOnly: true, audit: () => Promise.resolve() }),
  actionContext: () => null,
  refresh: () => undefined,
  readers: consoleReaders(() => live.connection(), store),
  theme: null,
  readOnly: true,
  contexts: ['crash'],
  switchContext: () => Promise.resolve(),
});
await live.stop();
process.exitCode = code;
