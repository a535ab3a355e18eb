import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keptEditsDir } from '../config/paths.js';
import { readServiceSpec } from '../docker/api/specs.js';
import { replaceServiceSpec } from '../docker/api/write.js';
import { toDockerApiError } from '../docker/errors.js';
import type { ClusterState } from '../store/state.js';
import { editText } from './foreground.js';
import { findService, serviceName } from './lookup.js';
import { describeTarget } from './outcome.js';
import { describeDiff } from './spec-diff.js';
import { mergeSpecs } from './spec/merge.js';
import { isSpecPlan, planSpec } from './spec/plan.js';
import { isBlank, parseSpecYaml, specToYaml, withErrors, type Spec } from './spec/spec-yaml.js';
import type { ActionContext, ActionOutcome, ActionSpec, ActionTarget, Prepared, Reprepare } from './types.js';

/**
 * Edit the whole spec in $VISUAL/$EDITOR, as k9s and kubectl edit do, with what they lack: the text is
 * checked (line and column) before anything is sent, the confirmation shows the field diff and what it
 * costs, and the update carries the version the editor was opened on. If the service changed meanwhile,
 * the operator sees what changed and may re-open the editor with their edits merged onto the fresh spec.
 * Nothing typed is lost: a cancelled edit is kept in the state directory.
 */

/** Where an edit stands between two editor sessions. */
interface EditSession {
  /** The spec the operator's text is measured against, and the version it was read at. */
  base: Spec;
  version: number;
  /** What the editor opens with. */
  text: string;
  /** The operator's text last saved (null before the first save). */
  saved: string | null;
}

function isSession(v: unknown): v is EditSession {
  const s = v as Partial<EditSession> | null;
  return s !== null && typeof s === 'object' && typeof s.text === 'string' && typeof s.version === 'number' && typeof s.base === 'object';
}

function header(name: string, id: string, version: number, extra: readonly string[] = []): string[] {
  return [
    `swarmtop: service ${name} (${id}), version ${version}. Save and quit to see the diff before anything is sent;`,
    'quit without saving, or empty the file, to cancel. Lines starting with # are ignored.',
    'Durations are nanoseconds (10s = 10000000000), memory in bytes, CPUs in NanoCPUs (0.5 CPU = 500000000).',
    ...extra,
  ];
}

async function openSession(ctx: ActionContext, state: ClusterState, target: ActionTarget): Promise<EditSession> {
  const read = await readServiceSpec(ctx.connection, target.id);
  const text = specToYaml(read.spec, header(serviceName(state, target), target.id, read.currentVersion));
  return { base: read.spec, version: read.currentVersion, text, saved: null };
}

/**
 * The service changed since the editor was opened: what changed meanwhile, and the operator's edits
 * (base → mine) merged onto the spec as it is now, to re-open the editor with.
 */
async function staleAsk(ctx: ActionContext, target: ActionTarget, name: string, session: EditSession, mine: Spec): Promise<Reprepare> {
  const fresh = await readServiceSpec(ctx.connection, target.id);
  const meanwhile = describeDiff(session.base, fresh.spec);
  const { merged, conflicts } = mergeSpecs(session.base, mine, fresh.spec);
  const notes = conflicts.length > 0 ? [`Both you and the other change set: ${conflicts.join(', ')} — your value is in the editor, check it.`] : [];
  const text = specToYaml(merged as Spec, header(name, target.id, fresh.currentVersion, [
    `Re-opened: the service changed (version ${session.version} → ${fresh.currentVersion}); your edits are merged onto its current spec.`,
    ...conflicts.map((c) => `conflict: ${c} (your value kept)`),
  ]));
  return {
    title: `${name} changed since you opened it`,
    lines: [
      `Changed meanwhile (version ${session.version} → ${fresh.currentVersion}); nothing of yours was sent:`,
      ...(meanwhile.length > 0 ? meanwhile.map((d) => `  ${d}`) : ['  (its status only: no field of the spec)']),
      ...notes,
    ],
    question: 're-open the editor with your edits merged onto the current spec',
    resume: { base: fresh.spec, version: fresh.currentVersion, text, saved: session.saved ?? text } satisfies EditSession,
  };
}

async function prepareEdit(ctx: ActionContext, state: ClusterState, target: ActionTarget, resume: unknown): Promise<Prepared> {
  const name = serviceName(state, target);
  const session = isSession(resume) ? resume : await openSession(ctx, state, target);
  const edited = await editText(ctx, session.text, `${name}.yaml`);
  if (edited.kind === 'failed') return { kind: 'failed', message: `${edited.message}: nothing was changed` };
  const text = edited.text;
  if (isBlank(text)) return { kind: 'nothing', message: 'the file was emptied: cancelled, nothing was sent' };
  const parsed = parseSpecYaml(text, session.base);
  const saved: EditSession = { ...session, saved: text };
  if (!parsed.ok) {
    return {
      kind: 'ask',
      title: 'the spec is not valid',
      lines: [...parsed.problems, 'Nothing was sent.'],
      question: 're-open the editor with your text',
      resume: { ...saved, text: withErrors(text, parsed.problems) } satisfies EditSession,
    };
  }
  // Changed meanwhile (by someone else, or by the engine's own bookkeeping of the spec): ask before planning.
  const now = await readServiceSpec(ctx.connection, target.id);
  if (now.currentVersion !== session.version) return { kind: 'ask', ...(await staleAsk(ctx, target, name, saved, parsed.spec)) };
  const plan = planSpec(state, { ...target, version: session.version }, { spec: session.base, version: session.version }, parsed.spec);
  if (plan.kind === 'plan') return { ...plan, plan: { ...(plan.plan as object), text } };
  return plan;
}

async function runEdit(ctx: ActionContext, target: ActionTarget, plan: unknown): Promise<ActionOutcome> {
  if (!isSpecPlan(plan)) return { kind: 'refused', message: 'no confirmed plan: nothing was sent' };
  try {
    const { warnings } = await replaceServiceSpec(ctx.connection, plan.serviceId, plan.version, plan.after);
    const warned = warnings.length > 0 ? ` (engine: ${warnings.join('; ')})` : '';
    return { kind: 'done', message: `${plan.name} updated (${plan.audit.length} field${plan.audit.length === 1 ? '' : 's'})${warned}`, ...(plan.replacesTasks ? { follow: { services: [{ id: plan.serviceId, name: plan.name }] } } : {}) };
  } catch (err) {
    const e = toDockerApiError(err);
    if (!e.outOfSequence) {
      const status = e.status !== null ? ` (HTTP ${e.status})` : '';
      return { kind: 'failed', message: `${describeTarget(target)}: ${e.message}${status}: nothing was changed` };
    }
    const session: EditSession = { base: plan.before, version: plan.version, text: '', saved: null };
    const ask = await staleAsk(ctx, target, plan.name, session, plan.after);
    return { kind: 'stale', message: `${plan.name} changed since you opened it (version ${plan.version}): nothing was changed. Engine: ${e.message}`, ask };
  }
}

/** A cancelled edit is written where the operator can find it again (0600, in a 0700 directory). */
async function keepEdit(target: ActionTarget, held: unknown): Promise<string | null> {
  const text = isSession(held) ? held.saved : held !== null && typeof held === 'object' && 'text' in held && typeof held.text === 'string' ? held.text : null;
  if (text === null) return null;
  const dir = keptEditsDir();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${(target.name ?? target.id).replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}.yaml`);
  await writeFile(file, text, { mode: 0o600 });
  return `your edited spec is kept in ${file}`;
}

export const editService: ActionSpec = {
  id: 'service.edit',
  label: 'Edit spec in $EDITOR',
  key: 'E',
  command: 'edit',
  targets: 'service',
  mutating: true,
  dangerous: true,
  available: (state, target) => (findService(state, target) ? true : 'the service no longer exists'),
  impact: (state, target) => [`${serviceName(state, target)}: the spec opens in your editor; the diff is shown before anything is sent.`],
  prepare: (ctx, state, target, _input, more) => prepareEdit(ctx, state, target, more?.resume),
  run: (ctx, target, _input, plan) => runEdit(ctx, target, plan),
  abandon: keepEdit,
};
