import { Box, Text } from 'ink';
import type { ClusterState } from '../../store/state.js';
import { QUORUM_RECOVERY_HINT, selectHealth, selectTolerance, type ToleranceLevel } from '../../store/selectors/health.js';
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

/** Lines the header takes for this state (a transport banner, lost quorum and a connection error add one each). */
export function headerHeight(state: ClusterState): number {
  return 2 + transportWarnings(state.connection).length + (selectTolerance(state).level === 'lost' ? 1 : 0) + (state.connection.error ? 1 : 0);
}

/** Fault tolerance in the header: plain while it holds, warning at the last one, red when quorum is gone. */
const TOLERANCE_TOKEN: Readonly<Record<ToleranceLevel, 'muted' | 'warn' | 'error'>> = { none: 'muted', ok: 'muted', last: 'warn', lost: 'error' };

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
  const tolerance = selectTolerance(state);
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
        {tolerance.level === 'ok' || tolerance.level === 'last' ? (
          <>
            <Text color={theme.color('muted')}>{` (quorum ${m.quorum}, `}</Text>
            <Text color={theme.color(TOLERANCE_TOKEN[tolerance.level])} bold={tolerance.level !== 'ok'}>{tolerance.text}</Text>
            <Text color={theme.color('muted')}>)</Text>
          </>
        ) : null}
        {tolerance.level === 'lost' ? <Text color={theme.color('error')} bold>{`${m.total > 0 ? ` (quorum ${m.quorum})` : ''} NO QUORUM`}</Text> : null}
        <Text color={theme.color('muted')}>  nodes ready </Text>
        <Text color={theme.color(h.nodesReady === h.nodesTotal ? 'ok' : 'warn')}>{`${h.nodesReady}/${h.nodesTotal}`}</Text>
        <Text color={theme.color('muted')}>  services converged </Text>
        <Text color={theme.color(h.servicesConverged === h.servicesTotal ? 'ok' : 'warn')}>{`${h.servicesConverged}/${h.servicesTotal}`}</Text>
        {h.servicesUpdating > 0 ? <Text color={theme.color('warn')}>{`  updating ${h.servicesUpdating}`}</Text> : null}
      </Text>
      {tolerance.level === 'lost' ? <Text color={theme.color('error')} wrap="truncate-end">{`${tolerance.text}: ${QUORUM_RECOVERY_HINT}`}</Text> : null}
      {c.error ? <Text color={theme.color('error')} wrap="truncate-end">{`connection: ${c.error}`}</Text> : null}
    </Box>
  );
}
