import { removeSecretObject } from '../../docker/api/secrets.js';
import { toDockerApiError } from '../../docker/errors.js';
import { listSome, plural } from '../lookup.js';
import { attempt, describeTarget } from '../outcome.js';
import type { ActionSpec } from '../types.js';
import { findObject, ROTATED_FROM_NAME, usersOf, type SecretKind } from './names.js';

/** Why a secret or config cannot be removed now (used by services), or true. */
export function removable(state: Parameters<ActionSpec['available']>[0], kind: SecretKind, id: string): true | string {
  const o = findObject(state, kind, id);
  if (!o) return `no such ${kind} (a service mounts it, but it no longer exists)`;
  const users = usersOf(state, kind, id);
  if (users.length === 0) return true;
  return `${o.name} is used by ${plural(users.length, 'service')}: ${listSome(users.map((s) => s.name), 8)} — the engine refuses to remove a ${kind} in use (R rotates it; or update those services first)`;
}

export function removeAction(kind: SecretKind): ActionSpec {
  return {
    id: `${kind}.remove`,
    label: `Remove ${kind}`,
    key: 'X',
    command: `rm-${kind}`,
    targets: kind,
    mutating: true,
    dangerous: true,
    available: (state, target) => removable(state, kind, target.id),
    impact(state, target) {
      const o = findObject(state, kind, target.id);
      const name = o?.name ?? target.name ?? target.id;
      const lines = [`${kind} ${name} is deleted; it cannot be brought back (its value is not kept anywhere).`, `No service uses it: nothing else changes.`];
      if (o?.stack) lines.push(`It belongs to stack ${o.stack}: the next docker stack deploy that names it creates it again.`);
      if (o?.labels[ROTATED_FROM_NAME]) lines.push(`It replaced ${o.labels[ROTATED_FROM_NAME]} in an earlier rotation.`);
      return lines;
    },
    // The engine checks use itself and refuses with the services' names: its message is shown in full.
    run: (ctx, target) =>
      attempt(target, async () => {
        try {
          await removeSecretObject(ctx.connection, kind, target.id);
        } catch (err) {
          const e = toDockerApiError(err);
          if (e.status === 400 || /in use/i.test(e.message)) return { kind: 'refused', message: `${describeTarget(target)}: the engine refuses: ${e.message}` };
          throw err;
        }
        return `${kind} ${target.name ?? target.id} removed`;
      }),
  };
}
