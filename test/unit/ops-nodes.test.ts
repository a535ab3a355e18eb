import { describe, expect, it } from 'vitest';
import {
  activateNode, demoteNode, demotionLosesQuorum, drainNode, editNodeLabels, pauseNode, promoteNode, removeDownNode,
} from '../../src/actions/nodes.js';
import { describeLabelEdit, formatLabels, parseLabelEdit } from '../../src/actions/labels.js';
import type { ActionTarget } from '../../src/actions/types.js';
import { clusterState, makeManager, makeNode, makeService, makeTask, sampleCluster } from '../fixtures/cluster.js';

const node = (id: string, version = 1): ActionTarget => ({ kind: 'node', id, name: id, version });

describe('promote', () => {
  const state = sampleCluster();
  it('is available for a ready worker only', () => {
    expect(promoteNode.available(state, node('w1'))).toBe(true);
    expect(promoteNode.available(state, node('m2'))).toMatch(/already a manager/);
    const down = clusterState({ nodes: [makeManager('m1', true), makeNode({ id: 'w1', state: 'down' })] });
    expect(promoteNode.available(down, node('w1'))).toMatch(/down/);
    expect(promoteNode.available(state, node('gone'))).toMatch(/no longer/);
  });
  it('shows managers, quorum and fault tolerance after, and warns about an even count', () => {
    const lines = promoteNode.impact(state, node('w1'), null);
    expect(lines).toContain('managers 3 → 4 (reachable 4), quorum 2 → 3, fault tolerance 1 → 1');
    expect(lines.join('\n')).toMatch(/odd number/);
  });
});

describe('demote', () => {
  it('is available for managers only', () => {
    const state = sampleCluster();
    expect(demoteNode.available(state, node('m2'))).toBe(true);
    expect(demoteNode.available(state, node('w1'))).toMatch(/not a manager/);
  });
  it('3 → 2 managers: fault tolerance drops to 0, quorum kept, one confirmation', () => {
    const state = sampleCluster();
    const lines = demoteNode.impact(state, node('m2'), null);
    expect(lines).toContain('managers 3 → 2 (reachable 2), quorum 2 → 2, fault tolerance 1 → 0');
    expect(lines.join('\n')).toMatch(/no manager may fail/);
    expect(demoteNode.confirmTwice?.(state, node('m2'), null)).toBe(false);
  });
  it('mentions a new leader election when demoting the leader', () => {
    expect(demoteNode.impact(sampleCluster(), node('m1'), null).join('\n')).toMatch(/leader: the managers elect a new one/);
  });
  it('losing quorum asks twice: 3 managers with one unreachable, demote a reachable one', () => {
    const state = clusterState({
      nodes: [makeManager('m1', true), makeManager('m2'), makeManager('m3', false, { manager: { leader: false, reachability: 'unreachable', addr: '' } })],
    });
    expect(demotionLosesQuorum(state, node('m2'))).toBe(true);
    expect(demoteNode.confirmTwice?.(state, node('m2'), null)).toBe(true);
    expect(demoteNode.impact(state, node('m2'), null).join('\n')).toMatch(/QUORUM LOST: 1 reachable of 2 managers, 2 needed/);
    // The tolerance is what the swarm has now (the unreachable manager is lost already), not the nominal 1.
    expect(demoteNode.impact(state, node('m2'), null)).toContain('managers 3 → 2 (reachable 1), quorum 2 → 2, fault tolerance 0 → 0 (now: 1 unreachable manager already lost)');
    expect(demoteNode.impact(state, node('m3'), null)).toContain('managers 3 → 2 (reachable 2), quorum 2 → 2, fault tolerance 0 → 0 (now: 1 unreachable manager already lost)');
    expect(promoteNode.impact(clusterState({ nodes: [...state.nodes.values(), makeNode({ id: 'w1' })] }), node('w1'), null))
      .toContain('managers 3 → 4 (reachable 3), quorum 2 → 3, fault tolerance 0 → 0 (now: 1 unreachable manager already lost)');
    // Demoting the unreachable one instead keeps quorum (2 of 2 reachable).
    expect(demoteNode.confirmTwice?.(state, node('m3'), null)).toBe(false);
  });
  it('warns when demoting the manager swarmtop is connected to', () => {
    const state = sampleCluster();
    const engine = {
      name: 'm2', serverVersion: '20.10.24', apiVersion: '1.41', nodeId: 'm2', nodeAddr: '10.99.0.2', localNodeState: 'active',
      controlAvailable: true, managers: 3, nodes: 4, swarmError: '',
    };
    expect(demoteNode.impact({ ...state, engine }, node('m2'), null).join('\n')).toMatch(/connected to this manager/);
    expect(demoteNode.impact({ ...state, engine }, node('m3'), null).join('\n')).not.toMatch(/connected to this manager/);
  });
  it('the last manager asks twice', () => {
    const state = clusterState({ nodes: [makeManager('m1', true), makeNode({ id: 'w1' })] });
    expect(demoteNode.confirmTwice?.(state, node('m1'), null)).toBe(true);
    expect(demoteNode.impact(state, node('m1'), null).join('\n')).toMatch(/last manager/);
  });
});

describe('drain / pause / activate', () => {
  it('drain lists the tasks that move and the global tasks that stop', () => {
    const state = sampleCluster();
    expect(drainNode.available(state, node('w1'))).toBe(true);
    const lines = drainNode.impact(state, node('w1'), null);
    expect(lines).toContain('1 task moves to other nodes: web.2');
    expect(lines).toContain('1 global task stops (not replaced): agent');
  });
  it('drain warns when no other node can take the tasks', () => {
    const state = clusterState({
      nodes: [makeManager('m1', true, { availability: 'drain' }), makeNode({ id: 'w1' })],
      services: [makeService({ id: 'web' })],
      tasks: [makeTask({ id: 't1', serviceId: 'web', nodeId: 'w1' })],
    });
    expect(drainNode.impact(state, node('w1'), null).join('\n')).toMatch(/stay pending/);
  });
  it('drain of an idle node says nothing moves; shut-down tasks are not counted', () => {
    const state = clusterState({
      nodes: [makeManager('m1', true), makeNode({ id: 'w1' })],
      services: [makeService({ id: 'web' })],
      tasks: [makeTask({ id: 'old', serviceId: 'web', nodeId: 'w1', desiredState: 'shutdown', state: 'shutdown' })],
    });
    expect(drainNode.impact(state, node('w1'), null)).toContain('No task runs there: nothing moves.');
  });
  it('each is unavailable when the node already has that availability', () => {
    const drained = clusterState({ nodes: [makeNode({ id: 'w1', availability: 'drain' })] });
    expect(drainNode.available(drained, node('w1'))).toMatch(/already drain/);
    expect(activateNode.available(drained, node('w1'))).toBe(true);
    expect(activateNode.available(sampleCluster(), node('w1'))).toMatch(/already active/);
    expect(pauseNode.available(sampleCluster(), node('w1'))).toBe(true);
  });
  it('pause keeps tasks running; activate explains there is no rebalancing', () => {
    expect(pauseNode.impact(sampleCluster(), node('w1'), null)[0]).toMatch(/its 2 tasks keep running \(nothing moves\)/);
    expect(activateNode.impact(sampleCluster(), node('w1'), null).join('\n')).toMatch(/not rebalanced/);
  });
  it('drain is dangerous, pause and activate are not', () => {
    expect([drainNode.dangerous, pauseNode.dangerous, activateNode.dangerous]).toEqual([true, false, false]);
  });
});

describe('labels', () => {
  it('parses k=v,k2=v2,-k3', () => {
    expect(parseLabelEdit('zone=a, tier=web,-old')).toEqual({ set: { zone: 'a', tier: 'web' }, remove: ['old'] });
    expect(parseLabelEdit('flag')).toEqual({ set: { flag: '' }, remove: [] });
    expect(parseLabelEdit('url=http://x?a=b')).toEqual({ set: { url: 'http://x?a=b' }, remove: [] });
    expect(parseLabelEdit('')).toEqual({ set: {}, remove: [] });
  });
  it('rejects malformed items', () => {
    expect(parseLabelEdit('=v')).toMatch(/cannot be empty/);
    expect(parseLabelEdit('a b=c')).toMatch(/spaces/);
    expect(parseLabelEdit('-')).toMatch(/-key/);
    expect(parseLabelEdit('a=1,a=2')).toMatch(/twice/);
    expect(parseLabelEdit('a=1,-a')).toMatch(/both set and removed/);
  });
  it('starts from the current labels and describes only changes', () => {
    const state = clusterState({ nodes: [makeNode({ id: 'w1', labels: { zone: 'a', tier: 'web' } })] });
    expect(editNodeLabels.input?.initial(state, node('w1'))).toBe('tier=web,zone=a');
    expect(editNodeLabels.impact(state, node('w1'), 'tier=web,zone=a')).toEqual(['No label changes.']);
    expect(editNodeLabels.impact(state, node('w1'), 'zone=b,ssd=1,-tier')).toEqual([
      'Labels of w1:', '~ zone: a → b', '+ ssd=1', '- tier', 'Services constrained on these labels may move.',
    ]);
    expect(editNodeLabels.input?.validate('a=1,a=2', state, node('w1'))).toMatch(/twice/);
    expect(editNodeLabels.input?.validate('a=1', state, node('w1'))).toBeNull();
  });
  it('formats and describes', () => {
    expect(formatLabels({ b: '2', a: '', c: 'x' })).toBe('a,b=2,c=x');
    expect(describeLabelEdit({}, { set: {}, remove: ['nope'] })).toEqual(['(nope is not set: nothing to remove)']);
  });
});

describe('remove a down node', () => {
  it('is offered only for a down worker', () => {
    const state = clusterState({
      nodes: [makeManager('m1', true), makeNode({ id: 'w1', state: 'down' }), makeNode({ id: 'w2' }), makeManager('m2', false, { state: 'down' })],
    });
    expect(removeDownNode.available(state, node('w1'))).toBe(true);
    expect(removeDownNode.available(state, node('w2'))).toMatch(/only a down node/);
    expect(removeDownNode.available(state, node('m2'))).toMatch(/demote it first/);
    expect(removeDownNode.dangerous).toBe(true);
    expect(removeDownNode.impact(state, node('w1'), null).join('\n')).toMatch(/leave and join again/);
  });
});
