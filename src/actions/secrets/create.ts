import { createSecretObject } from '../../docker/api/secrets.js';
import { plural } from '../lookup.js';
import { attempt } from '../outcome.js';
import type { ActionSpec, Prepared } from '../types.js';
import { createPrompt, parseCreateLine, readValueFile, valueError, type CreateLine } from './create-line.js';
import { findByName, type SecretKind } from './names.js';

export interface CreatePlan {
  line: CreateLine;
  /** Zeroed once sent, or when the plan is dropped. */
  value: Buffer;
}

/** A config is not secret: its first lines may be shown in the plan (control characters made visible). */
function preview(value: Buffer, lines = 3): string[] {
  // eslint-disable-next-line no-control-regex
  const text = value.toString('utf8').replace(/\r/g, '').replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g, '?');
  const all = text.split('\n');
  const shown = all.slice(0, lines).map((l) => `  | ${l.length > 120 ? `${l.slice(0, 119)}…` : l}`);
  if (all.length > lines) shown.push(`  | … ${plural(all.length - lines, 'more line')}`);
  return shown;
}

export function createImpact(kind: SecretKind, plan: CreatePlan): string[] {
  const { line, value } = plan;
  const from = line.file === null ? '' : ` from ${line.file}`;
  const labels = Object.entries(line.labels).map(([k, v]) => `${k}=${v}`);
  const lines = [`${kind} ${line.name} is created: ${plural(value.length, 'byte')}${from}${labels.length > 0 ? `, labels ${labels.join(' ')}` : ''}${line.templateDriver ? `, template driver ${line.templateDriver}` : ''}.`];
  if (kind === 'config') lines.push('Content:', ...preview(value));
  else lines.push('The value is sent to the engine only: it is not shown, logged or written anywhere.');
  lines.push(`Nothing else changes: no service uses it until one is updated to mount it.`);
  return lines;
}

/** Reads the value (the file named, or the bytes typed) and checks it before anything is sent. */
export async function prepareCreate(kind: SecretKind, input: string | null, typed: Buffer | null): Promise<Prepared> {
  const line = parseCreateLine(input ?? '', kind);
  if (typeof line === 'string') return { kind: 'failed', message: line };
  let value: Buffer;
  if (line.file !== null) {
    const read = await readValueFile(line.file);
    if (typeof read === 'string') return { kind: 'failed', message: read };
    value = read;
  } else if (typed) value = typed;
  else return { kind: 'failed', message: `no value for ${line.name}: name a file or type it` };
  const bad = valueError(kind, value);
  if (bad !== null) {
    value.fill(0);
    return { kind: 'failed', message: bad };
  }
  const plan: CreatePlan = { line, value };
  return { kind: 'plan', impact: createImpact(kind, plan), plan };
}

export function releaseCreate(plan: unknown): void {
  const value = (plan as Partial<CreatePlan> | null)?.value;
  if (Buffer.isBuffer(value)) value.fill(0);
}

export function createAction(kind: SecretKind): ActionSpec {
  return {
    id: `${kind}.create`,
    label: `Create a ${kind}`,
    key: 'n',
    command: `create-${kind}`,
    targets: kind,
    creates: true,
    mutating: true,
    dangerous: true,
    available: () => true,
    input: {
      kind: 'text',
      prompt: createPrompt(kind),
      initial: () => '',
      validate: (raw, state) => {
        const line = parseCreateLine(raw, kind);
        if (typeof line === 'string') return line;
        return findByName(state, kind, line.name) ? `${kind} ${line.name} exists already (R rotates it to a new version)` : null;
      },
    },
    value: {
      prompt: kind === 'secret' ? 'value (masked; one line — name a file for more)' : 'content (one line — name a file for more)',
      masked: kind === 'secret',
      needed: (_state, _target, input) => {
        const line = parseCreateLine(input ?? '', kind);
        return typeof line !== 'string' && line.file === null;
      },
    },
    impact: (_state, _target, input) => [`${kind} ${input ?? ''} is created.`],
    prepare: (_ctx, _state, _target, input, more) => prepareCreate(kind, input, more?.value ?? null),
    release: releaseCreate,
    run: (ctx, target, _input, plan) =>
      attempt(target, async () => {
        const p = plan as CreatePlan | undefined;
        if (!p) return { kind: 'refused', message: 'no confirmed plan: nothing was created' };
        try {
          const id = await createSecretObject(ctx.connection, kind, { name: p.line.name, labels: p.line.labels, data: p.value, templateDriver: p.line.templateDriver });
          return `${kind} ${p.line.name} created (${id.slice(0, 12)})`;
        } finally {
          p.value.fill(0);
        }
      }),
  };
}
