import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../src/docker/api/events.js';
import { list, parseConfig, parseEngine, parseNetwork, parseNode, parseSecret, parseService, parseSwarm, parseTask } from '../../src/docker/parse/index.js';
import { reduce } from '../../src/store/reducer.js';
import { emptyState, type ClusterState } from '../../src/store/state.js';
import { renderApp } from './ui-support.js';
import { rng } from '../fixtures/rng.js';

/**
 * Malformed API payloads, as the engine (or something pretending to be it) could send them, all the
 * way to the screen: the event parser, the object parsers, the reducer and every pane of the real App.
 * Nothing may throw: a throw in the event stream or a render is a crashed console mid-incident.
 */
const payloads = JSON.parse(readFileSync(new URL('./fixtures/live-engine-payloads.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** Values JSON can carry that parsers trip on: 1e400 parses to Infinity, huge and negative numbers, odd text. */
const NASTY_JSON = ['1e400', '-1e400', '1e300', '-1', '0', '1.5', '9007199254740993', '""', '"\\u0000\\u001b[2J"', '"💥"', 'null', 'true', '[]', '{}', '"2026-13-45T99:99:99Z"', `"${'x'.repeat(5000)}"`];

/** A JSON text of `v` with random leaves replaced by nasty literals (so Infinity really comes from JSON.parse). */
function nastyText(v: unknown, r: () => number, rate: number): string {
  const pick = (): string => NASTY_JSON[Math.floor(r() * NASTY_JSON.length)]!;
  if (r() < rate) return pick();
  if (Array.isArray(v)) return `[${v.map((x) => nastyText(x, r, rate)).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).filter(() => r() >= rate / 3);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${nastyText(x, r, rate)}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
const nasty = (v: unknown, r: () => number, rate: number): unknown => JSON.parse(nastyText(v, r, rate));

const EVENT: unknown = JSON.parse('{"Type":"service","Action":"update","Actor":{"ID":"svc1","Attributes":{"name":"web","updatestate.new":"updating"}},"scope":"swarm","time":1763900000,"timeNano":1763900000123456789}');

function stateFrom(r: () => number, rate: number): ClusterState {
  const m = (k: string): unknown => nasty(payloads[k], r, rate);
  let state = reduce(emptyState(), {
    type: 'snapshot', at: 1000,
    snapshot: {
      engine: parseEngine(m('info'), m('version')), swarm: parseSwarm(m('swarm')),
      nodes: list(m('nodes'), parseNode), services: list(m('svcs'), parseService), tasks: list(m('tasks'), parseTask),
      secrets: list(m('secrets'), parseSecret), configs: list(m('configs'), parseConfig), networks: list(m('networks'), parseNetwork),
    },
  });
  for (const svc of state.services.values()) state = reduce(state, { type: 'serviceTasks', serviceId: svc.id, tasks: list(m('tasks'), parseTask) });
  return state;
}

describe('fuzz: malformed payloads never crash anything, from the event stream to the screen', () => {
  it('the event parser: 4000 malformed events (Infinity/huge/negative times, wrong types) never throw', () => {
    const r = rng(7);
    let parsed = 0;
    const crashes: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const text = nastyText(EVENT, r, r() * 0.5);
      try {
        const event = parseEvent(JSON.parse(text), /"timeNano":\s*(\d{10,})/.exec(text)?.[1]);
        if (event) {
          parsed++;
          expect(Number.isFinite(event.at)).toBe(true);
          expect(event.since).toMatch(/^(\d+(\.\d+)?)?$/);
        }
      } catch (e) {
        crashes.push(`${text.slice(0, 200)}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    expect(crashes.slice(0, 5)).toEqual([]);
    expect(parsed).toBeGreaterThan(500);
  });

  it('timeNano that JSON turns into Infinity (1e400) is ignored, not a RangeError', () => {
    const event = parseEvent(JSON.parse('{"Type":"node","Action":"update","Actor":{"ID":"n1"},"time":5,"timeNano":1e400}'));
    expect(event).toMatchObject({ kind: 'node', id: 'n1', since: '5' });
  });

  it('the real App renders 20 states built from malformed payloads on every pane (0 crashes)', { timeout: 180_000 }, async () => {
    const r = rng(2026);
    let rows = 0;
    for (let i = 0; i < 20; i++) {
      const state = stateFrom(r, 0.05 + r() * 0.3);
      rows += state.nodes.size + state.services.size;
      const app = renderApp(state, { width: 60 + Math.floor(r() * 100), height: 8 + Math.floor(r() * 30) });
      try {
        for (const key of ['1', '2', '3', '4', '5', '6', '7', '8', 'O', 'o']) {
          await app.press(key);
          const frame = app.frame();
          expect(frame, `seed state ${i}, key ${key}`).toContain('swarmtop');
          expect(frame).not.toMatch(/ERROR| {4}at /);
        }
      } finally {
        app.unmount();
      }
    }
    expect(rows).toBeGreaterThan(20);
  });
});
