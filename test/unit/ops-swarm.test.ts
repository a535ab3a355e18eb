import { describe, expect, it } from 'vitest';
import { selectCaRotation } from '../../src/store/selectors/ca-rotation.js';
import {
  revealManagerJoin, revealWorkerJoin, rotateCA, rotateManagerToken, rotateUnlockKey, rotateWorkerToken, SWARM_ACTIONS,
} from '../../src/actions/swarm.js';
import type { ActionTarget } from '../../src/actions/types.js';
import { clusterState, makeManager, makeNode, makeSwarm, sampleCluster } from '../fixtures/cluster.js';

const swarm: ActionTarget = { kind: 'swarm', id: '', version: 1 };

describe('swarm actions', () => {
  it('need a swarm', () => {
    const none = clusterState({ swarm: null });
    for (const a of SWARM_ACTIONS) expect(a.available(none, swarm)).toMatch(/not connected to a swarm manager/);
  });
  it('token rotation says the old token stops working and joined nodes are safe', () => {
    const w = rotateWorkerToken.impact(sampleCluster(), swarm, null).join('\n');
    expect(w).toMatch(/current worker join token stops working/);
    expect(w).toMatch(/already joined are not affected/);
    expect(w).toMatch(/W reveals it/);
    expect(rotateManagerToken.impact(sampleCluster(), swarm, null).join('\n')).toMatch(/M reveals it/);
    expect([rotateWorkerToken.key, rotateManagerToken.key, revealWorkerJoin.key, revealManagerJoin.key]).toEqual(['t', 'T', 'W', 'M']);
  });
  it('revealing the worker join command changes nothing (allowed in read-only); the manager one is mutating-grade', () => {
    expect(revealWorkerJoin.mutating).toBe(false);
    expect(revealManagerJoin.mutating).toBe(true);
    expect(revealWorkerJoin.available(sampleCluster(), swarm)).toBe(true);
  });
  it('unlock key rotation only with autolock', () => {
    expect(rotateUnlockKey.available(sampleCluster(), swarm)).toMatch(/autolock is off/);
    const locked = clusterState({ swarm: makeSwarm({ autolockManagers: true }) });
    expect(rotateUnlockKey.available(locked, swarm)).toBe(true);
    expect(rotateUnlockKey.impact(locked, swarm, null).join('\n')).toMatch(/Store it/);
  });
  it('CA rotation: not twice at once; impact counts the nodes', () => {
    expect(rotateCA.available(sampleCluster(), swarm)).toBe(true);
    const rotating = clusterState({ swarm: makeSwarm({ rootRotationInProgress: true }) });
    expect(rotateCA.available(rotating, swarm)).toMatch(/already in progress/);
    expect(rotateCA.impact(sampleCluster(), swarm, null).join('\n')).toMatch(/4 nodes must renew/);
  });
});

describe('selectCaRotation', () => {
  it('compares each node certificate issuer with the swarm issuer', () => {
    const state = clusterState({
      swarm: makeSwarm({ rootRotationInProgress: true, certIssuerSubject: 'new-ca', certIssuerPublicKey: 'new-pk' }),
      nodes: [
        makeManager('m1', true, { hostname: 'lab-m1', tlsIssuerSubject: 'new-ca', tlsIssuerPublicKey: 'new-pk' }),
        makeNode({ id: 'w1', hostname: 'lab-w1', tlsIssuerSubject: 'old-ca', tlsIssuerPublicKey: 'old-pk' }),
        makeNode({ id: 'w2', hostname: 'lab-w2', state: 'down', tlsIssuerSubject: 'new-ca', tlsIssuerPublicKey: 'old-pk' }),
      ],
    });
    const p = selectCaRotation(state);
    expect(p).toMatchObject({ inProgress: true, total: 3, rotated: 1, complete: false });
    // Not rotated first, so the nodes to look at lead.
    expect(p.nodes.map((n) => [n.hostname, n.rotated])).toEqual([['lab-w1', false], ['lab-w2', false], ['lab-m1', true]]);
  });
  it('is complete when every node rotated and the swarm no longer rotates', () => {
    expect(selectCaRotation(sampleCluster())).toMatchObject({ inProgress: false, rotated: 4, total: 4, complete: true });
    const waiting = clusterState({ swarm: makeSwarm({ rootRotationInProgress: true }), nodes: [makeNode({ id: 'w1' })] });
    expect(selectCaRotation(waiting).complete).toBe(false);
  });
});
