import { sameValue } from '../spec-diff.js';
import { checkConstraint, checkPreference } from './constraints.js';

/**
 * Checks a service spec before it is sent, so an operator gets "Mode.Replicated.Replicas must be a whole
 * number ≥ 0" at the right line rather than the engine's first complaint (or worse, none: a constraint
 * no node meets). Only fields with known rules are checked; anything else is the engine's to judge, and
 * its own message is shown in full if it refuses.
 */

export type Path = readonly (string | number)[];

export interface Problem {
  path: Path;
  message: string;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function pathText(path: Path): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

class Checker {
  readonly problems: Problem[] = [];

  fail(path: Path, message: string): void {
    this.problems.push({ path, message: `${pathText(path)}: ${message}` });
  }

  /** The value at path when it is an object (absent: null; another type: a problem). */
  object(root: Obj, path: Path): Obj | null {
    const v = at(root, path);
    if (v === undefined || v === null) return null;
    if (!isObj(v)) {
      this.fail(path, 'must be a mapping of fields');
      return null;
    }
    return v;
  }

  int(root: Obj, path: Path, min: number, max = Number.MAX_SAFE_INTEGER, unit = ''): void {
    const v = at(root, path);
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) this.fail(path, `must be a whole number${unit} from ${min}${max === Number.MAX_SAFE_INTEGER ? '' : ` to ${max}`}`);
  }

  ratio(root: Obj, path: Path): void {
    const v = at(root, path);
    if (v === undefined || v === null) return;
    if (typeof v !== 'number' || v < 0 || v > 1) this.fail(path, 'must be a number from 0 to 1');
  }

  oneOf(root: Obj, path: Path, values: readonly string[]): void {
    const v = at(root, path);
    if (v === undefined || v === null || v === '') return;
    if (typeof v !== 'string' || !values.includes(v)) this.fail(path, `must be one of ${values.join(', ')}`);
  }

  strings(root: Obj, path: Path, each?: (s: string) => string | null): void {
    const v = at(root, path);
    if (v === undefined || v === null) return;
    if (!Array.isArray(v)) {
      this.fail(path, 'must be a list');
      return;
    }
    v.forEach((item, i) => {
      if (typeof item !== 'string') this.fail([...path, i], 'must be a string');
      else {
        const why = each?.(item) ?? null;
        if (why !== null) this.fail([...path, i], why);
      }
    });
  }

  stringMap(root: Obj, path: Path): void {
    const v = at(root, path);
    if (v === undefined || v === null) return;
    if (!isObj(v)) {
      this.fail(path, 'must be a mapping of names to strings');
      return;
    }
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'string') this.fail([...path, k], 'must be a string (quote numbers and booleans: "1", "true")');
  }
}

export function at(root: unknown, path: Path): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined;
    else cur = isObj(cur) ? cur[key] : undefined;
  }
  return cur;
}

const MODES = ['Replicated', 'Global', 'ReplicatedJob', 'GlobalJob'];
const NS = ' (nanoseconds)';

function modeKind(spec: unknown): string | null {
  const mode = at(spec, ['Mode']);
  if (!isObj(mode)) return null;
  const kinds = Object.keys(mode).filter((k) => MODES.includes(k));
  return kinds.length === 1 ? kinds[0] ?? null : null;
}

function checkPolicy(c: Checker, spec: Obj, key: 'UpdateConfig' | 'RollbackConfig'): void {
  if (c.object(spec, [key]) === null) return;
  c.int(spec, [key, 'Parallelism'], 0);
  c.int(spec, [key, 'Delay'], 0, undefined, NS);
  c.int(spec, [key, 'Monitor'], 0, undefined, NS);
  c.ratio(spec, [key, 'MaxFailureRatio']);
  c.oneOf(spec, [key, 'FailureAction'], key === 'UpdateConfig' ? ['continue', 'pause', 'rollback'] : ['continue', 'pause']);
  c.oneOf(spec, [key, 'Order'], ['stop-first', 'start-first']);
}

function checkTask(c: Checker, spec: Obj): void {
  const tt = c.object(spec, ['TaskTemplate']);
  if (tt === null) {
    c.fail(['TaskTemplate'], 'is required (it says what every task runs)');
    return;
  }
  const cs = c.object(spec, ['TaskTemplate', 'ContainerSpec']);
  if (cs !== null) {
    const image = cs.Image;
    if (typeof image !== 'string' || image.trim() === '') c.fail(['TaskTemplate', 'ContainerSpec', 'Image'], 'must name an image');
    else if (/\s/.test(image)) c.fail(['TaskTemplate', 'ContainerSpec', 'Image'], 'must not contain spaces');
    c.strings(spec, ['TaskTemplate', 'ContainerSpec', 'Env'], (e) => (e.startsWith('=') ? 'an environment variable needs a name before =' : null));
    c.strings(spec, ['TaskTemplate', 'ContainerSpec', 'Args']);
    c.strings(spec, ['TaskTemplate', 'ContainerSpec', 'Command']);
    c.stringMap(spec, ['TaskTemplate', 'ContainerSpec', 'Labels']);
  }
  for (const kind of ['Limits', 'Reservations']) {
    if (c.object(spec, ['TaskTemplate', 'Resources', kind]) === null) continue;
    c.int(spec, ['TaskTemplate', 'Resources', kind, 'NanoCPUs'], 0, undefined, ' (1 CPU = 1000000000)');
    c.int(spec, ['TaskTemplate', 'Resources', kind, 'MemoryBytes'], 0, undefined, ' (bytes)');
  }
  if (c.object(spec, ['TaskTemplate', 'RestartPolicy']) !== null) {
    c.oneOf(spec, ['TaskTemplate', 'RestartPolicy', 'Condition'], ['none', 'on-failure', 'any']);
    c.int(spec, ['TaskTemplate', 'RestartPolicy', 'Delay'], 0, undefined, NS);
    c.int(spec, ['TaskTemplate', 'RestartPolicy', 'Window'], 0, undefined, NS);
    c.int(spec, ['TaskTemplate', 'RestartPolicy', 'MaxAttempts'], 0);
  }
  if (c.object(spec, ['TaskTemplate', 'Placement']) !== null) {
    c.strings(spec, ['TaskTemplate', 'Placement', 'Constraints'], checkConstraint);
    c.int(spec, ['TaskTemplate', 'Placement', 'MaxReplicas'], 0);
  }
  c.int(spec, ['TaskTemplate', 'ForceUpdate'], 0);
}

function checkPorts(c: Checker, spec: Obj): void {
  if (c.object(spec, ['EndpointSpec']) === null) return;
  c.oneOf(spec, ['EndpointSpec', 'Mode'], ['vip', 'dnsrr']);
  const ports = at(spec, ['EndpointSpec', 'Ports']);
  if (ports === undefined || ports === null) return;
  if (!Array.isArray(ports)) {
    c.fail(['EndpointSpec', 'Ports'], 'must be a list');
    return;
  }
  ports.forEach((_p, i) => {
    const base = ['EndpointSpec', 'Ports', i];
    if (c.object(spec, base) === null) return;
    if (at(spec, [...base, 'TargetPort']) === undefined) c.fail([...base, 'TargetPort'], 'is required (the port inside the container)');
    c.int(spec, [...base, 'TargetPort'], 1, 65535);
    c.int(spec, [...base, 'PublishedPort'], 0, 65535);
    c.oneOf(spec, [...base, 'Protocol'], ['tcp', 'udp', 'sctp']);
    c.oneOf(spec, [...base, 'PublishMode'], ['ingress', 'host']);
  });
}

/**
 * Every problem of `spec` (parsed from the operator's text); `before` is the spec it was edited from.
 * A value the operator left as it was is not theirs to fix: the engine accepted it, so it is not reported.
 */
export function validateServiceSpec(spec: unknown, before: Readonly<Record<string, unknown>> | null): Problem[] {
  const problems = checkAll(spec, before);
  return before === null ? problems : problems.filter((p) => p.path.length === 0 || !sameValue(at(spec, p.path), at(before, p.path)));
}

function checkAll(spec: unknown, before: Readonly<Record<string, unknown>> | null): Problem[] {
  const c = new Checker();
  if (!isObj(spec)) {
    c.fail([], 'the spec must be a mapping of fields (Name, TaskTemplate, Mode, ...)');
    return c.problems;
  }
  if (typeof spec.Name !== 'string' || spec.Name.trim() === '') c.fail(['Name'], 'must name the service');
  else if (before && typeof before.Name === 'string' && spec.Name !== before.Name) c.fail(['Name'], `a service cannot be renamed (it is ${before.Name}); create a new one instead`);
  const kind = modeKind(spec);
  if (spec.Mode !== undefined && kind === null) c.fail(['Mode'], `must hold exactly one of ${MODES.join(', ')}`);
  const beforeKind = before ? modeKind(before) : null;
  if (kind !== null && beforeKind !== null && kind !== beforeKind) c.fail(['Mode'], `the mode of a service cannot change (it is ${beforeKind}); create a new service instead`);
  c.int(spec, ['Mode', 'Replicated', 'Replicas'], 0);
  c.stringMap(spec, ['Labels']);
  checkTask(c, spec);
  checkPolicy(c, spec, 'UpdateConfig');
  checkPolicy(c, spec, 'RollbackConfig');
  checkPorts(c, spec);
  const prefs = at(spec, ['TaskTemplate', 'Placement', 'Preferences']);
  if (Array.isArray(prefs)) {
    prefs.forEach((p, i) => {
      const desc = at(p, ['Spread', 'SpreadDescriptor']);
      if (typeof desc !== 'string' || checkPreference(`spread=${desc}`) !== null) c.fail(['TaskTemplate', 'Placement', 'Preferences', i], 'must be {Spread: {SpreadDescriptor: node.labels.NAME}}');
    });
  }
  return c.problems;
}
