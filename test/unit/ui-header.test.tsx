import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { Header, headerHeight } from '../../src/ui/components/Header.js';
import type { ClusterState } from '../../src/store/state.js';
import { loadTheme } from '../../src/ui/theme.js';
import { clusterState, makeManager, makeNode } from '../fixtures/cluster.js';

afterEach(() => cleanup());

const theme = loadTheme('no-color');
const unreachable = (id: string) => makeManager(id, false, { state: 'down', manager: { leader: false, reachability: 'unreachable', addr: '' } });

function header(state: ClusterState, width = 200): string {
  return render(<Header state={state} theme={theme} width={width} readOnly={false} now={0} />).lastFrame() ?? '';
}

describe('the header says what the swarm tolerates now', () => {
  it('every manager up: the nominal figure', () => {
    const state = clusterState({ nodes: [makeManager('m1', true), makeManager('m2'), makeManager('m3'), makeNode({ id: 'w1' })] });
    expect(header(state)).toContain('managers 3/3 (quorum 2, tolerates 1 loss)');
    expect(headerHeight(state)).toBe(2);
  });

  it('one of three unreachable: 0 more, one more loss stops the swarm (not "tolerates 1 loss")', () => {
    const state = clusterState({ nodes: [makeManager('m1', true), makeManager('m2'), unreachable('m3')] });
    const f = header(state);
    expect(f).toContain('managers 2/3 (quorum 2, tolerates 0 more: one more manager loss stops the swarm)');
    expect(f).not.toContain('tolerates 1 loss');
  });

  it('one of five unreachable: 1 more', () => {
    const state = clusterState({ nodes: [makeManager('m1', true), makeManager('m2'), makeManager('m3'), makeManager('m4'), unreachable('m5')] });
    expect(header(state)).toContain('managers 4/5 (quorum 3, tolerates 1 more loss)');
  });

  it('an operator on a 120-column terminal sees the way back whole', () => {
    const base = clusterState({ nodes: [makeManager('m1', true), unreachable('m2'), unreachable('m3')] });
    expect(header(base, 120).split('\n')[2]).toContain('docker swarm init --force-new-cluster');
    const noLeader = { ...base, connection: { ...base.connection, error: 'The swarm does not have a leader.' } };
    expect(header(noLeader, 120).split('\n')[2]).toContain('docker swarm init --force-new-cluster');
  });

  it('quorum lost: NO QUORUM and the way back on a line of its own', () => {
    const state = clusterState({ nodes: [makeManager('m1', true), unreachable('m2'), unreachable('m3')] });
    const lines = header(state).split('\n');
    expect(lines[1]).toContain('managers 1/3 (quorum 2) NO QUORUM');
    expect(lines[2]).toContain('NO QUORUM (1/3 reachable, 2 needed): bring managers back; if lost for good: docker swarm init --force-new-cluster on a surviving manager');
    expect(headerHeight(state)).toBe(3);
  });

  it('the engine says there is no leader (reads fail, the last managers seen were 2/3): NO QUORUM too', () => {
    const base = clusterState({ nodes: [makeManager('m1', true), makeManager('m2'), unreachable('m3')] });
    const error = "unix:///m1.sock: rpc error: code = Unknown desc = The swarm does not have a leader. It's possible that too few managers are online.";
    const state = { ...base, connection: { ...base.connection, error, staleSince: 1 } };
    const f = header(state);
    expect(f).toContain('NO QUORUM (the swarm has no leader): bring managers back');
    expect(f).toContain('--force-new-cluster');
    expect(headerHeight(state)).toBe(4);
    expect(f.split('\n')).toHaveLength(4);
  });
});
