import type { UpdatePolicy } from '../store/model.js';
import type { ClusterState } from '../store/state.js';
import { findService, serviceName } from './lookup.js';
import { prepareChange, runSpecPlan } from './spec/plan.js';
import {
  parseEnvEdit, parseImage, parseLabelsEdit, parsePlacementEdit, parsePolicyEdit, parsePortsEdit, parseResourcesEdit, parseRestartEdit,
  redactWords, type Parsed,
} from './spec/quick.js';
import { formatDuration } from './spec/units.js';
import type { Spec } from './spec/spec-yaml.js';
import type { ActionSpec, ActionTarget } from './types.js';

/**
 * set-image and the quick edits: one line typed in a prompt, then the same plan as an edit in $EDITOR
 * (prepare() reads the spec now, applies the line, checks it and diffs it; the confirmation shows the
 * diff and what it costs; run() sends that spec with the version it was read at).
 */

interface QuickEdit {
  id: string;
  label: string;
  key: string;
  command: string;
  prompt: string;
  initial?: (state: ClusterState, target: ActionTarget) => string;
  parse: (raw: string) => Parsed;
  redact?: (raw: string) => string;
  lead?: (state: ClusterState, target: ActionTarget, before: Spec, after: Spec) => string[];
}

function quickEdit(q: QuickEdit): ActionSpec {
  return {
    id: q.id,
    label: q.label,
    key: q.key,
    command: q.command,
    targets: 'service',
    // Nine keys more would push the footer's own hints off a 120-column line: the `?` help lists them.
    footer: false,
    mutating: true,
    dangerous: true,
    available: (state, target) => (findService(state, target) ? true : 'the service no longer exists'),
    input: {
      kind: 'text',
      prompt: q.prompt,
      initial: (state, target) => q.initial?.(state, target) ?? '',
      validate: (raw) => {
        const p = q.parse(raw);
        return typeof p === 'string' ? p : null;
      },
      ...(q.redact ? { redact: q.redact } : {}),
    },
    // The plan needs the spec as it is now: prepare() computes it (this is only its summary).
    impact: (state, target, input) => {
      const p = q.parse(input ?? '');
      return [typeof p === 'string' ? p : `${serviceName(state, target)}: ${p.summary}`];
    },
    prepare: (ctx, state, target, input) => prepareChange(ctx, state, target, q.parse(input ?? ''), (before, after) => q.lead?.(state, target, before, after) ?? []),
    run: (ctx, target, _input, plan) => runSpecPlan(ctx, target, plan, (p) => `${p.name} updated (${p.audit.length} field${p.audit.length === 1 ? '' : 's'})`),
  };
}

function imageOf(spec: Spec): string {
  const tt = spec.TaskTemplate as { ContainerSpec?: { Image?: unknown } } | undefined;
  return typeof tt?.ContainerSpec?.Image === 'string' ? tt.ContainerSpec.Image : '';
}

export const setImage: ActionSpec = {
  ...quickEdit({
    id: 'service.set-image',
    label: 'Set image',
    key: 'i',
    command: 'set-image',
    prompt: 'image',
    initial: (state, target) => findService(state, target)?.image ?? '',
    parse: parseImage,
    lead: (state, target, before, after) => [`${serviceName(state, target)}: image ${imageOf(before) || '(none)'} → ${imageOf(after)}`],
  }),
  footer: true,
  run: (ctx, target, _input, plan) => runSpecPlan(ctx, target, plan, (p) => `${p.name}: image set to ${imageOf(p.after)}; rolling update started`),
};

/** Current labels as the prompt's words: `k=v`, quoted where a value holds spaces or quotes. */
function labelWords(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels).sort().map((k) => {
    const v = labels[k] ?? '';
    const word = `${k}=${v}`;
    return /[\s"']/.test(word) ? (word.includes('"') ? `'${word}'` : `"${word}"`) : word;
  }).join(' ');
}

function policyLine(p: UpdatePolicy | null): string {
  if (!p) return '';
  return `parallelism=${p.parallelism} delay=${formatDuration(p.delayNs)} failure-action=${p.failureAction} monitor=${formatDuration(p.monitorNs)} max-failure-ratio=${p.maxFailureRatio} order=${p.order}`;
}

export const SERVICE_CHANGE_ACTIONS: readonly ActionSpec[] = [
  setImage,
  quickEdit({
    id: 'service.env', label: 'Environment (KEY=VAL, -KEY)', key: 'e', command: 'env', prompt: 'env (KEY=VAL -KEY, "quotes" for spaces)',
    parse: parseEnvEdit, redact: redactWords,
  }),
  quickEdit({
    id: 'service.publish', label: 'Published ports (8080:80, -80)', key: 'p', command: 'publish', prompt: 'ports (PUBLISHED:TARGET[/udp][@host], -TARGET)',
    parse: parsePortsEdit,
  }),
  quickEdit({
    id: 'service.placement', label: 'Placement (constraints, spread preferences)', key: 'C', command: 'placement',
    prompt: 'placement (node.labels.x==y, -constraint, spread=node.labels.z)', parse: parsePlacementEdit,
  }),
  quickEdit({
    id: 'service.resources', label: 'CPU/memory limits and reservations', key: 'M', command: 'resources',
    prompt: 'resources (limit-cpu=0.5 limit-memory=512m reserve-cpu= reserve-memory=; 0 removes)', parse: parseResourcesEdit,
  }),
  quickEdit({
    id: 'service.update-policy', label: 'Update policy', key: 'u', command: 'update-policy', prompt: 'update policy',
    initial: (state, target) => policyLine(findService(state, target)?.updateConfig ?? null),
    parse: (raw) => parsePolicyEdit(raw, 'UpdateConfig'),
  }),
  quickEdit({
    id: 'service.rollback-policy', label: 'Rollback policy', key: 'b', command: 'rollback-policy', prompt: 'rollback policy',
    initial: (state, target) => policyLine(findService(state, target)?.rollbackConfig ?? null),
    parse: (raw) => parsePolicyEdit(raw, 'RollbackConfig'),
  }),
  quickEdit({
    id: 'service.restart-policy', label: 'Restart policy', key: 't', command: 'restart-policy',
    prompt: 'restart policy (condition=on-failure delay=5s max-attempts=3 window=1m)', parse: parseRestartEdit,
  }),
  quickEdit({
    id: 'service.labels', label: 'Service labels (k=v, -k)', key: 'L', command: 'svc-label', prompt: 'labels (k=v -k)',
    initial: (state, target) => labelWords(findService(state, target)?.labels ?? {}),
    parse: parseLabelsEdit, redact: redactWords,
  }),
];
