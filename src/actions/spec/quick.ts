import { redactAssignment } from '../spec-diff.js';
import { checkConstraint, checkPreference } from './constraints.js';
import { parseCpus, parseDuration, parseMemory } from './units.js';
import type { Spec } from './spec-yaml.js';

/**
 * The one-line quick edits, in the docker CLI's vocabulary: each parses the operator's line into a change
 * (or a message saying what is wrong, before anything is read or sent) and applies it to a copy of the
 * spec as the engine returned it, touching only the fields it is about.
 */

type Obj = Record<string, unknown>;

function obj(v: unknown): Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Obj) } : {};
}

function list(v: unknown): unknown[] {
  return Array.isArray(v) ? [...(v as unknown[])] : [];
}

/** Splits a line on spaces; "double" or 'single' quotes keep spaces inside one word. */
export function words(line: string): string[] | string {
  const out: string[] = [];
  let cur = '';
  let quote: '"' | "'" | null = null;
  let inWord = false;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = null;
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) return `unclosed ${quote} quote`;
  if (inWord) out.push(cur);
  return out;
}

export type SpecChange = (spec: Spec) => Spec;
export type Parsed = { change: SpecChange; summary: string } | string;

function withTask(spec: Spec, fn: (tt: Obj) => void): Spec {
  const tt = obj(spec.TaskTemplate);
  fn(tt);
  return { ...spec, TaskTemplate: tt };
}

function withContainer(spec: Spec, fn: (cs: Obj) => void): Spec {
  return withTask(spec, (tt) => {
    const cs = obj(tt.ContainerSpec);
    fn(cs);
    tt.ContainerSpec = cs;
  });
}

const ENV_NAME = /^[^=\s]+$/;

interface SetRemove {
  set: Map<string, string>;
  remove: Set<string>;
}

/**
 * `KEY=VALUE` and `-KEY` words (env, labels): each key at most once. `bare` is what a word without = means
 * (labels: a key with an empty value; env: an error, said by bare()).
 */
function setAndRemove(line: string, empty: string, bare: (w: string) => string | null): SetRemove | string {
  const ws = words(line);
  if (typeof ws === 'string') return ws;
  if (ws.length === 0) return empty;
  const set = new Map<string, string>();
  const remove = new Set<string>();
  for (const w of ws) {
    const minus = w.startsWith('-');
    const eq = w.indexOf('=');
    const k = minus ? w.slice(1) : eq < 0 ? w : w.slice(0, eq);
    if (!ENV_NAME.test(k)) return `"${redactAssignment(w)}": ${minus ? 'write -KEY to remove one' : 'a name cannot be empty or contain spaces'}`;
    if (!minus && eq < 0) {
      const why = bare(w);
      if (why !== null) return why;
    }
    if (set.has(k) || remove.has(k)) return `${k} appears twice`;
    if (minus) remove.add(k);
    else set.set(k, eq < 0 ? '' : w.slice(eq + 1));
  }
  return { set, remove };
}

function setRemoveSummary({ set, remove }: SetRemove): string {
  return [...[...set.keys()].map((k) => `set ${k}`), ...[...remove].map((k) => `remove ${k}`)].join(', ');
}

/** `KEY=VAL` sets, `-KEY` removes (like --env-add / --env-rm). */
export function parseEnvEdit(line: string): Parsed {
  const sr = setAndRemove(line, 'write KEY=VALUE to set a variable, -KEY to remove one', (w) => `"${w}": write KEY=VALUE (an empty value is KEY=)`);
  if (typeof sr === 'string') return sr;
  const { set, remove } = sr;
  return {
    summary: setRemoveSummary(sr),
    change: (spec) => withContainer(spec, (cs) => {
      const env = list(cs.Env).filter((e): e is string => typeof e === 'string');
      const name = (e: string): string => (e.includes('=') ? e.slice(0, e.indexOf('=')) : e);
      // A variable set again keeps its place in the list; new ones go at the end.
      const kept = env.filter((e) => !remove.has(name(e))).map((e) => (set.has(name(e)) ? `${name(e)}=${set.get(name(e)) ?? ''}` : e));
      const added = [...set].filter(([k]) => !env.some((e) => name(e) === k)).map(([k, v]) => `${k}=${v}`);
      cs.Env = [...kept, ...added];
    }),
  };
}

/** Env-style text for the audit log and the dialog: values of secret-looking names masked. */
export function redactWords(line: string): string {
  const ws = words(line);
  return typeof ws === 'string' ? line.replace(/=\S*/g, '=•••') : ws.map(redactAssignment).join(' ');
}

interface PortSpec {
  Protocol: string;
  TargetPort: number;
  PublishedPort?: number;
  PublishMode: string;
}

const PORT = /^(?:(\d+):)?(\d+)(?:\/(tcp|udp|sctp))?(?:@(host|ingress))?$/;
const PORT_RM = /^-(\d+)(?:\/(tcp|udp|sctp))?$/;

function portNumber(s: string, min: number): number | null {
  const n = Number(s);
  return Number.isInteger(n) && n >= min && n <= 65535 ? n : null;
}

/** `8080:80`, `8443:443/tcp@host`, `80` (the swarm picks the published port), `-80/udp` removes by target (like --publish-rm). */
export function parsePortsEdit(line: string): Parsed {
  const ws = words(line);
  if (typeof ws === 'string') return ws;
  if (ws.length === 0) return 'write PUBLISHED:TARGET[/PROTO][@host] to publish, -TARGET[/PROTO] to unpublish';
  const add: PortSpec[] = [];
  const remove: { target: number; protocol: string | null }[] = [];
  for (const w of ws) {
    const rm = PORT_RM.exec(w);
    if (rm) {
      const target = portNumber(rm[1] ?? '', 1);
      if (target === null) return `"${w}": a port is 1..65535`;
      remove.push({ target, protocol: rm[2] ?? null });
      continue;
    }
    const m = PORT.exec(w.replace(/^\+/, ''));
    if (!m) return `"${w}": write PUBLISHED:TARGET[/tcp|udp|sctp][@host], e.g. 8080:80 or 5353:53/udp`;
    const target = portNumber(m[2] ?? '', 1);
    const published = m[1] === undefined ? 0 : portNumber(m[1], 1);
    if (target === null || published === null) return `"${w}": a port is 1..65535`;
    add.push({ Protocol: m[3] ?? 'tcp', TargetPort: target, ...(published > 0 ? { PublishedPort: published } : {}), PublishMode: m[4] ?? 'ingress' });
  }
  const taken = new Set<string>();
  for (const p of add) {
    const k = `${p.PublishedPort ?? `t${p.TargetPort}`}/${p.Protocol}`;
    if (taken.has(k)) return `port ${k} appears twice`;
    taken.add(k);
  }
  return {
    summary: [...add.map((p) => `publish ${p.PublishedPort ?? '(any)'}:${p.TargetPort}/${p.Protocol}`), ...remove.map((r) => `unpublish ${r.target}${r.protocol ? `/${r.protocol}` : ''}`)].join(', '),
    change: (spec) => {
      const ep = obj(spec.EndpointSpec);
      const ports = list(ep.Ports).filter((p) => {
        const o = obj(p);
        const proto = typeof o.Protocol === 'string' ? o.Protocol : 'tcp';
        if (remove.some((r) => r.target === o.TargetPort && (r.protocol === null || r.protocol === proto))) return false;
        // A port published again replaces the old mapping of the same published port (or target).
        return !add.some((a) => a.Protocol === proto && (a.PublishedPort !== undefined ? a.PublishedPort === o.PublishedPort : a.TargetPort === o.TargetPort));
      });
      return { ...spec, EndpointSpec: { ...ep, Ports: [...ports, ...add] } };
    },
  };
}

/** `node.labels.zone==a` adds a constraint, `-node.role==manager` removes one, `spread=node.labels.rack` / `-spread=…` a preference. */
export function parsePlacementEdit(line: string): Parsed {
  const ws = words(line);
  if (typeof ws === 'string') return ws;
  if (ws.length === 0) return 'write a constraint (node.labels.zone==a), -constraint to remove it, spread=node.labels.NAME for a preference';
  const addC: string[] = [];
  const rmC: string[] = [];
  const addP: string[] = [];
  const rmP: string[] = [];
  for (const w of ws) {
    const minus = w.startsWith('-');
    const body = minus ? w.slice(1) : w.replace(/^\+/, '');
    if (body.startsWith('spread=')) {
      const why = checkPreference(body);
      if (why) return why;
      (minus ? rmP : addP).push(body.slice('spread='.length));
    } else {
      // One being removed only has to be recognisable: whatever the engine holds may go.
      const why = minus ? (/(==|!=)/.test(body) ? null : `"${w}": write -KEY==VALUE as the constraint reads`) : checkConstraint(body);
      if (why) return why;
      (minus ? rmC : addC).push(body.replace(/\s*(==|!=)\s*/, '$1'));
    }
  }
  return {
    summary: [...addC.map((c) => `+${c}`), ...rmC.map((c) => `-${c}`), ...addP.map((p) => `+spread=${p}`), ...rmP.map((p) => `-spread=${p}`)].join(', '),
    change: (spec) => withTask(spec, (tt) => {
      const pl = obj(tt.Placement);
      const cons = list(pl.Constraints).filter((c) => typeof c === 'string' && !rmC.includes(c.replace(/\s*(==|!=)\s*/, '$1')));
      for (const c of addC) if (!cons.includes(c)) cons.push(c);
      const prefs = list(pl.Preferences).filter((p) => !rmP.includes(String(obj(obj(p).Spread).SpreadDescriptor)));
      for (const p of addP) if (!prefs.some((x) => obj(obj(x).Spread).SpreadDescriptor === p)) prefs.push({ Spread: { SpreadDescriptor: p } });
      const next: Obj = { ...pl };
      if (cons.length > 0) next.Constraints = cons;
      else delete next.Constraints;
      if (prefs.length > 0) next.Preferences = prefs;
      else delete next.Preferences;
      tt.Placement = next;
    }),
  };
}

/** `KEY=VALUE` settings of one line, each key at most once, from a fixed vocabulary. */
function settings(line: string, keys: readonly string[]): Map<string, string> | string {
  const ws = words(line);
  if (typeof ws === 'string') return ws;
  if (ws.length === 0) return `write ${keys.map((k) => `${k}=…`).join(' ')}`;
  const out = new Map<string, string>();
  for (const w of ws) {
    const eq = w.indexOf('=');
    const k = eq < 0 ? w : w.slice(0, eq);
    if (!keys.includes(k) || eq < 0) return `"${w}": write KEY=VALUE with KEY one of ${keys.join(', ')}`;
    if (out.has(k)) return `${k} appears twice`;
    out.set(k, w.slice(eq + 1));
  }
  return out;
}

const RESOURCE_KEYS = ['limit-cpu', 'limit-memory', 'reserve-cpu', 'reserve-memory'];

/** `limit-cpu=0.5 limit-memory=512m reserve-cpu=0.25 reserve-memory=128Mi`; 0 removes a value. */
export function parseResourcesEdit(line: string): Parsed {
  const s = settings(line, RESOURCE_KEYS);
  if (typeof s === 'string') return s;
  const values = new Map<string, number>();
  for (const [k, v] of s) {
    const n = k.endsWith('cpu') ? parseCpus(v) : parseMemory(v);
    if (typeof n === 'string') return `${k}: ${n}`;
    values.set(k, n);
  }
  return {
    summary: [...s].map(([k, v]) => `${k}=${v}`).join(' '),
    change: (spec) => withTask(spec, (tt) => {
      const res = obj(tt.Resources);
      for (const [kind, prefix] of [['Limits', 'limit'], ['Reservations', 'reserve']] as const) {
        const r = obj(res[kind]);
        for (const [field, unit] of [['NanoCPUs', 'cpu'], ['MemoryBytes', 'memory']] as const) {
          const v = values.get(`${prefix}-${unit}`);
          if (v === undefined) continue;
          if (v === 0) delete r[field];
          else r[field] = v;
        }
        res[kind] = r;
      }
      tt.Resources = res;
    }),
  };
}

const POLICY_KEYS = ['parallelism', 'delay', 'failure-action', 'monitor', 'max-failure-ratio', 'order'];

/** `parallelism=2 delay=10s failure-action=rollback monitor=5s max-failure-ratio=0.1 order=start-first` (--update-* / --rollback-*). */
export function parsePolicyEdit(line: string, which: 'UpdateConfig' | 'RollbackConfig'): Parsed {
  const s = settings(line, POLICY_KEYS);
  if (typeof s === 'string') return s;
  const fields: Obj = {};
  for (const [k, v] of s) {
    switch (k) {
      case 'parallelism': {
        if (!/^\d+$/.test(v)) return `parallelism: a whole number (0: all at once)`;
        fields.Parallelism = Number(v);
        break;
      }
      case 'delay':
      case 'monitor': {
        const ns = parseDuration(v);
        if (typeof ns === 'string') return `${k}: ${ns}`;
        fields[k === 'delay' ? 'Delay' : 'Monitor'] = ns;
        break;
      }
      case 'failure-action': {
        const allowed = which === 'UpdateConfig' ? ['pause', 'continue', 'rollback'] : ['pause', 'continue'];
        if (!allowed.includes(v)) return `failure-action: one of ${allowed.join(', ')}`;
        fields.FailureAction = v;
        break;
      }
      case 'max-failure-ratio': {
        const r = Number(v);
        if (!/^\d*\.?\d+$/.test(v) || r < 0 || r > 1) return 'max-failure-ratio: a number from 0 to 1';
        fields.MaxFailureRatio = r;
        break;
      }
      case 'order': {
        if (v !== 'stop-first' && v !== 'start-first') return 'order: stop-first or start-first';
        fields.Order = v;
        break;
      }
    }
  }
  return { summary: [...s].map(([k, v]) => `${k}=${v}`).join(' '), change: (spec) => ({ ...spec, [which]: { ...obj(spec[which]), ...fields } }) };
}

const RESTART_KEYS = ['condition', 'delay', 'max-attempts', 'window'];

/** `condition=on-failure delay=5s max-attempts=3 window=1m` (--restart-*). */
export function parseRestartEdit(line: string): Parsed {
  const s = settings(line, RESTART_KEYS);
  if (typeof s === 'string') return s;
  const fields: Obj = {};
  for (const [k, v] of s) {
    if (k === 'condition') {
      if (!['none', 'on-failure', 'any'].includes(v)) return 'condition: none, on-failure or any';
      fields.Condition = v;
    } else if (k === 'max-attempts') {
      if (!/^\d+$/.test(v)) return 'max-attempts: a whole number (0: unlimited)';
      fields.MaxAttempts = Number(v);
    } else {
      const ns = parseDuration(v);
      if (typeof ns === 'string') return `${k}: ${ns}`;
      fields[k === 'delay' ? 'Delay' : 'Window'] = ns;
    }
  }
  return {
    summary: [...s].map(([k, v]) => `${k}=${v}`).join(' '),
    change: (spec) => withTask(spec, (tt) => {
      tt.RestartPolicy = { ...obj(tt.RestartPolicy), ...fields };
    }),
  };
}

/** `k=v` sets a service label, `-k` removes it (--label-add / --label-rm). */
export function parseLabelsEdit(line: string): Parsed {
  const sr = setAndRemove(line, 'write key=value to set a label, -key to remove one', () => null);
  if (typeof sr === 'string') return sr;
  const { set, remove } = sr;
  return {
    summary: setRemoveSummary(sr),
    change: (spec) => {
      const labels = obj(spec.Labels);
      for (const k of remove) delete labels[k];
      for (const [k, v] of set) labels[k] = v;
      return { ...spec, Labels: labels };
    },
  };
}

/** set-image: one image reference, no spaces. */
export function parseImage(line: string): Parsed {
  const image = line.trim();
  if (image === '') return 'enter an image reference, e.g. registry.example.com/app:1.2';
  if (/\s/.test(image)) return 'an image reference has no spaces';
  if (!/^[a-z0-9][a-z0-9._\-/:@]*$/i.test(image)) return `"${image}" is not an image reference`;
  return { summary: image, change: (spec) => withContainer(spec, (cs) => void (cs.Image = image)) };
}
