import type { Id, ServiceModel, TaskModel } from '../../store/model.js';
import { isConverged, isUpdating } from '../../store/selectors/health.js';
import type { ClusterMessage } from '../../store/messages.js';

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

/**
 * What the live layer needs to remember of the state it dispatched, to decide what to poll: services
 * (converged or not), node ids, and services with tasks still moving.
 */
export class Tracked {
  private readonly services = new Map<Id, ServiceModel>();
  private readonly nodes = new Set<Id>();
  private readonly moving = new Set<Id>();
  /** When each service last needed polling: polls go on a little longer (see converging). */
  private readonly busyAt = new Map<Id, number>();

  constructor(private readonly settleMs = 0) {}

  serviceIds(): ReadonlySet<Id> {
    return new Set(this.services.keys());
  }

  nodeIds(): ReadonlySet<Id> {
    return new Set(this.nodes);
  }

  /**
   * Services whose tasks are polled: updating, not converged, or with tasks still in transition, and
   * for `settleMs` after that. The engine prunes old tasks (task history limit) shortly after a
   * service converges, without any event: the settle period sees those removals.
   */
  converging(now: number): Id[] {
    const out: Id[] = [];
    for (const s of this.services.values()) {
      if (isUpdating(s) || !isConverged(s) || this.moving.has(s.id)) this.busyAt.set(s.id, now);
      const busy = this.busyAt.get(s.id);
      if (busy === undefined) continue;
      if (now - busy <= this.settleMs) out.push(s.id);
      else this.busyAt.delete(s.id);
    }
    return out;
  }

  ingest(messages: readonly ClusterMessage[]): void {
    for (const m of messages) this.one(m);
  }

  private one(m: ClusterMessage): void {
    switch (m.type) {
      case 'snapshot':
        this.services.clear();
        this.nodes.clear();
        this.moving.clear();
        this.busyAt.clear();
        for (const s of m.snapshot.services) this.services.set(s.id, s);
        for (const n of m.snapshot.nodes) this.nodes.add(n.id);
        for (const t of m.snapshot.tasks) if (inTransition(t)) this.moving.add(t.serviceId);
        return;
      case 'upsert':
        if (m.kind === 'service') this.services.set(m.item.id, m.item);
        if (m.kind === 'node') this.nodes.add(m.item.id);
        return;
      case 'remove':
        if (m.kind === 'service') {
          this.services.delete(m.id);
          this.moving.delete(m.id);
          this.busyAt.delete(m.id);
        }
        if (m.kind === 'node') this.nodes.delete(m.id);
        return;
      case 'serviceTasks':
        if (m.tasks.some(inTransition)) this.moving.add(m.serviceId);
        else this.moving.delete(m.serviceId);
        return;
      case 'nodeTasks':
        for (const t of m.tasks) if (inTransition(t)) this.moving.add(t.serviceId);
        return;
      case 'batch':
        this.ingest(m.messages);
        return;
      case 'swarm':
      case 'engine':
      case 'connection':
        return;
    }
  }
}
