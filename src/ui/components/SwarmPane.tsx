import { Box, Text } from 'ink';
import type { ClusterState } from '../../store/state.js';
import { selectCaRotation } from '../../actions/ca-rotation.js';
import { memoLast } from '../panes/memo.js';
import { age, durationNs, shortId } from '../format.js';
import type { Theme, ThemeToken } from '../theme.js';

/** Per-node CA progress, recomputed only when the swarm or the nodes change. */
const caProgress = memoLast((swarm: ClusterState['swarm'], nodes: ClusterState['nodes']) => selectCaRotation({ swarm, nodes }));

interface Line {
  label: string;
  value: string;
  token?: ThemeToken;
}

function bar(done: number, total: number, width: number): string {
  const filled = total === 0 ? 0 : Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

export function SwarmPane({ state, theme, width, height, now, holdsSecret }: {
  state: ClusterState; theme: Theme; width: number; height: number; now: number; holdsSecret: boolean;
}) {
  const swarm = state.swarm;
  if (swarm === null) {
    return (
      <Box height={height} width={width}>
        <Text color={theme.color('warn')}>This engine is not a swarm manager (or not part of a swarm): no swarm information.</Text>
      </Box>
    );
  }
  const ca = caProgress(swarm, state.nodes);
  const lines: Line[] = [
    { label: 'Swarm ID', value: shortId(swarm.id) },
    { label: 'Created', value: `${age(swarm.createdAt, now)} ago` },
    { label: 'Worker join token', value: swarm.hasWorkerToken ? 'present (W reveals the join command, t rotates)' : 'absent', token: swarm.hasWorkerToken ? 'ok' : 'warn' },
    { label: 'Manager join token', value: swarm.hasManagerToken ? 'present (M reveals the join command, T rotates)' : 'absent', token: swarm.hasManagerToken ? 'ok' : 'warn' },
    { label: 'Autolock', value: swarm.autolockManagers ? 'enabled (K rotates the unlock key)' : 'disabled', token: swarm.autolockManagers ? 'ok' : 'muted' },
    { label: 'CA issuer', value: swarm.certIssuerSubject || '(unknown)' },
    { label: 'Node cert expiry', value: durationNs(swarm.nodeCertExpiryNs) },
    {
      label: 'CA rotation',
      value: ca.inProgress
        ? `IN PROGRESS ${bar(ca.rotated, ca.total, 20)} ${ca.rotated}/${ca.total} nodes on the new CA`
        : `none (${ca.rotated}/${ca.total} nodes on the current CA; C rotates)`,
      token: ca.inProgress ? 'warn' : 'ok',
    },
    { label: 'Task history limit', value: String(swarm.taskHistoryLimit) },
    { label: 'Heartbeat period', value: durationNs(swarm.heartbeatPeriodNs) },
  ];
  if (holdsSecret) lines.push({ label: 'Revealed', value: 'a secret is held for copying (c copies; switching panes forgets it)', token: 'info' });
  // One line per node (those still waiting first), as far as the pane has room: the rotation's progress per node.
  const room = Math.max(0, height - lines.length);
  const shown = ca.nodes.length > room ? ca.nodes.slice(0, Math.max(0, room - 1)) : ca.nodes;
  for (const n of shown) {
    lines.push(n.rotated
      ? { label: `  ${n.hostname}`, value: '✓ certificate from the current CA', token: 'ok' }
      : { label: `  ${n.hostname}`, value: `· waiting for a certificate from the current CA${n.state === 'down' ? ' (down: renews when it is back)' : ''}`, token: 'warn' });
  }
  if (shown.length < ca.nodes.length && room > 0) lines.push({ label: `  … ${ca.nodes.length - shown.length} more nodes`, value: '', token: 'muted' });
  return (
    <Box flexDirection="column" height={height} width={width}>
      {lines.slice(0, height).map((l) => (
        <Text key={l.label} wrap="truncate-end">
          <Text color={theme.color('muted')}>{l.label.padEnd(20)}</Text>
          <Text color={l.token ? theme.color(l.token) : theme.color('text')}>{l.value}</Text>
        </Text>
      ))}
    </Box>
  );
}
