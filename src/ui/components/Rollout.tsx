import { Text } from 'ink';
import type { ClusterState } from '../../store/state.js';
import { shortImage } from '../format.js';
import type { Theme } from '../theme.js';

export interface RolloutProgress {
  state: string;
  image: string;
  previous: string | null;
  /** Running tasks (desired running) on the spec's image. */
  updated: number;
  desired: number;
  failed: number;
  message: string;
}

export function rolloutProgress(state: ClusterState, serviceId: string): RolloutProgress | null {
  const svc = state.services.get(serviceId);
  if (!svc) return null;
  let updated = 0;
  let failed = 0;
  for (const t of state.tasksByService.get(serviceId)?.values() ?? []) {
    if (t.desiredState === 'running' && t.state === 'running' && t.image === svc.image) updated++;
    if (t.state === 'failed' || t.state === 'rejected') failed++;
  }
  return {
    state: svc.updateStatus?.state ?? 'no update',
    image: svc.image,
    previous: svc.previousImage,
    updated,
    desired: svc.desiredTasks ?? (svc.mode.kind === 'replicated' ? svc.mode.replicas : 0),
    failed,
    message: svc.updateStatus?.message ?? '',
  };
}

export function RolloutLine({ state, serviceId, theme }: { state: ClusterState; serviceId: string; theme: Theme }) {
  const p = rolloutProgress(state, serviceId);
  if (!p) return <Text color={theme.color('error')}>service is gone</Text>;
  const width = 20;
  const filled = p.desired === 0 ? 0 : Math.min(width, Math.round((p.updated / p.desired) * width));
  const token = p.state === 'updating' || p.state === 'rollback_started' ? 'warn' : p.state.includes('paused') ? 'error' : 'ok';
  return (
    <Text wrap="truncate-end">
      <Text color={theme.color(token)} bold>{`rollout ${p.state} `}</Text>
      <Text>{`[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.updated}/${p.desired} on ${shortImage(p.image)}`}</Text>
      {p.previous ? <Text color={theme.color('muted')}>{` (from ${shortImage(p.previous)})`}</Text> : null}
      {p.failed > 0 ? <Text color={theme.color('error')}>{` ${p.failed} failed`}</Text> : null}
      {p.message ? <Text color={theme.color('muted')}>{`  ${p.message}`}</Text> : null}
    </Text>
  );
}
