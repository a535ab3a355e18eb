import type { ClusterState } from '../../store/state.js';
import type { TimelineEntry } from '../../store/timeline/entry.js';
import type { TargetKind } from '../../actions/types.js';
import type { PaneId, PaneScope } from '../panes/types.js';

/** Where enter on a timeline entry leads: the object's pane with the cursor on it. */
export interface Jump {
  pane: PaneId;
  scope: PaneScope | null;
  cursorId: string | null;
}

const PANE_OF: Readonly<Record<string, PaneId>> = {
  node: 'nodes', service: 'services', secret: 'secrets', config: 'configs', network: 'networks', stack: 'stacks', swarm: 'swarm',
};

function present(state: ClusterState, e: TimelineEntry): boolean {
  switch (e.kind) {
    case 'node': return state.nodes.has(e.objectId);
    case 'service': return state.services.has(e.objectId);
    case 'secret': return state.secrets.has(e.objectId);
    case 'config': return state.configs.has(e.objectId);
    case 'network': return state.networks.has(e.objectId);
    case 'stack': return [...state.services.values()].some((s) => s.stack === e.objectId || s.stack === e.name);
    default: return true;
  }
}

/** The jump for an entry, or why there is none (a console note, an object since removed). */
export function jumpTarget(state: ClusterState, e: TimelineEntry): Jump | string {
  if (e.kind === 'console') return 'a note of the console: nothing to open';
  if (e.kind === 'task') {
    const svc = state.services.get(e.serviceId);
    if (!svc) return `${e.name}: its service is no longer in the swarm`;
    const task = state.tasksByService.get(svc.id)?.get(e.objectId);
    return { pane: 'tasks', scope: { kind: 'service', id: svc.id, name: svc.name }, cursorId: task ? task.id : null };
  }
  const pane = PANE_OF[e.kind];
  if (!pane) return `nothing to open for ${e.kind} ${e.name}`;
  if (!present(state, e)) return `${e.kind} ${e.name} is no longer in the swarm`;
  return { pane, scope: null, cursorId: e.kind === 'stack' ? e.name : e.kind === 'swarm' ? null : e.objectId };
}

/** The object `y` inspects and `l` shows logs of, for an entry (null: none). */
export function entryObject(e: TimelineEntry): { kind: TargetKind; id: string; name: string } | null {
  if (e.kind === 'console' || e.objectId === '') return null;
  return { kind: e.kind, id: e.objectId, name: e.name };
}
