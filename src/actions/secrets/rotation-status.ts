import type { Id, ServiceModel } from '../../store/model.js';
import type { ClusterState } from '../../store/state.js';
import { selectRollout, type Rollout } from '../../store/selectors/rollout.js';
import type { RotationRef } from './rotation-run.js';

export interface RotationServiceStatus {
  id: Id;
  name: string;
  /** Which version its spec mounts now. */
  uses: 'old' | 'new' | 'both';
  rollout: Rollout | null;
  /** Paused, or rolling/rolled back: shown in red, the rotation stops there. */
  failed: boolean;
  /** On the new version and its rollout completed (or nothing to roll). */
  converged: boolean;
}

export interface RotationStatus {
  rows: readonly RotationServiceStatus[];
  onOld: number;
  onNew: number;
  /** Every service on the new version, every rollout converged. */
  complete: boolean;
}

function usesOf(ref: RotationRef, s: ServiceModel): RotationServiceStatus['uses'] | null {
  const ids = ref.kind === 'secret' ? s.secretIds : s.configIds;
  const o = ids.includes(ref.oldId);
  const n = ref.newId !== null && ids.includes(ref.newId);
  return o && n ? 'both' : o ? 'old' : n ? 'new' : null;
}

/**
 * Which service uses which version and how its rollout stands, from the live state: the rotation view
 * and the CLI printer show this, whatever the rotation's own progress says.
 */
export function selectRotationStatus(state: ClusterState, ref: RotationRef): RotationStatus {
  const rows: RotationServiceStatus[] = [];
  for (const s of state.services.values()) {
    const uses = usesOf(ref, s);
    if (uses === null) continue;
    const rollout = selectRollout(state, s.id);
    const st = s.updateStatus?.state ?? null;
    const failed = st === 'paused' || st === 'rollback_started' || st === 'rollback_paused' || st === 'rollback_completed';
    const converged = uses === 'new' && !failed && (st === 'completed' || (st === null && (rollout?.done ?? 0) === (rollout?.total ?? 0)));
    rows.push({ id: s.id, name: s.name, uses, rollout, failed, converged });
  }
  // Not yet moved first (what is left), then moving, then done.
  const rank = (r: RotationServiceStatus): number => (r.failed ? 0 : r.uses !== 'new' ? 1 : r.converged ? 3 : 2);
  rows.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  const onOld = rows.filter((r) => r.uses !== 'new').length;
  const onNew = rows.filter((r) => r.uses === 'new').length;
  return { rows, onOld, onNew, complete: onOld === 0 && rows.every((r) => r.converged) };
}
