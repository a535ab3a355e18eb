import type { DockerConnection } from '../connection.js';
import {
  inspectSwarm, listNodes, listServices, listTasks, readConfig, readLightSnapshot, readNetwork, readNode, readSecret, readService, readSnapshot,
  type ReadOptions,
} from '../api/read.js';
import type { Id, TaskModel } from '../../store/model.js';
import type { ClusterMessage, ObjectKind, Snapshot } from '../../store/messages.js';
import type { Pending } from './pending.js';

/** Services per task list read (see runSync). */
export const SERVICES_PER_TASK_READ = 8;
const TASK_READS_AT_ONCE = 3;

export interface SyncResult {
  /** Everything read, as one batch for the store. */
  messages: ClusterMessage[];
  /** Set when this was a full re-read. */
  snapshot: Snapshot | null;
}

async function rereadOne(conn: DockerConnection, kind: ObjectKind, id: Id, o: ReadOptions): Promise<ClusterMessage> {
  // Gone by the time we read it (removed right after the event): the object is removed here too.
  const gone: ClusterMessage = { type: 'remove', kind, id };
  switch (kind) {
    case 'node': {
      const item = await readNode(conn, id, o);
      return item ? { type: 'upsert', kind, item } : gone;
    }
    case 'service': {
      const item = await readService(conn, id, o);
      return item ? { type: 'upsert', kind, item } : gone;
    }
    case 'secret': {
      const item = await readSecret(conn, id, o);
      return item ? { type: 'upsert', kind, item } : gone;
    }
    case 'config': {
      const item = await readConfig(conn, id, o);
      return item ? { type: 'upsert', kind, item } : gone;
    }
    case 'network': {
      const item = await readNetwork(conn, id, o);
      return item ? { type: 'upsert', kind, item } : gone;
    }
  }
}

function groupByService(ids: ReadonlySet<Id>, tasks: readonly TaskModel[]): ClusterMessage[] {
  const by = new Map<Id, TaskModel[]>([...ids].map((id) => [id, []]));
  for (const t of tasks) by.get(t.serviceId)?.push(t);
  return [...by].map(([serviceId, list]) => ({ type: 'serviceTasks', serviceId, tasks: list }));
}

/**
 * Performs the reads a Pending asks for, in parallel, and returns them as one list of messages.
 * `known`/`knownNodes`: ids the store holds, so that a complete list can also remove. `light`: a full
 * re-read is the fleet's light snapshot (no tasks, secrets, configs or networks).
 */
export async function runSync(conn: DockerConnection, work: Pending, known: ReadonlySet<Id>, knownNodes: ReadonlySet<Id>, o: ReadOptions, now: number, light = false): Promise<SyncResult> {
  if (work.full) {
    const snapshot = await (light ? readLightSnapshot : readSnapshot)(conn, o);
    return { messages: [{ type: 'snapshot', snapshot, at: now }], snapshot };
  }
  const messages: ClusterMessage[] = [];
  const jobs: Promise<void>[] = [];
  for (const [kind, ids] of work.removed) for (const id of ids) messages.push({ type: 'remove', kind, id });
  for (const [kind, ids] of work.reread) {
    if ((kind === 'service' && work.allServices) || (kind === 'node' && work.allNodes)) continue; // covered by a full list
    for (const id of ids) jobs.push(rereadOne(conn, kind, id, o).then((m) => void messages.push(m)));
  }
  if (work.allServices) {
    jobs.push(listServices(conn, undefined, o).then((list) => {
      const present = new Set(list.map((x) => x.id));
      messages.push(...list.map((item): ClusterMessage => ({ type: 'upsert', kind: 'service', item })));
      for (const id of known) if (!present.has(id)) messages.push({ type: 'remove', kind: 'service', id });
    }));
  }
  const polled = work.allServices ? [] : [...work.poll].filter((id) => !work.reread.get('service')?.has(id));
  if (polled.length > 0) {
    // The id filter matches prefixes: a polled id missing from the answer means the service is gone.
    jobs.push(listServices(conn, { id: polled }, o).then((list) => {
      const present = new Set(list.map((x) => x.id));
      messages.push(...list.filter((x) => work.poll.has(x.id)).map((item): ClusterMessage => ({ type: 'upsert', kind: 'service', item })));
      for (const id of polled) if (!present.has(id)) messages.push({ type: 'remove', kind: 'service', id });
    }));
  }
  // A few services per call: the answers are parsed one at a time as they come, so a keystroke waits
  // for one small parse, never for tens of MB of tasks of every service at once.
  // A few calls at a time: an SSH server limits the channels one connection may open (MaxSessions).
  const taskIds = [...new Set([...work.serviceTasks, ...work.poll])];
  const chunks: Set<Id>[] = [];
  for (let i = 0; i < taskIds.length; i += SERVICES_PER_TASK_READ) chunks.push(new Set(taskIds.slice(i, i + SERVICES_PER_TASK_READ)));
  const lane = async (): Promise<void> => {
    for (let ids = chunks.shift(); ids; ids = chunks.shift()) {
      const tasks = await listTasks(conn, { service: [...ids] }, o);
      messages.push(...groupByService(ids, tasks));
    }
  };
  for (let i = 0; i < Math.min(TASK_READS_AT_ONCE, chunks.length); i++) jobs.push(lane());
  for (const nodeId of work.nodeTasks) {
    jobs.push(listTasks(conn, { node: [nodeId] }, o).then((tasks) => void messages.push({ type: 'nodeTasks', nodeId, tasks })));
  }
  if (work.allNodes) {
    jobs.push(listNodes(conn, undefined, o).then((list) => {
      const present = new Set(list.map((x) => x.id));
      messages.push(...list.map((item): ClusterMessage => ({ type: 'upsert', kind: 'node', item })));
      for (const id of knownNodes) if (!present.has(id)) messages.push({ type: 'remove', kind: 'node', id });
    }));
  }
  if (work.managers && !work.allNodes) {
    // Demoted or removed managers come with node events: this list only refreshes leader and reachability.
    jobs.push(listNodes(conn, { role: ['manager'] }, o).then((list) => {
      messages.push(...list.map((item): ClusterMessage => ({ type: 'upsert', kind: 'node', item })));
    }));
  }
  if (work.swarm) jobs.push(inspectSwarm(conn, o).then((swarm) => void messages.push({ type: 'swarm', swarm })));
  await Promise.all(jobs);
  // Objects before task lists: the reducer files tasks only under services it already holds.
  const rank = (m: ClusterMessage): number => (m.type === 'serviceTasks' || m.type === 'nodeTasks' ? 1 : 0);
  messages.sort((a, b) => rank(a) - rank(b));
  return { messages, snapshot: null };
}
