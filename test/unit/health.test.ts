import { describe, expect, it } from 'vitest';
import { faultToleranceOf, quorumOf, selectHealth } from '../../src/store/selectors/health.js';
import { emptyState } from '../../src/store/state.js';
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
