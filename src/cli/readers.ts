import type { DockerConnection } from '../docker/connection.js';
import { inspectObject } from '../docker/api/inspect.js';
import { logDriverOf, logDriverReadable, readContainerLogs, readLogs, unavailableNodes } from '../docker/api/logs.js';
import type { NodeReach } from '../docker/nodes/connections.js';
import type { TaskModel } from '../store/model.js';
import type { ReadableStore } from '../store/state.js';
import type { ConsoleReaders, LogLine, LogRequest } from '../ui/options.js';
import { logSources, unavailableNodeTasks, unknownSource, unreadableTasks, type Unreadable } from './log-sources.js';

/** A line of swarmtop's own in the logs, timed when it was said (so it sorts among the task's lines). */
function notice(u: Unreadable, at: string): LogLine {
  return { stream: 'stderr', timestamp: at, task: u.source.task, taskId: u.source.taskId, node: u.source.node, text: u.reason, notice: true };
}

function findTask(store: ReadableStore, id: string): TaskModel | undefined {
  for (const tasks of store.getState().tasksByService.values()) {
    const t = tasks.get(id);
    if (t) return t;
  }
  return undefined;
}

/**
 * One task's logs from its node's own engine, when the managers cannot serve them (why: `because`):
 * said first, then the container's lines. Null when the node cannot be reached either (the reason then
 * says why, and the caller goes on with what it has).
 */
async function* fromNode(nodes: NodeReach, store: ReadableStore, req: LogRequest, because: string): AsyncGenerator<LogLine> {
  const task = findTask(store, req.id);
  const sources = logSources(store.getState(), 'task', req.id);
  const source = sources.get(req.id) ?? unknownSource(store.getState(), req.id, task?.nodeId ?? '');
  const say = (text: string): LogLine => ({ stream: 'stderr', timestamp: new Date().toISOString(), task: source.task, taskId: req.id, node: source.node, text, notice: true });
  if (!task || task.containerId === null || task.nodeId === null) {
    yield say(`${because}; the task has no container to read from its node`);
    return;
  }
  let conn: DockerConnection;
  try {
    conn = await nodes.connect(task.nodeId);
  } catch (err) {
    yield say(`${because}; its node cannot be reached either: ${err instanceof Error ? err.message : String(err)}`);
    return;
  }
  yield say(`the managers cannot fetch these logs (${because.replace(/^logs cannot be fetched: /, '')}): read from node ${source.node}'s own engine (${conn.endpoint}) instead`);
  for await (const e of readContainerLogs(conn, task.containerId, req.id, req)) {
    if (e.stream !== 'system') yield { stream: e.stream, timestamp: e.timestamp, task: source.task, taskId: req.id, node: source.node, text: e.text };
  }
}

async function* logLines(conn: DockerConnection, store: ReadableStore, req: LogRequest, nodes: NodeReach | null): AsyncGenerator<LogLine> {
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
  const unreadable = unreadableTasks(store.getState(), req.kind, req.id, driver);
  // One task the managers cannot read because of its node (not its log driver): its node may still answer.
  if (req.kind === 'task' && nodes !== null && driver.readable && unreadable.length > 0) {
    yield* fromNode(nodes, store, req, unreadable[0]!.reason);
    return;
  }
  yield* say(unreadable);
  for await (const e of readLogs(conn, req)) {
    if (e.stream === 'system') {
      // The engine's own word in the stream: the nodes whose logs it could not read, said per task once.
      const unavailable = unavailableNodes(e.text);
      const found = unavailableNodeTasks(store.getState(), req.kind, req.id, unavailable);
      if (req.kind === 'task' && nodes !== null && found.length > 0) {
        yield* fromNode(nodes, store, req, found[0]!.reason);
        return;
      }
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
export function consoleReaders(connection: () => DockerConnection | null, store: ReadableStore, nodes: () => NodeReach | null = () => null): ConsoleReaders {
  const need = (): DockerConnection => {
    const c = connection();
    if (c === null) throw new Error('not connected to an engine');
    return c;
  };
  return {
    inspect: (kind, id) => Promise.resolve().then(() => inspectObject(need(), kind, id)),
    logs: async function* (req): AsyncGenerator<LogLine> {
      yield* logLines(need(), store, req, nodes());
    },
  };
}
