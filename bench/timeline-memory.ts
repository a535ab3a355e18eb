/**
 * Child process of `npm run bench` (run with --expose-gc): the heap the incident timeline takes when its
 * ring is full (50,000 entries by default), with entries shaped like the real ones (task transitions with
 * errors, exit codes and nodes; node changes; engine events; operator actions), and again once a `/`
 * filter has built every entry's search key. Prints one JSON line.
 */
import type { TaskModel } from '../src/store/model.js';
import type { ClusterState } from '../src/store/state.js';
import { freshDraft } from '../src/store/timeline/changes.js';
import { taskDraft } from '../src/store/timeline/diff.js';
import { eventDraft } from '../src/store/timeline/engine-events.js';
import type { EntryDraft } from '../src/store/timeline/entry.js';
import { DEFAULT_TIMELINE_CAPACITY, Timeline } from '../src/store/timeline/timeline.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

function heapMb(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

const NODES = 40;
const nodes = Array.from({ length: NODES }, (_, i) => ({ id: `n${i}`.padEnd(25, 'x'), hostname: `lab-node${i}` }));
/** Just what the draft functions read of a ClusterState: node names and service names. */
const state = {
  nodes: new Map(nodes.map((n) => [n.id, n])),
  services: new Map([['k8a9knkbvgn6iohf04bwtmu9j', { name: 'web-frontend' }], ['p3a67v82dz993f72jvt6f4f5h', { name: 'api' }]]),
} as unknown as ClusterState;

function task(i: number, serviceId: string, state: TaskModel['state'], exitCode: number | null, err: string): TaskModel {
  return {
    id: `${(i * 2654435761).toString(36)}${i.toString(36)}q7m2k9p1z4w8`.slice(0, 25), version: 1, createdAt: 0, updatedAt: 0, serviceId, slot: (i % 300) + 1,
    nodeId: nodes[i % NODES]!.id, desiredState: 'shutdown', state, stateSince: 1_800_000_000_000 + i * 137, message: 'started', err, image: 'web:1', containerId: null, exitCode,
  };
}

/** Drafts made by the recorder's own functions, from engine-shaped data: what the console would keep. */
function draft(i: number): EntryDraft {
  switch (i % 5) {
    case 0:
    case 1: {
      const code = i % 7;
      const t = task(i, 'k8a9knkbvgn6iohf04bwtmu9j', 'failed', code, `task: non-zero exit (${code})`);
      return taskDraft(state, t, { ...t, state: 'running' }, 0)!;
    }
    case 2: {
      const t = task(i, 'p3a67v82dz993f72jvt6f4f5h', 'running', null, '');
      return taskDraft(state, t, { ...t, state: 'starting' }, 0)!;
    }
    case 3:
      return freshDraft(eventDraft({ kind: 'service', action: 'update', id: 'k8a9knkbvgn6iohf04bwtmu9j', name: 'web-frontend', attributes: { name: 'web-frontend', 'image.old': 'registry.example.com/web:1.4.2', 'image.new': 'registry.example.com/web:1.4.3' }, at: 1_800_000_000_000 + i, since: `${i}.1` }, 'web-frontend', true)!, () => false)!;
    default: {
      const n = nodes[i % NODES]!;
      return freshDraft(eventDraft({ kind: 'node', action: 'update', id: n.id, name: n.hostname, attributes: { name: n.hostname, 'availability.old': 'active', 'availability.new': 'drain' }, at: 1_800_000_000_000 + i, since: `${i}.2` }, n.hostname, true)!, () => false)!;
    }
  }
}

const capacity = Number(process.argv[2] ?? DEFAULT_TIMELINE_CAPACITY);
const before = heapMb();
const timeline = new Timeline(capacity);
// Twice the capacity, in batches as the recorder adds them: the ring is full and has dropped as many.
for (let i = 0; i < capacity * 2; i += 100) timeline.add(Array.from({ length: 100 }, (_, k) => draft(i + k)));
const full = heapMb();
let keys = 0;
for (const e of timeline.entries()) keys += e.search.length > 0 ? 1 : 0;
const searched = heapMb();
process.stdout.write(`${JSON.stringify({
  entries: timeline.entries().length, dropped: timeline.dropped, keys,
  mb: full - before, bytesPerEntry: ((full - before) * 2 ** 20) / capacity, mbWithSearch: searched - before,
})}\n`);
