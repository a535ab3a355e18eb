import { randomBytes } from 'node:crypto';
import { toDockerApiError } from '../docker/errors.js';
import { auditChangesOf, currentUser, type AuditEntry, type AuditSink } from './audit.js';
import { ACTIONS } from './registry.js';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget } from './types.js';

export interface GuardOptions {
  /** --read-only (or a read-only context): every mutating action is refused. */
  readOnly: boolean;
  /** Where audit lines go; null only with an explicit --no-audit (the header then says so). */
  audit: AuditSink | null;
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

function why(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Wraps one action's run(): refuses it in read-only mode when it changes the cluster, turns an
 * unexpected throw into a 'failed' outcome, and audits it. The audit log fails closed: the `attempt`
 * line is written before any request is sent, and when it cannot be, the action is refused (only an
 * explicit --no-audit runs actions unaudited). The outcome line follows the run.
 */
export function guardAction(action: ActionSpec, options: GuardOptions): ActionSpec {
  const audit = options.audit ?? ((): Promise<void> => Promise.resolve());
  const shownInput = (input: string | null, secrets: readonly string[]): string | null => {
    if (action.input?.secret || input === null) return null;
    return scrub(action.input?.redact ? action.input.redact(input) : input, secrets);
  };
  type Line = Pick<AuditEntry, 'result' | 'message'> & Partial<Pick<AuditEntry, 'endpoint' | 'run'>>;
  const entryFor = (ctx: ActionContext, target: ActionTarget, input: string | null, line: Line, secrets: readonly string[], plan?: unknown, step?: string): AuditEntry => {
    const changes = auditChangesOf(plan);
    return {
      time: (options.now ?? (() => new Date()))().toISOString(),
      context: ctx.context,
      user: options.user ?? currentUser(),
      action: step === undefined ? action.id : `${action.id}:${step}`,
      target: { kind: target.kind, id: target.id, ...(target.name !== undefined ? { name: target.name } : {}) },
      input: shownInput(input, secrets),
      ...line,
      message: scrub(line.message, secrets),
      ...(changes ? { changes } : {}),
    };
  };
  return {
    ...action,
    async auditRefusal(ctx, target, message) {
      await audit(entryFor(ctx, target, null, { result: 'refused', message }, []));
    },
    async run(ctx, target, input, plan) {
      if (action.mutating && (options.readOnly || ctx.readOnly)) {
        const refused: ActionOutcome = { kind: 'refused', message: `read-only mode: "${action.label}" is refused, nothing was sent` };
        try {
          await audit(entryFor(ctx, target, input, { result: 'refused', message: refused.message }, []));
        } catch (err) {
          return { ...refused, message: `${refused.message} (could not write the audit log: ${why(err)})` };
        }
        return refused;
      }
      const run = randomBytes(6).toString('hex');
      const endpoint = ctx.connection.endpoint;
      try {
        await audit(entryFor(ctx, target, input, { result: 'attempt', message: action.label, endpoint, run }, [], plan));
      } catch (err) {
        return {
          kind: 'refused',
          message: `"${action.label}" was not run, nothing was sent: the audit log cannot be written (${why(err)}). Fix it, or start swarmtop with --no-audit to act without one`,
        };
      }
      const stepAudit: { error: string | null } = { error: null };
      // Steps of a long operation get a line each as they happen (never an input: a step has none).
      const recordStep: ActionContext['recordStep'] = async (s) => {
        try {
          await audit(entryFor(ctx, s.target, null, { result: s.outcome.kind, message: s.outcome.message, endpoint, run }, [], undefined, s.step));
        } catch (err) {
          stepAudit.error ??= why(err);
        }
      };
      let outcome: ActionOutcome;
      try {
        outcome = await action.run({ ...ctx, recordStep }, target, input, plan);
      } catch (err) {
        outcome = { kind: 'failed', message: toDockerApiError(err).message };
      }
      const secrets = outcome.kind === 'done' ? (outcome.reveal ?? []).map((r) => r.value) : [];
      // An operation over many objects (a stack deploy) leaves one outcome line per object it changed.
      const objects = (outcome.kind === 'done' || outcome.kind === 'failed') && outcome.objects && outcome.objects.length > 0 ? outcome.objects : null;
      const entries = objects
        ? objects.map((o) => entryFor(ctx, { kind: o.kind, id: o.id, name: o.name, version: 0 }, input, { result: o.result, message: o.message, endpoint, run }, secrets))
        : [entryFor(ctx, target, input, { result: outcome.kind, message: outcome.message, endpoint, run }, secrets, plan)];
      try {
        for (const entry of entries) await audit(entry);
      } catch (err) {
        return { ...outcome, message: `${outcome.message} (its outcome could not be written to the audit log: ${why(err)})` };
      }
      if (stepAudit.error !== null) return { ...outcome, message: `${outcome.message} (could not write the audit log: ${stepAudit.error})` };
      return outcome;
    },
  };
}

export function guardedActions(options: GuardOptions, actions: readonly ActionSpec[] = ACTIONS): readonly ActionSpec[] {
  return actions.map((a) => guardAction(a, options));
}
