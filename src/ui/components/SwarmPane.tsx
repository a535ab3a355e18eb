import { Box, Text } from 'ink';
import type { ClusterState } from '../../store/state.js';
import { selectCaRotation } from '../../store/selectors/ca-rotation.js';
import { age, durationNs, printable, shortId } from '../format.js';
import { describeX509Name } from '../../store/x509-name.js';
import type { Theme, ThemeToken } from '../theme.js';

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
  const ca = selectCaRotation(state);
  const lines: Line[] = [
    { label: 'Swarm ID', value: shortId(swarm.id) },
    { label: 'Created', value: `${age(swarm.createdAt, now)} ago` },
    { label: 'Worker join token', value: swarm.hasWorkerToken ? 'present (W reveals the join command, t rotates)' : 'absent', token: swarm.hasWorkerToken ? 'ok' : 'warn' },
    { label: 'Manager join token', value: swarm.hasManagerToken ? 'present (M reveals the join command, T rotates)' : 'absent', token: swarm.hasManagerToken ? 'ok' : 'warn' },
    { label: 'Autolock', value: swarm.autolockManagers ? 'enabled (K rotates the unlock key)' : 'disabled', token: swarm.autolockManagers ? 'ok' : 'muted' },
    { label: 'CA issuer', value: printable(describeX509Name(swarm.certIssuerSubject)) || '(unknown)' },
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
  // Per node while a rotation runs (or is stuck): the nodes still on the old certificate come first.
  if (ca.inProgress || ca.rotated < ca.total) {
    for (const n of ca.nodes) {
      lines.push({ label: `  ${n.hostname}`, value: n.rotated ? 'new certificate' : `waiting for a new certificate (node ${n.state})`, token: n.rotated ? 'ok' : n.state === 'ready' ? 'warn' : 'error' });
    }
  }
  if (holdsSecret) lines.push({ label: 'Revealed', value: 'a secret is held for copying (c copies; switching panes forgets it)', token: 'info' });
  return (
    <Box flexDirection="column" height={height} width={width}>
      {lines.slice(0, height).map((l, i) => (
        <Text key={`${i}-${l.label}`} wrap="truncate-end">
          <Text color={theme.color('muted')}>{l.label.padEnd(20)}</Text>
          <Text color={l.token ? theme.color(l.token) : theme.color('text')}>{l.value}</Text>
        </Text>
      ))}
    </Box>
  );
}
