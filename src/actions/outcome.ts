import { toDockerApiError } from '../docker/errors.js';
import type { ActionOutcome, ActionTarget } from './types.js';

export function describeTarget(target: ActionTarget): string {
  if (target.kind === 'swarm') return 'the swarm';
  return `${target.kind} ${target.name ?? target.id}`;
}

/**
 * Runs one write and turns what the engine said into an outcome. A stale version becomes 'stale' (the
 * UI re-reads and asks again, nothing is retried behind the operator's back); every other API error is
 * shown in full.
 */
export async function attempt(target: ActionTarget, write: () => Promise<ActionOutcome | string>): Promise<ActionOutcome> {
  try {
    const res = await write();
    return typeof res === 'string' ? { kind: 'done', message: res } : res;
  } catch (err) {
    const e = toDockerApiError(err);
    if (e.outOfSequence) {
      return {
        kind: 'stale',
        message: `${describeTarget(target)} changed since you looked (you saw version ${target.version}): nothing was changed; re-read and try again. Engine: ${e.message}`,
      };
    }
    const status = e.status !== null ? ` (HTTP ${e.status})` : e.code !== null ? ` (${e.code})` : '';
    return { kind: 'failed', message: `${describeTarget(target)}: ${e.message}${status}` };
  }
}
