import { Box, Text } from 'ink';
import type { ClusterState } from '../../store/state.js';
import { selectHealth } from '../../store/selectors/health.js';
import { transportWarnings } from '../../store/selectors/transport.js';
import { age } from '../format.js';
import type { Theme } from '../theme.js';

export interface HeaderProps {
  state: ClusterState;
  theme: Theme;
  width: number;
  readOnly: boolean;
  /** --no-audit: actions leave no audit line. */
  auditOff?: boolean;
  now: number;
}

/** Lines the header takes for this state (a transport banner and a connection error add one each). */
export function headerHeight(state: ClusterState): number {
  return 2 + transportWarnings(state.connection).length + (state.connection.error ? 1 : 0);
}

function connectionBadge(state: ClusterState, now: number): { text: string; token: 'ok' | 'stale' | 'error' | 'muted' } {
  const c = state.connection;
  if (c.staleSince !== null) return { text: `STALE ${age(c.staleSince, now)} (${c.status})`, token: 'stale' };
  switch (c.status) {
    case 'live': return { text: '● live', token: 'ok' };
    case 'connecting': return { text: '… connecting', token: 'muted' };
    case 'reconnecting': return { text: '↻ reconnecting', token: 'stale' };
    case 'failed': return { text: '✖ disconnected', token: 'error' };
  }
}

export function Header({ state, theme, width, readOnly, auditOff, now }: HeaderProps) {
  const h = selectHealth(state);
  const c = state.connection;
  const m = h.managers;
  const badge = connectionBadge(state, now);
  const quorumToken = m.total === 0 ? 'muted' : !m.hasQuorum ? 'error' : m.reachable < m.total ? 'warn' : 'ok';
  return (
    <Box flexDirection="column" width={width}>
      {transportWarnings(c).map((w) => (
        <Text key={w.kind} backgroundColor={theme.color('insecureBg')} color={theme.color('insecureFg')} bold inverse={theme.monochrome} wrap="truncate-end">
          {` ${w.text} `.padEnd(width)}
        </Text>
      ))}
      {/* The connection badge comes first: on a narrow terminal the endpoint is what gets cut, never it. */}
      <Text wrap="truncate-end">
        <Text bold color={theme.color('title')}>swarmtop </Text>
        <Text color={theme.color(badge.token)} bold={badge.token !== 'ok'}>{badge.text}</Text>
        {readOnly ? <Text color={theme.color('readOnly')} inverse bold> READ-ONLY </Text> : null}
        {auditOff ? <Text color={theme.color('error')} inverse bold> NO AUDIT </Text> : null}
        <Text color={theme.color('muted')}>  ctx </Text><Text bold color={theme.color('header')}>{c.context}</Text>
        {c.endpoint !== c.context ? <Text color={theme.color('muted')}>  {c.endpoint || '(no endpoint)'}</Text> : null}
      </Text>
      <Text wrap="truncate-end">
        <Text color={theme.color('muted')}>leader </Text>
        <Text color={theme.color(m.leader ? 'leader' : 'error')} bold>{m.leader?.hostname ?? 'none'}</Text>
        <Text color={theme.color('muted')}>  managers </Text>
        <Text color={theme.color(quorumToken)} bold>{`${m.reachable}/${m.total}`}</Text>
        <Text color={theme.color('muted')}>{m.total > 0 ? ` (quorum ${m.quorum}, tolerates ${m.faultTolerance} loss${m.faultTolerance === 1 ? '' : 'es'})` : ''}</Text>
        {m.total > 0 && !m.hasQuorum ? <Text color={theme.color('error')} bold> NO QUORUM</Text> : null}
        <Text color={theme.color('muted')}>  nodes ready </Text>
        <Text color={theme.color(h.nodesReady === h.nodesTotal ? 'ok' : 'warn')}>{`${h.nodesReady}/${h.nodesTotal}`}</Text>
        <Text color={theme.color('muted')}>  services converged </Text>
        <Text color={theme.color(h.servicesConverged === h.servicesTotal ? 'ok' : 'warn')}>{`${h.servicesConverged}/${h.servicesTotal}`}</Text>
        {h.servicesUpdating > 0 ? <Text color={theme.color('warn')}>{`  updating ${h.servicesUpdating}`}</Text> : null}
      </Text>
      {c.error ? <Text color={theme.color('error')} wrap="truncate-end">{`connection: ${c.error}`}</Text> : null}
    </Box>
  );
}
