import { describe, expect, it } from 'vitest';
import { checkConstraint } from '../../src/actions/spec/constraints.js';
import { policyText, replacementOf, specImpact } from '../../src/actions/spec/impact.js';
import { mergeSpecs } from '../../src/actions/spec/merge.js';
import {
  parseEnvEdit, parseImage, parseLabelsEdit, parsePlacementEdit, parsePolicyEdit, parsePortsEdit, parseResourcesEdit, parseRestartEdit, redactWords, type Parsed,
} from '../../src/actions/spec/quick.js';
import { isBlank, parseSpecYaml, specToYaml, withErrors, type Spec } from '../../src/actions/spec/spec-yaml.js';
import { formatDuration, parseCpus, parseDuration, parseMemory } from '../../src/actions/spec/units.js';

const base = (): Spec => ({
  Name: 'web',
  Labels: { 'com.docker.stack.namespace': 'shop' },
  TaskTemplate: {
    ContainerSpec: { Image: 'local/busybox:1', Env: ['A=1', 'DB_PASSWORD=hunter2'], Isolation: 'default', Init: false },
    Resources: { Limits: {}, Reservations: {} },
    Placement: { Constraints: ['node.role==worker'] },
    ForceUpdate: 0,
    Runtime: 'container',
  },
  Mode: { Replicated: { Replicas: 3 } },
  UpdateConfig: { Parallelism: 1, Delay: 10e9, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
  EndpointSpec: { Mode: 'vip' },
});

function apply(p: Parsed, spec = base()): Spec {
  if (typeof p === 'string') throw new Error(p);
  return p.change(structuredClone(spec));
}

describe('values as operators type them', () => {
  it('memory, CPUs and durations in the docker CLI vocabulary', () => {
    expect(parseMemory('512m')).toBe(512 * 1024 ** 2);
    expect(parseMemory('512Mi')).toBe(512 * 1024 ** 2);
    expect(parseMemory('1g')).toBe(1024 ** 3);
    expect(parseMemory('1GiB')).toBe(1024 ** 3);
    expect(parseMemory('lots')).toMatch(/not a size/);
    expect(parseCpus('0.5')).toBe(5e8);
    expect(parseCpus('half')).toMatch(/not a number of CPUs/);
    expect(parseDuration('1m30s')).toBe(90e9);
    expect(parseDuration('500ms')).toBe(5e8);
    expect(parseDuration('10')).toMatch(/not a duration/);
    expect(formatDuration(90e9)).toBe('1m30s');
    expect(formatDuration(5e8)).toBe('500ms');
  });

  it('constraints in the engine syntax, with its keys', () => {
    expect(checkConstraint('node.labels.zone==a')).toBeNull();
    expect(checkConstraint('node.role != manager')).toBeNull();
    expect(checkConstraint('node.labels.zone=a')).toMatch(/KEY==VALUE/);
    expect(checkConstraint('node.colour==red')).toMatch(/unknown key "node.colour"/);
    expect(checkConstraint('node.role==boss')).toMatch(/manager or worker/);
  });
});

describe('quick edits change only their fields', () => {
  it('env: set keeps its place, new go last, -KEY removes; quotes keep spaces; secret values masked in the audit form', () => {
    const after = apply(parseEnvEdit('A=2 "GREETING=hello world" -DB_PASSWORD'));
    expect((after.TaskTemplate as { ContainerSpec: { Env: string[] } }).ContainerSpec.Env).toEqual(['A=2', 'GREETING=hello world']);
    expect(parseEnvEdit('A')).toMatch(/KEY=VALUE/);
    expect(parseEnvEdit('A=1 -A')).toMatch(/appears twice|both set and removed/);
    expect(redactWords('API_TOKEN=abc LOG=debug')).toBe('API_TOKEN=••• LOG=debug');
  });

  it('ports: publish, replace, unpublish by target; bad ports refused', () => {
    const after = apply(parsePortsEdit('8080:80 5353:53/udp@host'));
    expect((after.EndpointSpec as { Ports: unknown[] }).Ports).toEqual([
      { Protocol: 'tcp', TargetPort: 80, PublishedPort: 8080, PublishMode: 'ingress' },
      { Protocol: 'udp', TargetPort: 53, PublishedPort: 5353, PublishMode: 'host' },
    ]);
    expect((apply(parsePortsEdit('-80'), after).EndpointSpec as { Ports: unknown[] }).Ports).toHaveLength(1);
    expect(parsePortsEdit('99999:80')).toMatch(/1\.\.65535/);
  });

  it('placement, resources, policies, restart, labels, image', () => {
    const placed = apply(parsePlacementEdit('node.labels.zone==a -node.role==worker spread=node.labels.rack'));
    expect((placed.TaskTemplate as { Placement: unknown }).Placement).toEqual({ Constraints: ['node.labels.zone==a'], Preferences: [{ Spread: { SpreadDescriptor: 'node.labels.rack' } }] });
    expect(parsePlacementEdit('node.label.zone==a')).toMatch(/unknown key/);
    const limited = apply(parseResourcesEdit('limit-cpu=0.5 limit-memory=512Mi'));
    expect((limited.TaskTemplate as { Resources: unknown }).Resources).toEqual({ Limits: { NanoCPUs: 5e8, MemoryBytes: 512 * 1024 ** 2 }, Reservations: {} });
    expect(parseResourcesEdit('limit-memory=lots')).toMatch(/limit-memory: "lots" is not a size/);
    expect(apply(parsePolicyEdit('parallelism=2 order=start-first failure-action=rollback', 'UpdateConfig')).UpdateConfig).toMatchObject({ Parallelism: 2, Order: 'start-first', FailureAction: 'rollback', Delay: 10e9 });
    expect(parsePolicyEdit('failure-action=rollback', 'RollbackConfig')).toMatch(/pause, continue/);
    expect((apply(parseRestartEdit('condition=on-failure delay=5s max-attempts=3')).TaskTemplate as { RestartPolicy: unknown }).RestartPolicy).toEqual({ Condition: 'on-failure', Delay: 5e9, MaxAttempts: 3 });
    expect(apply(parseLabelsEdit('tier=front -com.docker.stack.namespace')).Labels).toEqual({ tier: 'front' });
    expect(((apply(parseImage('local/busybox:2')).TaskTemplate as { ContainerSpec: { Image: string } }).ContainerSpec).Image).toBe('local/busybox:2');
    expect(parseImage('bad image')).toMatch(/no spaces/);
  });
});

describe('the spec in the editor', () => {
  it('round-trips every field exactly, comments ignored', () => {
    const text = specToYaml(base(), ['a header line']);
    expect(text.startsWith('# a header line\n')).toBe(true);
    const parsed = parseSpecYaml(text, base());
    expect(parsed).toEqual({ ok: true, spec: base() });
    expect(isBlank('# only\n\n# comments\n')).toBe(true);
  });

  it('invalid YAML says where (line and column); re-opening keeps the text with the error on top', () => {
    const parsed = parseSpecYaml('Name: web\nMode:\n  Replicated:\n   Replicas: 3\n  - oops\n', base());
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems[0]).toMatch(/^line \d+, column \d+: invalid YAML/);
    const again = withErrors('Name: web\n', parsed.problems);
    expect(again).toMatch(/^# error: line/);
    expect(withErrors(again, ['fixed?'])).toBe('# error: fixed?\nName: web\n');
  });

  it('invalid values name the field and its line: replicas, memory as text, a rename, a mode change, a constraint', () => {
    const text = specToYaml(base(), []).replace('Replicas: 3', 'Replicas: -1').replace('Image: local/busybox:1', 'Image: ""').replace('node.role==worker', 'node.roel==worker');
    const parsed = parseSpecYaml(text, base());
    if (parsed.ok) throw new Error('expected problems');
    const lineOf = (needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(parsed.problems).toContainEqual(expect.stringMatching(new RegExp(`^line ${lineOf('Replicas: -1')}, column \\d+: Mode.Replicated.Replicas: must be a whole number from 0`)));
    expect(parsed.problems).toContainEqual(expect.stringMatching(/TaskTemplate.ContainerSpec.Image: must name an image/));
    expect(parsed.problems).toContainEqual(expect.stringMatching(/TaskTemplate.Placement.Constraints\[0\]: constraint "node.roel==worker": unknown key/));
    const renamed = parseSpecYaml(specToYaml({ ...base(), Name: 'web2', Mode: { Global: {} } }, []), base());
    if (renamed.ok) throw new Error('expected problems');
    expect(renamed.problems.join('\n')).toMatch(/cannot be renamed/);
    expect(renamed.problems.join('\n')).toMatch(/mode of a service cannot change/);
  });
});

describe('what a change costs', () => {
  it('TaskTemplate and EndpointSpec changes replace every task; replicas, labels and policies do not', () => {
    expect(replacementOf('TaskTemplate.ContainerSpec.Image')).toBe('all');
    expect(replacementOf('EndpointSpec.Ports[8080]')).toBe('all');
    expect(replacementOf('TaskTemplate.Placement.Constraints')).toBe('placement');
    expect(replacementOf('Mode.Replicated.Replicas')).toBe('none');
    const before = base();
    const after = apply(parseEnvEdit('LOG_LEVEL=debug API_KEY=s3cr3t'), { ...before, Mode: { Replicated: { Replicas: 5 } } });
    const impact = specImpact(before, after, { name: 'web', liveTasks: 3, stack: 'shop' });
    expect(impact.replacesTasks).toBe(true);
    expect(impact.diff).toEqual(['Mode.Replicated.Replicas: 3 → 5', 'TaskTemplate.ContainerSpec.Env: + LOG_LEVEL=debug', 'TaskTemplate.ContainerSpec.Env: + API_KEY=•••']);
    expect(impact.notes[0]).toBe('Every task of web (3) is replaced, rolling 1 at a time, 10s apart, stop-first, on failure: pause, monitor 5s — because of TaskTemplate.ContainerSpec.Env.');
    expect(impact.notes[1]).toBe('Also changed, replacing no task by itself: Mode.Replicated.Replicas (replicas 3 → 5: 2 tasks start).');
    expect(impact.notes[2]).toMatch(/belongs to stack shop: the next `docker stack deploy` of its file sets 3 changed fields back/);
    const labelsOnly = specImpact(before, apply(parseLabelsEdit('tier=front')), { name: 'web', liveTasks: 3, stack: null });
    expect(labelsOnly.replacesTasks).toBe(false);
    expect(labelsOnly.notes).toEqual(['No running task is replaced: Labels.tier.']);
    expect(policyText(undefined)).toBe('1 at a time, 0s apart, stop-first, on failure: pause, monitor 5s');
  });
});

describe('merging the operator\'s edit onto a spec changed meanwhile', () => {
  it('keeps both sides\' changes, by item in lists; a field both changed keeps the operator\'s value and is named', () => {
    const b = base();
    const mine = apply(parseEnvEdit('LOG=debug'), { ...b, Mode: { Replicated: { Replicas: 5 } } });
    const theirs = apply(parseEnvEdit('OTHER=1'), { ...b, Labels: { ...b.Labels as object, touched: '1' }, Mode: { Replicated: { Replicas: 4 } } });
    const { merged, conflicts } = mergeSpecs(b, mine, theirs);
    const m = merged as Spec;
    expect((m.TaskTemplate as { ContainerSpec: { Env: string[] } }).ContainerSpec.Env).toEqual(['A=1', 'DB_PASSWORD=hunter2', 'OTHER=1', 'LOG=debug']);
    expect(m.Labels).toEqual({ 'com.docker.stack.namespace': 'shop', touched: '1' });
    expect(m.Mode).toEqual({ Replicated: { Replicas: 5 } });
    expect(conflicts).toEqual(['Mode.Replicated.Replicas']);
  });
});

describe('checks apply to what the operator changed', () => {
  it('a value the engine already holds is not reported; the same value typed anew is', () => {
    const odd = { ...base(), TaskTemplate: { ...(base().TaskTemplate as object), Placement: { Constraints: ['node.role==boss'] } } };
    expect(parseSpecYaml(specToYaml(odd, []), odd)).toMatchObject({ ok: true });
    expect(parseSpecYaml(specToYaml(odd, []), base())).toMatchObject({ ok: false });
  });
});

describe('prompts start from the current values', () => {
  it('labels with spaces come back quoted, so submitting them unchanged changes nothing', async () => {
    const { ACTIONS } = await import('../../src/actions/registry.js');
    const { sampleCluster } = await import('../fixtures/cluster.js');
    const state = sampleCluster();
    const web = state.services.get('web')!;
    const s = { ...state, services: new Map([...state.services, ['web', { ...web, labels: { owner: 'team a', tier: 'front' } }]]) };
    const labels = ACTIONS.find((a) => a.id === 'service.labels')!;
    const line = labels.input!.initial(s, { kind: 'service', id: 'web', version: 1 });
    expect(line).toBe('"owner=team a" tier=front');
    expect(apply(parseLabelsEdit(line), { Labels: { owner: 'team a', tier: 'front' } }).Labels).toEqual({ owner: 'team a', tier: 'front' });
  });
});
