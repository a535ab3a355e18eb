import { describe, expect, it } from 'vitest';
import { ACTIONS, actionByCommand, actionByKey, actionsFor } from '../../src/actions/registry.js';
import { attempt } from '../../src/actions/outcome.js';
import type { ActionTarget } from '../../src/actions/types.js';
import { DockerApiError } from '../../src/docker/errors.js';
import { sampleCluster } from '../fixtures/cluster.js';

describe('the action registry', () => {
  it('follows the decided keymap', () => {
    const keys = (kind: 'node' | 'service' | 'swarm' | 'stack'): string[] => actionsFor(kind).map((a) => a.key);
    expect(keys('node')).toEqual(['+', '-', 'd', 'p', 'a', 'e', 'X']);
    expect(keys('service')).toEqual(['s', 'F', 'R', 'U', 'X', 'i', 'e', 'p', 'C', 'M', 'u', 'b', 't', 'L', 'E', 'n']);
    expect(keys('swarm')).toEqual(['t', 'T', 'W', 'M', 'K', 'C', 'D']);
    expect(keys('stack')).toEqual(['X']);
  });
  it('has unique ids, unique commands and unique keys per pane', () => {
    expect(new Set(ACTIONS.map((a) => a.id)).size).toBe(ACTIONS.length);
    expect(new Set(ACTIONS.map((a) => a.command)).size).toBe(ACTIONS.length);
    for (const kind of ['node', 'service', 'swarm'] as const) {
      const keys = actionsFor(kind).map((a) => a.key);
      expect(new Set(keys).size).toBe(keys.length);
    }
    expect(actionByKey('service', 's')?.id).toBe('service.scale');
    expect(actionByCommand('scale')?.id).toBe('service.scale');
  });
  it('every action computes availability and impact from the sample cluster', () => {
    const state = sampleCluster();
    for (const a of ACTIONS) {
      const target: ActionTarget = { kind: a.targets, id: a.targets === 'node' ? 'm2' : a.targets === 'service' ? 'web' : '', version: 1 };
      const avail = a.available(state, target);
      expect(avail === true || typeof avail === 'string', a.id).toBe(true);
      const input = a.input ? a.input.initial(state, target) : null;
      expect(Array.isArray(a.impact(state, target, input)), a.id).toBe(true);
    }
  });
  it('dangerous actions are the mutating ones but pause, activate, labels, the (masked) manager join command and exec (a shell, as docker exec: refused in read-only, not confirmed)', () => {
    expect(ACTIONS.filter((a) => a.mutating && !a.dangerous).map((a) => a.id)).toEqual(['node.pause', 'node.activate', 'node.labels', 'swarm.reveal-manager-join', 'task.exec']);
    expect(ACTIONS.filter((a) => !a.mutating && a.dangerous)).toEqual([]);
  });
});

describe('attempt', () => {
  const target: ActionTarget = { kind: 'service', id: 's1', name: 'web', version: 41 };
  it('maps "update out of sequence" to stale, never retried', async () => {
    let calls = 0;
    const out = await attempt(target, () => {
      calls += 1;
      return Promise.reject(new DockerApiError('rpc error: code = Unknown desc = update out of sequence', 500, null));
    });
    expect(calls).toBe(1);
    expect(out.kind).toBe('stale');
    expect(out.message).toMatch(/service web changed since you looked \(you saw version 41\)/);
    expect(out.message).toMatch(/update out of sequence/);
  });
  it('keeps other API errors in full, with the status', async () => {
    const msg = 'rpc error: code = FailedPrecondition desc = node is not down and can\'t be removed';
    const out = await attempt(target, () => Promise.reject(new DockerApiError(msg, 400, null)));
    expect(out).toEqual({ kind: 'failed', message: `service web: ${msg} (HTTP 400)` });
    const down = await attempt(target, () => Promise.reject(new DockerApiError('connect ECONNREFUSED', null, 'ECONNREFUSED')));
    expect(down.message).toBe('service web: connect ECONNREFUSED (ECONNREFUSED)');
  });
  it('a string result is a done outcome', async () => {
    expect(await attempt(target, () => Promise.resolve('scaled'))).toEqual({ kind: 'done', message: 'scaled' });
  });
});
