import type { Id } from '../../store/model.js';
import type { ObjectKind } from '../../store/messages.js';
import type { SwarmEvent } from '../api/events.js';

/**
 * Work collected between two flushes: which objects to re-read, which task lists to poll. Events and
 * timers only add to it; one flush turns all of it into one batch (bursts coalesce here).
 */
export class Pending {
  readonly reread = new Map<ObjectKind, Set<Id>>();
  readonly removed = new Map<ObjectKind, Set<Id>>();
  readonly serviceTasks = new Set<Id>();
  readonly nodeTasks = new Set<Id>();
  /** Converging services: re-read them and their tasks (one call each for all of them). */
  readonly poll = new Set<Id>();
  /** Re-list services (their running/desired counts change without any service event). */
  allServices = false;
  /** Re-list nodes (all of them, removing the ones gone). */
  allNodes = false;
  /** Re-list the managers only: leader and reachability changes come with no event. */
  managers = false;
  swarm = false;
  full = false;

  get empty(): boolean {
    return !this.full && !this.swarm && !this.allServices && !this.allNodes && !this.managers && this.reread.size === 0 && this.removed.size === 0
      && this.serviceTasks.size === 0 && this.nodeTasks.size === 0 && this.poll.size === 0;
  }

  private add(map: Map<ObjectKind, Set<Id>>, kind: ObjectKind, id: Id): void {
    const set = map.get(kind) ?? new Set<Id>();
    set.add(id);
    map.set(kind, set);
  }

  /**
   * `light` (a context watched from the fleet): only services and nodes are kept, and their task lists
   * are left to the poll of unconverged services.
   */
  addEvent(e: SwarmEvent, light = false): void {
    if (light && e.kind !== 'service' && e.kind !== 'node') return;
    if (e.action === 'remove') {
      this.reread.get(e.kind)?.delete(e.id);
      this.add(this.removed, e.kind, e.id);
      if (e.kind === 'node') this.allServices = true;
      return;
    }
    this.removed.get(e.kind)?.delete(e.id);
    this.add(this.reread, e.kind, e.id);
    if (e.kind === 'service' && !light) this.serviceTasks.add(e.id);
    if (e.kind === 'node') {
      // A node going down/draining moves tasks and changes services' running counts.
      if (!light) this.nodeTasks.add(e.id);
      this.allServices = true;
    }
  }

  /** Moves everything into a new Pending and leaves this one empty. */
  take(): Pending {
    const out = new Pending();
    for (const [k, v] of this.reread) out.reread.set(k, v);
    for (const [k, v] of this.removed) out.removed.set(k, v);
    for (const id of this.serviceTasks) out.serviceTasks.add(id);
    for (const id of this.nodeTasks) out.nodeTasks.add(id);
    for (const id of this.poll) out.poll.add(id);
    out.allServices = this.allServices;
    out.allNodes = this.allNodes;
    out.managers = this.managers;
    out.swarm = this.swarm;
    out.full = this.full;
    this.reread.clear();
    this.removed.clear();
    this.serviceTasks.clear();
    this.nodeTasks.clear();
    this.poll.clear();
    this.allServices = false;
    this.allNodes = false;
    this.managers = false;
    this.swarm = false;
    this.full = false;
    return out;
  }
}
