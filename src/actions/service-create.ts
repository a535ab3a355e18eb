import { stringify } from 'yaml';
import { createServiceFromSpec } from '../docker/api/write.js';
import type { ClusterState } from '../store/state.js';
import { editText } from './foreground.js';
import { attempt } from './outcome.js';
import { redactAssignment } from './spec-diff.js';
import { checkConstraint } from './spec/constraints.js';
import { parsePortsEdit, redactWords, words } from './spec/quick.js';
import { isBlank, parseSpecYaml, withErrors, type Spec } from './spec/spec-yaml.js';
import type { ActionContext, ActionSpec, ActionTarget, Prepared } from './types.js';

/**
 * Create a service: a one-line form (`NAME IMAGE replicas=2 env=K=V publish=8080:80 network=N secret=S
 * config=C constraint=node.role==worker -- COMMAND ARGS`, the command going to Args as with `docker service create IMAGE COMMAND`) or, with an empty line, $EDITOR on a commented
 * template. Either way the confirmation is a dry run: the spec that will be sent, whole.
 */

const FORM_KEYS = ['replicas', 'mode', 'env', 'publish', 'network', 'secret', 'config', 'constraint'];

export const CREATE_PROMPT = 'NAME IMAGE [replicas=N|mode=global] [env=K=V] [publish=8080:80] [network=N] [secret=S] [config=C] [constraint=…] [-- CMD] (empty: $EDITOR)';

type Resolved = { spec: Spec } | string;

function byName<T extends { id: string; name: string }>(items: Iterable<T>, name: string): T | undefined {
  for (const x of items) if (x.name === name || x.id === name) return x;
  return undefined;
}

/** The form line as a spec, names of networks, secrets and configs resolved from the live state. */
export function specFromForm(line: string, state: ClusterState): Resolved {
  const all = words(line);
  if (typeof all === 'string') return all;
  const dash = all.indexOf('--');
  const ws = dash < 0 ? all : all.slice(0, dash);
  const command = dash < 0 ? [] : all.slice(dash + 1);
  const [name, image, ...opts] = ws;
  if (!name || !image || name.includes('=') || image.includes('=')) return `write ${CREATE_PROMPT}`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) return `"${name}": a service name is letters, digits, _ . -`;
  if ([...state.services.values()].some((s) => s.name === name)) return `a service named ${name} already exists`;
  const env: string[] = [];
  const ports: string[] = [];
  const networks: { Target: string }[] = [];
  const secrets: object[] = [];
  const configs: object[] = [];
  const constraints: string[] = [];
  let mode: Spec = { Replicated: { Replicas: 1 } };
  for (const o of opts) {
    const eq = o.indexOf('=');
    const k = o.slice(0, eq);
    const v = o.slice(eq + 1);
    if (eq < 0 || !FORM_KEYS.includes(k)) return `"${redactAssignment(o)}": options are ${FORM_KEYS.map((x) => `${x}=…`).join(' ')}`;
    switch (k) {
      case 'replicas':
        if (!/^\d+$/.test(v)) return 'replicas: a whole number';
        mode = { Replicated: { Replicas: Number(v) } };
        break;
      case 'mode':
        if (v !== 'global' && v !== 'replicated') return 'mode: replicated or global';
        if (v === 'global') mode = { Global: {} };
        break;
      case 'env':
        if (!/^[^=\s]+=/.test(v)) return `env: write env=KEY=VALUE`;
        env.push(v);
        break;
      case 'publish':
        ports.push(v);
        break;
      case 'network': {
        const n = byName([...state.networks.values()], v);
        if (!n) return `network ${v} does not exist (or is not visible from this manager)`;
        networks.push({ Target: n.id });
        break;
      }
      case 'secret': {
        const s = byName([...state.secrets.values()], v);
        if (!s) return `secret ${v} does not exist`;
        secrets.push({ File: { Name: s.name, UID: '0', GID: '0', Mode: 0o444 }, SecretID: s.id, SecretName: s.name });
        break;
      }
      case 'config': {
        const c = byName([...state.configs.values()], v);
        if (!c) return `config ${v} does not exist`;
        configs.push({ File: { Name: c.name, UID: '0', GID: '0', Mode: 0o444 }, ConfigID: c.id, ConfigName: c.name });
        break;
      }
      case 'constraint': {
        const why = checkConstraint(v);
        if (why) return why;
        constraints.push(v);
        break;
      }
    }
  }
  let endpoint: Spec | null = null;
  if (ports.length > 0) {
    const p = parsePortsEdit(ports.join(' '));
    if (typeof p === 'string') return `publish: ${p}`;
    endpoint = p.change({}).EndpointSpec as Spec;
  }
  const container: Spec = { Image: image, ...(command.length > 0 ? { Args: command } : {}), ...(env.length > 0 ? { Env: env } : {}), ...(secrets.length > 0 ? { Secrets: secrets } : {}), ...(configs.length > 0 ? { Configs: configs } : {}) };
  const spec: Spec = {
    Name: name,
    TaskTemplate: { ContainerSpec: container, ...(constraints.length > 0 ? { Placement: { Constraints: constraints } } : {}), ...(networks.length > 0 ? { Networks: networks } : {}) },
    Mode: mode,
    ...(endpoint ? { EndpointSpec: endpoint } : {}),
  };
  return { spec };
}

const TEMPLATE = `# swarmtop: a new service. Fill it in, save and quit: the whole spec is shown before it is sent.
# Quit without saving, or empty the file, to cancel. Lines starting with # are ignored.
# The fields are the Engine API's ServiceSpec (docker service inspect shows the same shape).
Name: my-service
TaskTemplate:
  ContainerSpec:
    Image: nginx:1.27
    # Command: [sh, -c]
    # Args: ["sleep 1d"]
    # Env: [LOG_LEVEL=info]
  # Placement:
  #   Constraints: [node.role==worker]
  # Resources:
  #   Limits: {NanoCPUs: 500000000, MemoryBytes: 536870912}
  # RestartPolicy: {Condition: on-failure, Delay: 5000000000, MaxAttempts: 3}
  # Networks: [{Target: NETWORK-ID}]
Mode:
  Replicated:
    Replicas: 1
# UpdateConfig: {Parallelism: 1, Delay: 10000000000, FailureAction: rollback, Order: start-first}
# EndpointSpec:
#   Ports: [{Protocol: tcp, TargetPort: 80, PublishedPort: 8080, PublishMode: ingress}]
`;

interface CreatePlan {
  spec: Spec;
  text: string;
  audit: readonly string[];
}

/** The dry run: the spec that will be sent, as YAML lines (env values of secret-looking names masked). */
function dryRun(spec: Spec): string[] {
  const yaml = stringify(spec, { lineWidth: 0 }).trimEnd().split('\n').map((l) => l.replace(/(-\s+|:\s+)([^\s=]+=.*)$/, (_m, p: string, v: string) => `${p}${redactAssignment(v)}`));
  return [`Dry run — the spec that will be sent (POST /services/create):`, ...yaml.map((l) => `  ${l}`)];
}

function planOf(spec: Spec, text: string): Prepared {
  const lines = dryRun(spec);
  return { kind: 'plan', impact: lines, plan: { spec, text, audit: lines.slice(1).map((l) => l.trim()) } satisfies CreatePlan };
}

async function prepareCreate(ctx: ActionContext, state: ClusterState, input: string | null, resume: unknown): Promise<Prepared> {
  if (input !== null && input.trim() !== '') {
    const r = specFromForm(input, state);
    return typeof r === 'string' ? { kind: 'failed', message: r } : planOf(r.spec, stringify(r.spec));
  }
  const start = typeof resume === 'string' ? resume : TEMPLATE;
  const edited = await editText(ctx, start, 'new-service.yaml');
  if (edited.kind === 'failed') return { kind: 'failed', message: `${edited.message}: nothing was created` };
  if (isBlank(edited.text)) return { kind: 'nothing', message: 'the file was emptied: cancelled, nothing was created' };
  const parsed = parseSpecYaml(edited.text, null);
  const taken = parsed.ok && [...state.services.values()].some((s) => s.name === parsed.spec.Name);
  if (!parsed.ok || taken) {
    const problems = parsed.ok ? [`Name: a service named ${String(parsed.spec.Name)} already exists`] : parsed.problems;
    return { kind: 'ask', title: 'the spec is not valid', lines: [...problems, 'Nothing was created.'], question: 're-open the editor with your text', resume: withErrors(edited.text, problems) };
  }
  return planOf(parsed.spec, edited.text);
}

function isCreatePlan(v: unknown): v is CreatePlan {
  return v !== null && typeof v === 'object' && 'spec' in v && typeof v.spec === 'object';
}

export const createService: ActionSpec = {
  id: 'service.create',
  label: 'Create a service',
  key: 'n',
  command: 'create',
  targets: 'service',
  creates: true,
  mutating: true,
  dangerous: true,
  available: () => true,
  input: {
    kind: 'text',
    prompt: CREATE_PROMPT,
    initial: () => '',
    // Names are resolved against the live state when the plan is made.
    validate: (raw) => (raw.trim() === '' || words(raw).length >= 2 ? null : 'write at least NAME IMAGE, or leave it empty to open $EDITOR on a template'),
    redact: redactWords,
  },
  impact: () => ['The spec that will be sent is shown before anything is created.'],
  prepare: (ctx, state, _target, input, more) => prepareCreate(ctx, state, input, more?.resume),
  run: (ctx, target: ActionTarget, _input, plan) => {
    if (!isCreatePlan(plan)) return Promise.resolve({ kind: 'refused', message: 'no confirmed plan: nothing was created' });
    return attempt({ ...target, name: String(plan.spec.Name) }, async () => {
      const { id, warnings } = await createServiceFromSpec(ctx.connection, plan.spec);
      return `${String(plan.spec.Name)} created (${id.slice(0, 12)})${warnings.length > 0 ? ` (engine: ${warnings.join('; ')})` : ''}`;
    });
  },
};
