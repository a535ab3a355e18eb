import type { DockerConnection } from '../docker/connection.js';
import { inspectObject } from '../docker/api/inspect.js';
import { readLogs } from '../docker/api/logs.js';
import type { Id } from '../store/model.js';
import type { ClusterState, ReadableStore } from '../store/state.js';
import type { ConsoleReaders, LogLine } from '../ui/options.js';
import { taskName } from '../ui/panes/rows.js';

function taskNames(state: ClusterState, kind: 'service' | 'task', id: Id): Map<Id, string> {
  const names = new Map<Id, string>();
  for (const [serviceId, tasks] of state.tasksByService) {
    if (kind === 'service' && serviceId !== id) continue;
    const svcName = state.services.get(serviceId)?.name ?? serviceId;
    for (const t of tasks.values()) if (kind === 'service' || t.id === id) names.set(t.id, taskName(t, svcName));
  }
  return names;
}

/** The inspect and logs readers over whatever connection is current (it changes on failover or :ctx). */
export function consoleReaders(connection: () => DockerConnection | null, store: ReadableStore): ConsoleReaders {
  const need = (): DockerConnection => {
    const c = connection();
    if (c === null) throw new Error('not connected to an engine');
    return c;
  };
  return {
    inspect: (kind, id) => Promise.resolve().then(() => inspectObject(need(), kind, id)),
    logs: async function* (req): AsyncGenerator<LogLine> {
      const names = taskNames(store.getState(), req.kind, req.id);
      for await (const e of readLogs(need(), req)) {
        let task = e.taskId === '' ? '' : names.get(e.taskId);
        if (task === undefined) {
          // A task started after the view opened: look again once, then fall back to its short id.
          for (const [k, v] of taskNames(store.getState(), req.kind, req.id)) names.set(k, v);
          task = names.get(e.taskId) ?? e.taskId.slice(0, 12);
        }
        yield { stream: e.stream, timestamp: e.timestamp, task, text: e.text };
      }
    },
  };
}
