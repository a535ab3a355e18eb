import { toDockerApiError } from '../docker/errors.js';
import { auditChangesOf, currentUser, type AuditEntry, type AuditSink } from './audit.js';
import { ACTIONS } from './registry.js';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget } from './types.js';

export interface GuardOptions {
  /** --read-only (or a read-only context): every mutating action is refused. */
  readOnly: boolean;
  audit: AuditSink;
  user?: string;
  now?: () => Date;
}

const MASK = '••••••';

/** Removes every revealed secret from a text, whatever path it took to get there. */
function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join(MASK);
  return out;
}

/**
 * Wraps one action's run(): refuses it in read-only mode when it changes the cluster, turns an
 * unexpected throw into a 'failed' outcome, and appends every attempt to the audit log.
 */
export function guardAction(action: ActionSpec, options: GuardOptions): ActionSpec {
  const shownInput = (input: string | null, secrets: readonly string[]): string | null => {
    if (action.input?.secret || input === null) return null;
    return scrub(action.input?.redact ? action.input.redact(input) : input, secrets);
  };
  const entryFor = (ctx: ActionContext, target: ActionTarget, input: string | null, outcome: ActionOutcome, secrets: readonly string[], plan?: unknown, step?: string): AuditEntry => ({
    time: (options.now ?? (() => new Date()))().toISOString(),
    context: ctx.context,
    user: options.user ?? currentUser(),
    action: step === undefined ? action.id : `${action.id}:${step}`,
    target: { kind: target.kind, id: target.id, ...(target.name !== undefined ? { name: target.name } : {}) },
    input: shownInput(input, secrets),
    result: outcome.kind,
    message: scrub(outcome.message, secrets),
    ...(auditChangesOf(plan) ? { changes: auditChangesOf(plan) ?? [] } : {}),
  });
  return {
    ...action,
    async auditRefusal(ctx, target, message) {
      await options.audit(entryFor(ctx, target, null, { kind: 'refused', message }, []));
    },
    async run(ctx, target, input, plan) {
      let outcome: ActionOutcome;
      let stepAuditError: string | null = null;
      if (action.mutating && (options.readOnly || ctx.readOnly)) {
        outcome = { kind: 'refused', message: `read-only mode: "${action.label}" changes the cluster and is refused` };
      } else {
        // Steps of a long operation get a line each as they happen (never an input: a step has none).
        const recordStep: ActionContext['recordStep'] = async (s) => {
          try {
            await options.audit(entryFor(ctx, s.target, null, s.outcome, [], undefined, s.step));
          } catch (err) {
            stepAuditError ??= err instanceof Error ? err.message : String(err);
          }
        };
        try {
          outcome = await action.run({ ...ctx, recordStep }, target, input, plan);
        } catch (err) {
          outcome = { kind: 'failed', message: toDockerApiError(err).message };
        }
      }
      const secrets = outcome.kind === 'done' ? (outcome.reveal ?? []).map((r) => r.value) : [];
      // An operation over many objects (a stack deploy) leaves one line per object it changed.
      const objects = (outcome.kind === 'done' || outcome.kind === 'failed') && outcome.objects && outcome.objects.length > 0 ? outcome.objects : null;
      const entries = objects
        ? objects.map((o) => entryFor(ctx, { kind: o.kind, id: o.id, name: o.name, version: 0 }, input, { kind: o.result, message: o.message }, secrets))
        : [entryFor(ctx, target, input, outcome, secrets, plan)];
      try {
        for (const entry of entries) await options.audit(entry);
      } catch (err) {
        stepAuditError = err instanceof Error ? err.message : String(err);
      }
      if (stepAuditError !== null) return { ...outcome, message: `${outcome.message} (could not write the audit log: ${stepAuditError})` };
      return outcome;
    },
  };
}

export function guardedActions(options: GuardOptions, actions: readonly ActionSpec[] = ACTIONS): readonly ActionSpec[] {
  return actions.map((a) => guardAction(a, options));
}
