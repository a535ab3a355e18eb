import { ACTIVE_STATES, STARTING_STATES, type Id, type ServiceModel, type TaskModel } from '../../store/model.js';
import { isConverged, isUpdating } from '../../store/service-status.js';
import type { ClusterMessage } from '../../store/messages.js';
import { same } from '../../store/same.js';
import { PollSchedule, type PollEntry } from './poll-schedule.js';

/**
 * A task on its way somewhere: starting while meant to run, still up while meant to stop, or marked
 * for removal (the engine deletes it soon, without an event).
 */
function inTransition(t: TaskModel): boolean {
  if (t.desiredState === 'remove') return true;
  if (t.desiredState === 'running') return STARTING_STATES.has(t.state);
  return ACTIVE_STATES.has(t.state);
}

/** Waiting for a node that meets its constraints or has the resources: nothing moves until one does. */
const waitingForNode = (t: TaskModel): boolean => t.desiredState === 'running' && t.state === 'pending';

/**
 * Tasks that only wait to be scheduled, beside settled ones: polling finds nothing new until a node
 * changes (node event) or a task starts or dies (the heartbeat's running counts), both of which wake it.
 */
function onlyWaitingForNodes(tasks: Iterable<TaskModel>): boolean {
  let waiting = false;
  for (const t of tasks) {
    if (waitingForNode(t)) waiting = true;
    else if (inTransition(t)) return false;
  }
  return waiting;
}

/** Everything the live layer remembers of one service: one record, so nothing is left behind when it goes. */
interface ServiceRecord {
  service: ServiceModel;
  /** Some of its tasks are still moving (see inTransition). */
  moving: boolean;
  /** Its last task list was only tasks waiting for a node (see onlyWaitingForNodes). */
  waiting: boolean;
  /** Waiting, but a node change unparked it until its next task list is read. */
  nudged: boolean;
  /** When it last needed polling (polls go on a little longer, see converging); null once settled. */
  busyAt: number | null;
  poll: PollEntry;
}

/**
 * What the live layer needs to remember of the state it dispatched, to decide what to poll: one record
 * per service (the service, whether its tasks move or only wait for a node, its poll schedule) and the
 * node ids.
 */
export class Tracked {
  private readonly records = new Map<Id, ServiceRecord>();
  /** The records' keys as a set (the sync's "known" list); changed only where records are. */
  private readonly serviceIdSet = new Set<Id>();
  private readonly nodes = new Set<Id>();
  private readonly schedule: PollSchedule;

  /**
   * `settleMs`: how long polls go on after a service looks settled. `pollMs`/`pollMaxMs`: a service's
   * task poll interval, doubling from the first to the second while its tasks do not change.
   * `parkAfterMs`: a service whose tasks only wait for a node, unchanged that long, is parked: polled
   * only when woken (an event, its counts move, any node event), the resync being its backstop.
   */
  constructor(private readonly settleMs = 0, pollMs = 0, pollMaxMs = pollMs, private readonly parkAfterMs = Number.POSITIVE_INFINITY) {
    this.schedule = new PollSchedule(pollMs, Math.max(pollMs, pollMaxMs));
  }

  /** Service ids held now: a live view, not a copy (the sync reads it before the next ingest). */
  serviceIds(): ReadonlySet<Id> {
    return this.serviceIdSet;
  }

  nodeIds(): ReadonlySet<Id> {
    return this.nodes;
  }

  /** The current task poll interval of a service. */
  pollIntervalOf(id: Id): number {
    return this.records.get(id)?.poll.intervalMs ?? this.schedule.entry().intervalMs;
  }

  private put(service: ServiceModel, urgent: boolean): ServiceRecord {
    const record: ServiceRecord = { service, moving: false, waiting: false, nudged: false, busyAt: null, poll: this.schedule.entry(urgent) };
    this.records.set(service.id, record);
    this.serviceIdSet.add(service.id);
    return record;
  }

  private drop(id: Id): void {
    this.records.delete(id);
    this.serviceIdSet.delete(id);
  }

  /**
   * Services whose tasks are due for a poll: updating, not converged, or with tasks still in
   * transition (and for `settleMs` after that: the engine prunes old tasks shortly after a service
   * converges, without any event), each at its own adaptive interval. `budgetOk` false holds back
   * the backed-off services (not the urgent ones, nor the short settle period, polled at the base rate).
   */
  converging(now: number, budgetOk = true): Id[] {
    const out: Id[] = [];
    for (const r of this.records.values()) {
      const s = r.service;
      if (isUpdating(s) || !isConverged(s) || r.moving) {
        r.busyAt = now;
        if (!isUpdating(s) && this.parked(r)) continue;
        if (this.schedule.take(r.poll, now, budgetOk)) out.push(s.id);
        continue;
      }
      if (r.busyAt === null) continue;
      if (now - r.busyAt > this.settleMs) r.busyAt = null;
      else if (this.schedule.takeFast(r.poll, now)) out.push(s.id);
    }
    return out;
  }

  /** Whether `id` is parked (see the constructor): true only for services seen waiting for a node. */
  isParked(id: Id): boolean {
    const r = this.records.get(id);
    return r !== undefined && this.parked(r);
  }

  private parked(r: ServiceRecord): boolean {
    return r.waiting && !r.nudged && !r.poll.urgent && this.schedule.unchangedFor(r.poll) >= this.parkAfterMs;
  }

  /**
   * A node changed: tasks waiting for one may be placed now. They are read again within the poll
   * budget; once placed and running, the heartbeat's counts wake the service at once anyway.
   */
  nodeChanged(): void {
    for (const r of this.records.values()) {
      if (!r.waiting) continue;
      r.nudged = true;
      this.schedule.wake(r.poll, false);
    }
  }

  /** Messages read at `now` (the time a poll's answer counts as seen). */
  ingest(messages: readonly ClusterMessage[], now = 0): void {
    for (const m of messages) this.one(m, now);
  }

  private snapshot(m: Extract<ClusterMessage, { type: 'snapshot' }>): void {
    const old = new Map(this.records);
    this.records.clear();
    this.serviceIdSet.clear();
    this.nodes.clear();
    for (const n of m.snapshot.nodes) this.nodes.add(n.id);
    const byService = new Map<Id, TaskModel[]>();
    for (const t of m.snapshot.tasks) {
      const list = byService.get(t.serviceId);
      if (list) list.push(t);
      else byService.set(t.serviceId, [t]);
    }
    for (const s of m.snapshot.services) {
      const before = old.get(s.id);
      // A resync that finds nothing new keeps every backed-off interval: no burst of polls after it.
      const r = this.put(s, false);
      if (before !== undefined) {
        r.poll = before.poll;
        r.busyAt = before.busyAt;
        if (!same(before.service, s)) this.schedule.wake(r.poll);
      }
      const tasks = byService.get(s.id) ?? [];
      r.moving = tasks.some(inTransition);
      r.waiting = onlyWaitingForNodes(tasks);
      this.schedule.observe(r.poll, tasks, m.at);
    }
  }

  private one(m: ClusterMessage, now: number): void {
    switch (m.type) {
      case 'snapshot':
        this.snapshot(m);
        return;
      case 'upsert':
        if (m.kind === 'service') {
          const r = this.records.get(m.item.id);
          if (r === undefined) this.put(m.item, true);
          else {
            // Counts, spec or update status moved (an event, or the heartbeat's service list).
            if (!same(r.service, m.item)) this.schedule.wake(r.poll);
            r.service = m.item;
          }
        }
        if (m.kind === 'node') this.nodes.add(m.item.id);
        return;
      case 'remove':
        if (m.kind === 'service') this.drop(m.id);
        if (m.kind === 'node') this.nodes.delete(m.id);
        return;
      case 'serviceTasks': {
        const r = this.records.get(m.serviceId);
        if (r === undefined) return;
        const own = m.tasks.filter((t) => t.serviceId === m.serviceId);
        r.moving = m.tasks.some(inTransition);
        r.nudged = false;
        r.waiting = onlyWaitingForNodes(own);
        this.schedule.observe(r.poll, own, now);
        return;
      }
      case 'nodeTasks': {
        // A node event touches every service with a task on that node: those poll fast again.
        for (const t of m.tasks) {
          const r = this.records.get(t.serviceId);
          if (r === undefined) continue;
          if (inTransition(t)) r.moving = true;
          this.schedule.wake(r.poll);
        }
        return;
      }
      case 'batch':
        this.ingest(m.messages, now);
        return;
      case 'swarm':
      case 'engine':
      case 'connection':
      case 'stats':
        return;
    }
  }
}
