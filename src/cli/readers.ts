import type { DockerConnection } from '../docker/connection.js';
import { inspectObject } from '../docker/api/inspect.js';
import { logDriverOf, logDriverReadable, readLogs, unavailableNodes } from '../docker/api/logs.js';
import type { ReadableStore } from '../store/state.js';
import type { ConsoleReaders, LogLine, LogRequest } from '../ui/options.js';
import { logSources, unavailableNodeTasks, unknownSource, unreadableTasks, type Unreadable } from './log-sources.js';

/** A line of swarmtop's own in the logs, timed when it was said (so it sorts among the task's lines). */
function notice(u: Unreadable, at: string): LogLine {
  return { stream: 'stderr', timestamp: at, task: u.source.task, taskId: u.source.taskId, node: u.source.node, text: u.reason, notice: true };
}

async function* logLines(conn: DockerConnection, store: ReadableStore, req: LogRequest): AsyncGenerator<LogLine> {
  const sources = logSources(store.getState(), req.kind, req.id);
  // The driver is asked once: a read that fails here fails again, with its message, when the logs are read.
  const driver = await logDriverOf(conn, req.kind, req.id).then(
    (d) => ({ name: d.name, readable: logDriverReadable(d.name, d.options) }),
    () => ({ name: '', readable: true }),
  );
  const announced = new Set<string>();
  const say = function* (found: readonly Unreadable[]): Generator<LogLine> {
    const at = new Date().toISOString();
    for (const u of found) {
      if (announced.has(u.source.taskId)) continue;
      announced.add(u.source.taskId);
      yield notice(u, at);
    }
  };
  yield* say(unreadableTasks(store.getState(), req.kind, req.id, driver));
  for await (const e of readLogs(conn, req)) {
    if (e.stream === 'system') {
      // The engine's own word in the stream: the nodes whose logs it could not read, said per task once.
      const nodes = unavailableNodes(e.text);
      const found = unavailableNodeTasks(store.getState(), req.kind, req.id, nodes);
      if (found.length > 0) yield* say(found);
      else yield { stream: 'stderr', timestamp: new Date().toISOString(), task: '', text: `the engine: ${e.text}`, notice: true };
      continue;
    }
    let source = e.taskId === '' ? undefined : sources.get(e.taskId);
    if (source === undefined && e.taskId !== '') {
      // A task started after the view opened: look again once, then name it by its id.
      for (const [k, v] of logSources(store.getState(), req.kind, req.id)) sources.set(k, v);
      source = sources.get(e.taskId) ?? unknownSource(store.getState(), e.taskId, e.nodeId);
      sources.set(e.taskId, source);
    }
    yield { stream: e.stream, timestamp: e.timestamp, task: source?.task ?? '', taskId: e.taskId, node: source?.node ?? '', text: e.text };
  }
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
      yield* logLines(need(), store, req);
    },
  };
}
