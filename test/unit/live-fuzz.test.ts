import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  list, parseConfig, parseEngine, parseNetwork, parseNode, parseSecret, parseService, parseSwarm, parseTask,
} from '../../src/docker/parse/index.js';
import { reduce, type ClusterMessage } from '../../src/store/reducer.js';
import { emptyState, type ClusterState } from '../../src/store/state.js';
import { selectHealth } from '../../src/store/selectors/health.js';
import { selectStacks } from '../../src/store/selectors/stacks.js';
import { selectTasksByNode } from '../../src/store/selectors/tasks.js';
import { selectUsedBy } from '../../src/store/selectors/used-by.js';
import { replicaText } from '../../src/store/selectors/replicas.js';
import { rng } from '../fixtures/rng.js';

const payloads = JSON.parse(readFileSync(new URL('./fixtures/live-engine-payloads.json', import.meta.url), 'utf8')) as Record<string, unknown>;

function junk(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 12);
  switch (pick) {
    case 0: return null;
    case 1: return undefined;
    case 2: return r() * 1e6 - 5e5;
    case 3: return NaN;
    case 4: return 'x'.repeat(Math.floor(r() * 5));
    case 5: return r() < 0.5;
    case 6: return depth > 2 ? [] : [junk(r, depth + 1), junk(r, depth + 1)];
    case 7: return depth > 2 ? {} : { ID: junk(r, depth + 1), State: junk(r, depth + 1), Spec: junk(r, depth + 1) };
    case 8: return '2026-13-45T99:99:99Z';
    case 9: return Infinity;
    case 10: return { __proto__: null, Labels: { a: 1 } };
    default: return 'running';
  }
}

/** Replaces, deletes or re-types random values at random depths of a copy of `v`. */
function mutate(v: unknown, r: () => number, rate: number): unknown {
  if (r() < rate) return junk(r);
  if (Array.isArray(v)) return v.map((x) => mutate(x, r, rate));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (r() < rate / 2) continue;
      out[k] = mutate(x, r, rate);
    }
    return out;
  }
  return v;
}

const KINDS = ['node', 'service', 'secret', 'config', 'network'] as const;

function randomMessage(r: () => number, state: ClusterState): ClusterMessage {
  const m = (k: string) => mutate(payloads[k], r, r() * 0.3);
  const first = <T>(xs: T[]): T | undefined => xs[Math.floor(r() * xs.length)];
  const someId = (): string => first([...state.services.keys(), ...state.nodes.keys(), 'zz']) ?? 'zz';
  switch (Math.floor(r() * 10)) {
    case 0:
      return {
        type: 'snapshot', at: Math.floor(r() * 100),
        snapshot: {
          engine: r() < 0.5 ? parseEngine(m('info'), m('version')) : null, swarm: parseSwarm(m('swarm')),
          nodes: list(m('nodes'), parseNode), services: list(m('svcs'), parseService), tasks: list(m('tasks'), parseTask),
          secrets: list(m('secrets'), parseSecret), configs: list(m('configs'), parseConfig), networks: list(m('networks'), parseNetwork),
        },
      };
    case 1: {
      const item = first(list(m('nodes'), parseNode));
      return item ? { type: 'upsert', kind: 'node', item } : { type: 'batch', messages: [] };
    }
    case 2: {
      const item = first(list(m('svcs'), parseService));
      return item ? { type: 'upsert', kind: 'service', item } : { type: 'remove', kind: 'service', id: someId() };
    }
    case 3: return { type: 'remove', kind: KINDS[Math.floor(r() * KINDS.length)] ?? 'node', id: someId() };
    case 4: return { type: 'serviceTasks', serviceId: someId(), tasks: list(m('tasks'), parseTask) };
    case 5: return { type: 'nodeTasks', nodeId: someId(), tasks: list(m('tasks'), parseTask) };
    case 6: return { type: 'connection', patch: { status: r() < 0.5 ? 'live' : 'reconnecting', staleSince: r() < 0.5 ? null : 3 } };
    case 7: return { type: 'swarm', swarm: parseSwarm(m('swarm')) };
    case 8: {
      const net = first(list(m('networks'), parseNetwork));
      const sec = first(list(m('secrets'), parseSecret));
      const cfg = first(list(m('configs'), parseConfig));
      const msgs: ClusterMessage[] = [];
      if (net) msgs.push({ type: 'upsert', kind: 'network', item: net });
      if (sec) msgs.push({ type: 'upsert', kind: 'secret', item: sec });
      if (cfg) msgs.push({ type: 'upsert', kind: 'config', item: cfg });
      return { type: 'batch', messages: msgs };
    }
    default: return { type: 'batch', messages: [randomMessage(r, state), randomMessage(r, state)] };
  }
}

describe('fuzz: parsers and reducer never throw', () => {
  it('parses 5000 mutated and random payloads of every kind without an exception', () => {
    const r = rng(1234);
    const parsers: ((v: unknown) => object | null)[] = [parseNode, parseService, parseTask, parseSecret, parseConfig, parseNetwork, parseSwarm];
    const sources = ['nodes', 'svcs', 'tasks', 'secrets', 'configs', 'networks'];
    let parsed = 0;
    for (let i = 0; i < 5000; i++) {
      const src = payloads[sources[i % sources.length] ?? 'nodes'];
      const mutated = r() < 0.1 ? junk(r) : mutate(src, r, r() * 0.4);
      const items = Array.isArray(mutated) ? mutated : [mutated];
      for (const parse of parsers) {
        for (const item of items) if (parse(item) !== null) parsed++;
        list<object>(mutated, parse);
      }
      parseSwarm(mutate(payloads['swarm'], r, 0.2));
      parseEngine(mutate(payloads['info'], r, 0.2), mutate(payloads['version'], r, 0.2));
    }
    expect(parsed).toBeGreaterThan(1000);
  });

  it('runs 3000 random messages through the reducer and selectors, keeping invariants', () => {
    const r = rng(99);
    let state = emptyState();
    for (let i = 0; i < 3000; i++) {
      const msg = randomMessage(r, state);
      const next = reduce(state, msg);
      expect(next.revision === state.revision ? next === state : next.revision === state.revision + 1).toBe(true);
      state = next;
      for (const [serviceId, tasks] of state.tasksByService) {
        expect(tasks.size).toBeGreaterThan(0);
        for (const t of tasks.values()) expect(t.serviceId).toBe(serviceId);
      }
      selectHealth(state);
      selectStacks(state);
      selectTasksByNode(state);
      selectUsedBy(state);
      for (const s of state.services.values()) replicaText(s);
    }
    expect(state.revision).toBeGreaterThan(100);
  });
});
