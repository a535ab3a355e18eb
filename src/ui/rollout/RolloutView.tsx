import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { MAX_PROGRESS, selectRollout, type Rollout, type RolloutRow } from '../../store/selectors/rollout.js';
import type { ClusterState } from '../../store/state.js';

/** Ink colours per meaning; undefined is the terminal's default (a no-color theme). */
export interface RolloutColors {
  ok: string | undefined;
  warn: string | undefined;
  bad: string | undefined;
  dim: string | undefined;
}

export interface RolloutViewProps {
  state: ClusterState;
  serviceId: string;
  width: number;
  height: number;
  colors: RolloutColors;
}

const STATE_WIDTH = 9; // "preparing", the longest state shown on a bar

function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function bar(progress: number, width: number): string {
  if (width < 3) return '';
  const inner = width - 2;
  const filled = Math.round((progress / MAX_PROGRESS) * inner);
  const body = filled >= inner ? '='.repeat(inner) : `${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${' '.repeat(inner - filled)}`;
  return `[${body}]`;
}

function rowColor(r: RolloutRow, colors: RolloutColors): string | undefined {
  if (r.error !== '' || r.state === 'failed' || r.state === 'rejected') return colors.bad;
  if (r.state === 'running' && r.updated) return colors.ok;
  if (!r.updated) return colors.dim;
  return colors.warn;
}

function headline(r: Rollout): string {
  const what = r.updateState === null ? 'no update recorded' : r.updateState.replace('_', ' ');
  return `${r.serviceName}  ${what}${r.message !== '' && r.message !== what ? `: ${r.message}` : ''}`;
}

function RowLine({ row, width, labelWidth, colors }: { row: RolloutRow; width: number; labelWidth: number; colors: RolloutColors }): ReactElement {
  const label = row.label.padEnd(labelWidth);
  const state = row.state.padEnd(STATE_WIDTH);
  const mark = row.updated ? '✓' : '·';
  const node = row.nodeName;
  // label state [bar] mark node  error|image
  const fixed = labelWidth + 1 + STATE_WIDTH + 1 + 2 + 1 + 2;
  const barWidth = Math.max(0, Math.min(22, width - fixed - 24));
  const rest = width - fixed - barWidth;
  const tail = row.error !== '' ? row.error : row.image;
  const text = `${label} ${state} ${bar(row.progress, barWidth)} ${mark} ${fit(`${node}  ${tail}`, Math.max(0, rest))}`;
  return <Text color={rowColor(row, colors)}>{fit(text, width)}</Text>;
}

/**
 * A live view of one service converging, like `docker service update`'s progress: one row per slot
 * (per node for a global service), the update state and message, and what to press when it paused.
 */
export function RolloutView({ state, serviceId, width, height, colors }: RolloutViewProps): ReactElement {
  const r = selectRollout(state, serviceId);
  if (!r) {
    return (
      <Box width={width} height={height}>
        <Text color={colors.dim}>{fit('The service no longer exists.', width)}</Text>
      </Box>
    );
  }
  const header: ReactElement[] = [];
  header.push(<Text key="h" bold color={r.paused ? colors.bad : undefined}>{fit(headline(r), width)}</Text>);
  const overall = `${r.rollback ? 'rolling back: ' : 'overall progress: '}${r.done} out of ${r.total} tasks`;
  header.push(<Text key="o" color={r.done === r.total ? colors.ok : colors.warn}>{fit(overall, width)}</Text>);
  const footerLines = r.hint ? 1 : 0;
  const room = Math.max(0, height - header.length - footerLines);
  const labelWidth = Math.max(3, ...r.rows.map((x) => x.label.length));
  let shown = r.rows;
  let more = 0;
  if (r.rows.length > room) {
    shown = r.rows.slice(0, Math.max(0, room - 1));
    more = r.rows.length - shown.length;
  }
  return (
    <Box flexDirection="column" width={width} height={height}>
      {header}
      {shown.map((row) => (
        <RowLine key={row.taskId} row={row} width={width} labelWidth={labelWidth} colors={colors} />
      ))}
      {more > 0 ? <Text color={colors.dim}>{fit(`… ${more} more`, width)}</Text> : null}
      {r.hint ? <Text color={r.paused ? colors.warn : colors.dim}>{fit(r.hint, width)}</Text> : null}
    </Box>
  );
}
