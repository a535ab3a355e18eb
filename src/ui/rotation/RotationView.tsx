import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { selectRotationStatus, type RotationServiceStatus } from '../../actions/secrets/rotation-status.js';
import type { RotationProgress } from '../../actions/secrets/rotation-run.js';
import type { ClusterState } from '../../store/state.js';
import { fit, wrapCells } from '../format.js';
import type { RolloutColors } from '../rollout/RolloutView.js';

export interface RotationViewProps {
  state: ClusterState;
  progress: RotationProgress;
  width: number;
  height: number;
  colors: RolloutColors;
}

function rowColor(r: RotationServiceStatus, colors: RolloutColors): string | undefined {
  if (r.failed) return colors.bad;
  if (r.converged) return colors.ok;
  if (r.uses !== 'new') return colors.dim;
  return colors.warn;
}

function stateText(r: RotationServiceStatus): string {
  const st = r.rollout?.updateState ?? null;
  if (r.failed) return (st ?? 'failed').replace('_', ' ');
  if (r.uses === 'old') return 'not moved yet';
  if (r.uses === 'both') return 'mounts both';
  return r.converged ? 'converged' : st === null ? 'starting' : st.replace('_', ' ');
}

/**
 * A rotation, service by service, from the live state: the version each service mounts, its rollout
 * (tasks updated / wanted; paused or rolled back in red), and what the rotation is doing or why it stopped.
 */
export function RotationView({ state, progress, width, height, colors }: RotationViewProps): ReactElement {
  const { ref } = progress;
  const status = selectRotationStatus(state, ref);
  const lines: ReactElement[] = [];
  lines.push(<Text key="t" bold>{fit(`Rotating ${ref.kind} ${ref.oldName} → ${ref.newName}`, width)}</Text>);
  const tone = progress.stopped ? colors.bad : progress.ended ? colors.ok : colors.warn;
  const phase = wrapCells(progress.phase, Math.max(1, width)).slice(0, 4);
  phase.forEach((l, i) => lines.push(<Text key={`p${i}`} color={tone}>{fit(l, width)}</Text>));
  lines.push(<Text key="c" color={colors.dim}>{fit(`on ${ref.oldName}: ${status.onOld} · on ${ref.newName}: ${status.onNew}${status.complete ? ' · every rollout converged' : ''}`, width)}</Text>);
  const nameWidth = Math.max(8, Math.min(30, ...status.rows.map((r) => r.name.length)));
  lines.push(<Text key="h" color={colors.dim}>{fit(`  ${'SERVICE'.padEnd(nameWidth)}  ${'MOUNTS'.padEnd(Math.max(ref.oldName.length, ref.newName.length, 6))}  ${'UPDATED'.padStart(7)}  STATE`, width)}</Text>);
  const room = Math.max(0, height - lines.length);
  const rows = status.rows.length > room ? status.rows.slice(0, Math.max(0, room - 1)) : status.rows;
  const versionWidth = Math.max(ref.oldName.length, ref.newName.length, 6);
  for (const r of rows) {
    const mark = r.id === progress.current ? '› ' : '  ';
    const version = r.uses === 'old' ? ref.oldName : r.uses === 'new' ? ref.newName : 'both';
    const counts = r.rollout ? `${r.rollout.done}/${r.rollout.total}` : '-';
    const message = r.rollout?.message ? `: ${r.rollout.message}` : '';
    const text = `${mark}${fit(r.name, nameWidth)}  ${version.padEnd(versionWidth)}  ${counts.padStart(7)}  ${stateText(r)}${r.failed ? message : ''}`;
    lines.push(<Text key={r.id} color={rowColor(r, colors)}>{fit(text, width)}</Text>);
  }
  if (rows.length < status.rows.length) lines.push(<Text key="more" color={colors.dim}>{fit(`… ${status.rows.length - rows.length} more`, width)}</Text>);
  if (status.rows.length === 0) lines.push(<Text key="none" color={colors.dim}>{fit('no service mounts either version', width)}</Text>);
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines}
    </Box>
  );
}
