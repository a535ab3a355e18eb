import { describe, expect, it } from 'vitest';
import {
  engineReportsNoLeader, faultToleranceOf, quorumOf, selectHealth, selectTolerance, toleranceStatus, toleratesNowOf,
} from '../../src/store/selectors/health.js';
import { emptyConnection, emptyState } from '../../src/store/state.js';
import type { NodeModel } from '../../src/store/model.js';

function node(id: string, manager: NodeModel['manager'], state: NodeModel['state'] = 'ready'): NodeModel {
  return {
    id, version: 1, createdAt: 0, updatedAt: 0, hostname: id, role: manager ? 'manager' : 'worker',
    availability: 'active', state, stateMessage: '', addr: '', manager, engineVersion: '', os: 'linux',
    arch: 'x86_64', nanoCpus: 0, memoryBytes: 0, labels: {}, engineLabels: {}, tlsIssuerSubject: '', tlsIssuerPublicKey: '',
  };
}

describe('quorum arithmetic', () => {
  it.each([
    [1, 1, 0],
    [2, 2, 0],
    [3, 2, 1],
    [4, 3, 1],
    [5, 3, 2],
    [7, 4, 3],
  ])('%i managers: quorum %i, tolerates %i', (n, q, ft) => {
    expect(quorumOf(n)).toBe(q);
    expect(faultToleranceOf(n)).toBe(ft);
  });
});

describe('selectHealth', () => {
  it('finds the leader and counts reachable managers and ready nodes', () => {
    const nodes = new Map([
      ['a', node('a', { leader: true, reachability: 'reachable', addr: '' })],
      ['b', node('b', { leader: false, reachability: 'reachable', addr: '' })],
      ['c', node('c', { leader: false, reachability: 'unreachable', addr: '' }, 'down')],
      ['w', node('w', null)],
    ]);
    const h = selectHealth({ ...emptyState(), nodes });
    expect(h.managers.leader?.id).toBe('a');
    expect(h.managers).toMatchObject({ total: 3, reachable: 2, quorum: 2, faultTolerance: 1, hasQuorum: true });
    expect(h.nodesReady).toBe(3);
    expect(h.nodesTotal).toBe(4);
  });

  it('reports lost quorum', () => {
    const nodes = new Map([
      ['a', node('a', { leader: false, reachability: 'reachable', addr: '' })],
      ['b', node('b', { leader: false, reachability: 'unreachable', addr: '' })],
      ['c', node('c', { leader: false, reachability: 'unreachable', addr: '' })],
    ]);
    const h = selectHealth({ ...emptyState(), nodes });
    expect(h.managers.hasQuorum).toBe(false);
    expect(h.managers.leader).toBeNull();
  });
});

const managers = (reachable: number, unreachable: number): Map<string, NodeModel> => new Map([
  ...Array.from({ length: reachable }, (_, i) => [`r${i}`, node(`r${i}`, { leader: i === 0, reachability: 'reachable', addr: '' })] as const),
  ...Array.from({ length: unreachable }, (_, i) => [`u${i}`, node(`u${i}`, { leader: false, reachability: 'unreachable', addr: '' }, 'down')] as const),
]);

describe('fault tolerance now (what an operator acts on)', () => {
  it.each([
    [3, 3, 1], [2, 3, 0], [1, 3, 0], [5, 5, 2], [4, 5, 1], [3, 5, 0], [2, 5, 0], [1, 1, 0], [0, 0, 0], [6, 7, 2],
  ])('%i of %i managers reachable: tolerates %i more', (reachable, total, now) => {
    expect(toleratesNowOf(reachable, total)).toBe(now);
    expect(selectHealth({ ...emptyState(), nodes: managers(reachable, total - reachable) }).managers.toleratesNow).toBe(now);
  });

  it('says it in words: nominal when all are up, "more" when some are not, the last one as a warning, lost', () => {
    const words = (reachable: number, down: number) => toleranceStatus(selectHealth({ ...emptyState(), nodes: managers(reachable, down) }).managers);
    expect(words(3, 0)).toEqual({ level: 'ok', text: 'tolerates 1 loss' });
    expect(words(5, 0)).toEqual({ level: 'ok', text: 'tolerates 2 losses' });
    expect(words(4, 1)).toEqual({ level: 'ok', text: 'tolerates 1 more loss' });
    expect(words(2, 1)).toEqual({ level: 'last', text: 'tolerates 0 more: one more manager loss stops the swarm' });
    expect(words(1, 0)).toEqual({ level: 'last', text: 'tolerates 0 more: one more manager loss stops the swarm' });
    expect(words(1, 2)).toEqual({ level: 'lost', text: 'NO QUORUM (1/3 reachable, 2 needed)' });
    expect(words(0, 0)).toEqual({ level: 'none', text: '' });
  });

  it('is lost when the engine says the swarm has no leader (every read fails; the managers shown are the last seen)', () => {
    const error = "unix:///m1.sock: rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online. Make sure more than half of the managers are online.";
    expect(engineReportsNoLeader(error)).toBe(true);
    expect(engineReportsNoLeader('connect ECONNREFUSED')).toBe(false);
    expect(engineReportsNoLeader(null)).toBe(false);
    const state = { ...emptyState(), nodes: managers(2, 1), connection: { ...emptyConnection('lab', 'unix:///m1.sock'), error } };
    expect(selectTolerance(state).level).toBe('lost');
    expect(selectTolerance({ ...state, connection: { ...state.connection, error: null } }).level).toBe('last');
  });
});
