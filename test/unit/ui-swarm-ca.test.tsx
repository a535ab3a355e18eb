import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { clusterState, makeManager, makeNode, makeSwarm } from '../fixtures/cluster.js';
import { renderApp, tick } from './ui-support.js';

afterEach(() => cleanup());

describe('swarm pane: CA rotation', () => {
  it('shows the rotation per node, the nodes still waiting first', async () => {
    const state = clusterState({
      swarm: makeSwarm({ rootRotationInProgress: true, certIssuerSubject: 'new-ca', certIssuerPublicKey: 'new-pk' }),
      nodes: [
        makeManager('m1', true, { hostname: 'lab-m1', tlsIssuerSubject: 'new-ca', tlsIssuerPublicKey: 'new-pk' }),
        makeNode({ id: 'w1', hostname: 'lab-w1', tlsIssuerSubject: 'old-ca', tlsIssuerPublicKey: 'old-pk' }),
        makeNode({ id: 'w2', hostname: 'lab-w2', state: 'down', tlsIssuerSubject: 'old-ca', tlsIssuerPublicKey: 'old-pk' }),
      ],
    });
    const app = renderApp(state, { height: 40 });
    await tick();
    await app.press('8');
    const f = app.frame();
    expect(f).toMatch(/CA rotation\s+IN PROGRESS \[#+\.+\] 1\/3 nodes on the new CA/);
    const lines = f.split('\n');
    const at = (host: string): number => lines.findIndex((l) => l.trimStart().startsWith(host));
    expect(lines[at('lab-w1')]).toContain('· waiting for a certificate from the current CA');
    expect(lines[at('lab-w2')]).toContain('(down: renews when it is back)');
    expect(lines[at('lab-m1')]).toContain('✓ certificate from the current CA');
    expect(at('lab-w1')).toBeLessThan(at('lab-m1'));
  });
});
