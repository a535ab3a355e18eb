import type { ConfigModel, Id, SecretModel, ServiceModel } from '../../store/model.js';
import type { ClusterState } from '../../store/state.js';
import { servicesUsing } from '../../store/selectors/used-by.js';
import type { SecretKind } from '../../docker/api/secrets.js';

export type { SecretKind };
export type SecretLike = SecretModel | ConfigModel;

/**
 * A rotation is recorded in the cluster itself, on the new object's labels (set when it is created), so
 * a half-done rotation can be found and continued from any machine: nothing is kept in a local file.
 */
export const ROTATED_FROM_ID = 'io.swarmtop.rotated-from.id';
export const ROTATED_FROM_NAME = 'io.swarmtop.rotated-from.name';

/** Docker's rule for secret and config names (daemon/cluster/convert: same as for services), 64 at most. */
const NAME = /^[a-zA-Z0-9]+(?:[a-zA-Z0-9_.-]*[a-zA-Z0-9])?$/;
export const MAX_NAME = 64;

export function nameError(name: string): string | null {
  if (name === '') return 'a name is needed';
  if (name.length > MAX_NAME) return `a name has at most ${MAX_NAME} characters`;
  if (!NAME.test(name)) return `"${name}": letters, digits, and . _ - inside the name only`;
  return null;
}

export function objectsOf(state: ClusterState, kind: SecretKind): ReadonlyMap<Id, SecretLike> {
  return kind === 'secret' ? state.secrets : state.configs;
}

export function findObject(state: ClusterState, kind: SecretKind, id: Id): SecretLike | undefined {
  return objectsOf(state, kind).get(id);
}

export function findByName(state: ClusterState, kind: SecretKind, name: string): SecretLike | undefined {
  for (const o of objectsOf(state, kind).values()) if (o.name === name) return o;
  return undefined;
}

export function usersOf(state: ClusterState, kind: SecretKind, id: Id): readonly ServiceModel[] {
  return servicesUsing(state, kind === 'secret' ? 'secrets' : 'configs', id);
}

/** db_pass → db_pass_v2, db_pass_v2 → db_pass_v3; the first such name not taken. */
export function proposeName(state: ClusterState, kind: SecretKind, current: string): string {
  const m = /^(.*)_v(\d+)$/.exec(current);
  const base = m ? m[1]! : current;
  let n = m ? Number(m[2]) + 1 : 2;
  for (;;) {
    const suffix = `_v${n}`;
    const name = `${base.slice(0, MAX_NAME - suffix.length)}${suffix}`;
    if (!findByName(state, kind, name)) return name;
    n++;
  }
}

/** Labels a new version carries: the old one's (a stack's namespace included) and where it comes from. */
export function successorLabels(old: SecretLike): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(old.labels)) if (k !== ROTATED_FROM_ID && k !== ROTATED_FROM_NAME) labels[k] = v;
  labels[ROTATED_FROM_ID] = old.id;
  labels[ROTATED_FROM_NAME] = old.name;
  return labels;
}

/** What R finds for the selected object: a fresh rotation, or a half-done one to continue. */
export interface RotationFound {
  old: SecretLike;
  /** The new version already created by an earlier, unfinished rotation; null for a fresh one. */
  next: SecretLike | null;
}

/**
 * Reads a half-done rotation from the cluster: selected on the old object, its newest successor (an
 * object labelled as rotated from it); selected on the new one, the old one as long as a service still
 * uses it. Anything else is a fresh rotation of the selected object.
 */
export function findRotation(state: ClusterState, kind: SecretKind, selected: SecretLike): RotationFound {
  let next: SecretLike | null = null;
  for (const o of objectsOf(state, kind).values()) {
    if (o.labels[ROTATED_FROM_ID] === selected.id && (next === null || o.createdAt > next.createdAt)) next = o;
  }
  if (next) return { old: selected, next };
  const fromId = selected.labels[ROTATED_FROM_ID];
  const from = fromId !== undefined ? findObject(state, kind, fromId) : undefined;
  if (from && usersOf(state, kind, from.id).length > 0) return { old: from, next: selected };
  return { old: selected, next: null };
}
