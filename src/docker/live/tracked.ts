import type { Id, ServiceModel, TaskModel } from '../../store/model.js';
import { isConverged, isUpdating } from '../../store/selectors/health.js';
import type { ClusterMessage } from '../../store/messages.js';
import { same } from '../../store/same.js';
import { PollSchedule } from './poll-schedule.js';

const STARTING = new Set(['new', 'allocated', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting']);
const ACTIVE = new Set([...STARTING, 'running']);

/**
 * A task on its way somewhere: starting while meant to run, still up while meant to stop, or marked
 * for removal (the engine deletes it soon, without an event).
 */
function inTransition(t: TaskModel): boolean {
  if (t.desiredState === 'remove') return true;
  if (t.desiredState === 'running') return STARTING.has(t.state);
  return ACTIVE.has(t.state);
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

/**
 * What the live layer needs to remember of the state it dispatched, to decide what to poll: services
 * (converged or not), node ids, services with tasks still moving, and each service's poll schedule.
 */
export class Tracked {
  private readonly services = new Map<Id, ServiceModel>();
  private readonly serviceIdSet = new Set<Id>();
  private readonly nodes = new Set<Id>();
  private readonly moving = new Set<Id>();
  /** Services whose last task list was only tasks waiting for a node (see onlyWaitingForNodes). */
  private readonly waiting = new Set<Id>();
  /** Waiting services a node change unparked until their next task list is read. */
  private readonly nudged = new Set<Id>();
  /** When each service last needed polling: polls go on a little longer (see converging). */
  private readonly busyAt = new Map<Id, number>();
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
    return this.schedule.intervalOf(id);
  }

  /**
   * Services whose tasks are due for a poll: updating, not converged, or with tasks still in
   * transition (and for `settleMs` after that: the engine prunes old tasks shortly after a service
   * converges, without any event), each at its own adaptive interval. `budgetOk` false holds back
   * the backed-off services (not the urgent ones, nor the short settle period, polled at the base rate).
   */
  converging(now: number, budgetOk = true): Id[] {
    const out: Id[] = [];
    for (const s of this.services.values()) {
      if (isUpdating(s) || !isConverged(s) || this.moving.has(s.id)) {
        this.busyAt.set(s.id, now);
        if (!isUpdating(s) && this.isParked(s.id)) continue;
        if (this.schedule.take(s.id, now, budgetOk)) out.push(s.id);
        continue;
      }
      const busy = this.busyAt.get(s.id);
      if (busy === undefined) continue;
      if (now - busy > this.settleMs) this.busyAt.delete(s.id);
      else if (this.schedule.takeFast(s.id, now)) out.push(s.id);
    }
    return out;
  }

  /** Whether `id` is parked (see the constructor): true only for services seen waiting for a node. */
  isParked(id: Id): boolean {
    return this.waiting.has(id) && !this.nudged.has(id) && !this.schedule.isUrgent(id) && this.schedule.unchangedFor(id) >= this.parkAfterMs;
  }

  /**
   * A node changed: tasks waiting for one may be placed now. They are read again within the poll
   * budget; once placed and running, the heartbeat's counts wake the service at once anyway.
   */
  nodeChanged(): void {
    for (const id of this.waiting) {
      this.nudged.add(id);
      this.schedule.wake(id, false);
    }
  }

  /** Messages read at `now` (the time a poll's answer counts as seen). */
  ingest(messages: readonly ClusterMessage[], now = 0): void {
    for (const m of messages) this.one(m, now);
  }

  private snapshot(m: Extract<ClusterMessage, { type: 'snapshot' }>): void {
    const old = new Map(this.services);
    this.services.clear();
    this.serviceIdSet.clear();
    this.nodes.clear();
    this.moving.clear();
    this.waiting.clear();
    this.nudged.clear();
    for (const s of m.snapshot.services) {
      this.services.set(s.id, s);
      this.serviceIdSet.add(s.id);
    }
    for (const n of m.snapshot.nodes) this.nodes.add(n.id);
    const byService = new Map<Id, TaskModel[]>();
    for (const t of m.snapshot.tasks) {
      if (inTransition(t)) this.moving.add(t.serviceId);
      const list = byService.get(t.serviceId);
      if (list) list.push(t);
      else byService.set(t.serviceId, [t]);
    }
    for (const id of this.busyAt.keys()) if (!this.services.has(id)) this.busyAt.delete(id);
    this.schedule.retain(this.serviceIdSet);
    // A resync that finds nothing new keeps every backed-off interval: no burst of polls after it.
    for (const s of this.services.values()) {
      const before = old.get(s.id);
      if (before !== undefined && !same(before, s)) this.schedule.wake(s.id);
      const tasks = byService.get(s.id) ?? [];
      if (onlyWaitingForNodes(tasks)) this.waiting.add(s.id);
      this.schedule.observe(s.id, tasks, true, m.at);
    }
  }

  private one(m: ClusterMessage, now: number): void {
    switch (m.type) {
      case 'snapshot':
        this.snapshot(m);
        return;
      case 'upsert':
        if (m.kind === 'service') {
          const before = this.services.get(m.item.id);
          // Counts, spec or update status moved (an event, or the heartbeat's service list).
          if (before !== undefined && !same(before, m.item)) this.schedule.wake(m.item.id);
          this.services.set(m.item.id, m.item);
          this.serviceIdSet.add(m.item.id);
        }
        if (m.kind === 'node') this.nodes.add(m.item.id);
        return;
      case 'remove':
        if (m.kind === 'service') {
          this.services.delete(m.id);
          this.serviceIdSet.delete(m.id);
          this.moving.delete(m.id);
          this.waiting.delete(m.id);
          this.nudged.delete(m.id);
          this.busyAt.delete(m.id);
          this.schedule.forget(m.id);
        }
        if (m.kind === 'node') this.nodes.delete(m.id);
        return;
      case 'serviceTasks': {
        if (m.tasks.some(inTransition)) this.moving.add(m.serviceId);
        else this.moving.delete(m.serviceId);
        const own = m.tasks.filter((t) => t.serviceId === m.serviceId);
        this.nudged.delete(m.serviceId);
        if (onlyWaitingForNodes(own)) this.waiting.add(m.serviceId);
        else this.waiting.delete(m.serviceId);
        if (this.services.has(m.serviceId)) this.schedule.observe(m.serviceId, own, false, now);
        return;
      }
      case 'nodeTasks': {
        // A node event touches every service with a task on that node: those poll fast again.
        const touched = new Set<Id>();
        for (const t of m.tasks) {
          if (inTransition(t)) this.moving.add(t.serviceId);
          touched.add(t.serviceId);
        }
        for (const id of touched) this.schedule.wake(id);
        return;
      }
      case 'batch':
        this.ingest(m.messages, now);
        return;
      case 'swarm':
      case 'engine':
      case 'connection':
        return;
    }
  }
}
