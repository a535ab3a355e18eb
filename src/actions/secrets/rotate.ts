import { plural } from '../lookup.js';
import type { ActionSpec, ActionTarget } from '../types.js';
import type { ClusterState } from '../../store/state.js';
import { valueError } from './create-line.js';
import { findByName, findObject, findRotation, nameError, proposeName, usersOf, type RotationFound, type SecretKind } from './names.js';
import { planRotation, type RotationPlan } from './rotation-plan.js';
import { releasePlan, runRotation } from './rotation-run.js';

function found(state: ClusterState, kind: SecretKind, target: ActionTarget): RotationFound | null {
  const selected = findObject(state, kind, target.id);
  return selected ? findRotation(state, kind, selected) : null;
}

/** The new name: the half-done rotation's, or a new free one. */
export function validateNewName(state: ClusterState, kind: SecretKind, target: ActionTarget, raw: string): string | null {
  const name = raw.trim();
  const bad = nameError(name);
  if (bad !== null) return bad;
  const f = found(state, kind, target);
  if (!f) return `the ${kind} no longer exists`;
  if (f.next) return name === f.next.name ? null : `a rotation of ${f.old.name} to ${f.next.name} is half done: enter ${f.next.name} to continue it (or remove ${f.next.name} first)`;
  return findByName(state, kind, name) ? `${name} exists already: choose another name` : null;
}

export function rotateAction(kind: SecretKind): ActionSpec {
  return {
    id: `${kind}.rotate`,
    label: `Rotate the ${kind} (new version, services moved)`,
    key: 'R',
    command: `rotate-${kind}`,
    targets: kind,
    mutating: true,
    dangerous: true,
    available: (state, target) => (findObject(state, kind, target.id) ? true : `no such ${kind} (a service mounts it, but it no longer exists)`),
    input: {
      kind: 'text',
      prompt: 'new name',
      initial: (state, target) => {
        const f = found(state, kind, target);
        if (!f) return '';
        return f.next?.name ?? proposeName(state, kind, f.old.name);
      },
      validate: (raw, state, target) => validateNewName(state, kind, target, raw),
    },
    value: {
      prompt: kind === 'secret' ? 'new value (masked; one line — the CLI reads a file)' : 'new content (one line — the CLI reads a file)',
      masked: kind === 'secret',
      // Continuing a half-done rotation needs no value: the new version exists.
      needed: (state, target) => found(state, kind, target)?.next === null,
    },
    impact(state, target) {
      const f = found(state, kind, target);
      if (!f) return [`the ${kind} no longer exists`];
      return [`${f.old.name}: ${plural(usersOf(state, kind, f.old.id).length, 'service')} move to the new version.`];
    },
    async prepare(ctx, state, target, input, more) {
      const value = more?.value ?? null;
      const selected = findObject(state, kind, target.id);
      if (!selected) {
        value?.fill(0);
        return { kind: 'failed', message: `the ${kind} no longer exists` };
      }
      const bad = value ? valueError(kind, value) : null;
      if (bad !== null) {
        value?.fill(0);
        return { kind: 'failed', message: bad };
      }
      const prepared = await planRotation(ctx, state, kind, selected, (input ?? '').trim(), value ?? null);
      if (prepared.kind !== 'plan') value?.fill(0);
      return prepared;
    },
    release: releasePlan,
    async run(ctx, _target, _input, plan) {
      const p = plan as RotationPlan | undefined;
      if (!p) return { kind: 'refused', message: 'no confirmed plan: nothing was changed' };
      try {
        return await runRotation(ctx, p);
      } finally {
        releasePlan(p);
      }
    },
  };
}
