import { describe, expect, it } from 'vitest';
import {
  forceUpdateService, MAX_REPLICAS, parseReplicas, removeServiceAction, resumeService, rollbackService, scaleService,
} from '../../src/actions/services.js';
import type { ActionTarget } from '../../src/actions/types.js';
import type { UpdatePolicy } from '../../src/store/model.js';
import { clusterState, makeService, makeTask, sampleCluster } from '../fixtures/cluster.js';

const svc = (id: string): ActionTarget => ({ kind: 'service', id, name: id, version: 1 });
const policy = (o: Partial<UpdatePolicy> = {}): UpdatePolicy => ({
  parallelism: 2, delayNs: 10e9, failureAction: 'rollback', monitorNs: 5e9, maxFailureRatio: 0, order: 'start-first', ...o,
});

describe('scale', () => {
  it('applies to replicated services; global services and jobs get a reason', () => {
    const state = clusterState({
      services: [
        makeService({ id: 'web', mode: { kind: 'replicated', replicas: 2 } }),
        makeService({ id: 'agent', mode: { kind: 'global' } }),
        makeService({ id: 'job', mode: { kind: 'replicated-job', maxConcurrent: 1, totalCompletions: 3 } }),
        makeService({ id: 'gjob', mode: { kind: 'global-job' } }),
      ],
    });
    expect(scaleService.available(state, svc('web'))).toBe(true);
    expect(scaleService.available(state, svc('agent'))).toMatch(/global service: it runs one task per eligible node/);
    expect(scaleService.available(state, svc('job'))).toMatch(/is a job/);
    expect(scaleService.available(state, svc('gjob'))).toMatch(/is a job/);
    expect(scaleService.available(state, svc('nope'))).toMatch(/no longer exists/);
  });
  it('validates a whole number 0..10000', () => {
    const state = sampleCluster();
    const input = scaleService.input;
    if (!input) throw new Error('scale takes an input');
    const v = (raw: string): string | null => input.validate(raw, state, svc('web'));
    expect(v('0')).toBeNull();
    expect(v(' 5 ')).toBeNull();
    expect(v(String(MAX_REPLICAS))).toBeNull();
    expect(v('10001')).toMatch(/at most 10000/);
    expect(v('-1')).toMatch(/whole number/);
    expect(v('1.5')).toMatch(/whole number/);
    expect(v('')).toMatch(/whole number/);
    expect(v('3x')).toMatch(/whole number/);
    expect(parseReplicas('007')).toBe(7);
  });
  it('starts from the current count and says how many tasks start or stop', () => {
    const state = sampleCluster();
    expect(scaleService.input?.initial(state, svc('web'))).toBe('2');
    expect(scaleService.impact(state, svc('web'), '5')).toEqual(['web: replicas 2 → 5', '3 tasks start.']);
    expect(scaleService.impact(state, svc('web'), '1')).toEqual(['web: replicas 2 → 1', '1 task stops.']);
    expect(scaleService.impact(state, svc('web'), '2')).toEqual(['web: replicas 2 → 2', 'No change.']);
    expect(scaleService.impact(state, svc('web'), '0').join('\n')).toMatch(/Every task of web stops/);
    expect(scaleService.impact(state, svc('web'), 'x')).toEqual(['enter a whole number of replicas']);
  });
});

describe('force update', () => {
  it('replaces every task, following the update policy', () => {
    const state = sampleCluster();
    const lines = forceUpdateService.impact(state, svc('web'), null);
    expect(lines[0]).toBe('Every task of web (2) is replaced with an identical one.');
    expect(lines[1]).toMatch(/default policy: 1 task at a time, stop-first/);
    expect(lines.join('\n')).toMatch(/stop-first: each replaced task is down/);
  });
  it('describes a configured policy', () => {
    const state = clusterState({ services: [makeService({ id: 'web', updateConfig: policy() })] });
    const lines = forceUpdateService.impact(state, svc('web'), null);
    expect(lines[1]).toBe('Rolling: 2 at a time, 10s apart, start-first, on failure: rollback.');
    expect(lines.join('\n')).not.toMatch(/stop-first:/);
  });
});

describe('roll back', () => {
  it('is unavailable without a previous spec', () => {
    expect(rollbackService.available(sampleCluster(), svc('web'))).toMatch(/no previous spec/);
  });
  it('shows the image it returns to', () => {
    const state = clusterState({
      services: [makeService({ id: 'web', image: 'local/busybox:2', previousImage: 'local/busybox:1', hasPreviousSpec: true, rollbackConfig: policy({ parallelism: 0 }) })],
    });
    expect(rollbackService.available(state, svc('web'))).toBe(true);
    expect(rollbackService.impact(state, svc('web'), null)).toEqual([
      'web: image local/busybox:2 → local/busybox:1',
      'Tasks are replaced: all at once, 10s apart, start-first, on failure: rollback.',
    ]);
  });
  it('same image: says the previous spec differs elsewhere', () => {
    const state = clusterState({ services: [makeService({ id: 'web', previousImage: 'local/busybox:1', hasPreviousSpec: true })] });
    expect(rollbackService.impact(state, svc('web'), null)[0]).toBe('web returns to its previous spec (image stays local/busybox:1).');
  });
});

describe('resume', () => {
  const at = (state: 'paused' | 'rollback_paused' | 'updating' | 'completed') =>
    clusterState({ services: [makeService({ id: 'web', updateStatus: { state, startedAt: 1, completedAt: 0, message: 'update paused due to failure of task t9' } })] });
  it('is offered only for a paused update or rollback', () => {
    expect(resumeService.available(at('paused'), svc('web'))).toBe(true);
    expect(resumeService.available(at('rollback_paused'), svc('web'))).toBe(true);
    expect(resumeService.available(at('updating'), svc('web'))).toMatch(/no paused update/);
    expect(resumeService.available(at('completed'), svc('web'))).toMatch(/no paused update/);
    expect(resumeService.available(sampleCluster(), svc('web'))).toMatch(/no paused update/);
  });
  it('says why it paused', () => {
    expect(resumeService.impact(at('paused'), svc('web'), null)).toEqual([
      'The paused update of web continues with the remaining tasks.',
      'It paused because: update paused due to failure of task t9',
      'If the cause is still there it pauses again; R rolls back instead.',
    ]);
    expect(resumeService.impact(at('rollback_paused'), svc('web'), null)[0]).toMatch(/paused rollback/);
  });
  it('warns that resuming loses the way back to the spec before the update', () => {
    const paused = clusterState({ services: [makeService({
      id: 'web', image: 'local/busybox:2', previousImage: 'local/busybox:1', hasPreviousSpec: true,
      updateStatus: { state: 'paused', startedAt: 1, completedAt: 0, message: 'update paused due to failure of task t9' },
    })] });
    expect(resumeService.impact(paused, svc('web'), null)[3]).toBe(
      'After resuming, R can no longer return to the spec before this update (local/busybox:1): the resumed spec becomes the previous one.',
    );
  });
});

describe('remove', () => {
  it('counts the tasks that stop, released ports and the owning stack', () => {
    const state = clusterState({
      services: [makeService({ id: 'web', stack: 'shop', ports: [{ protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' }] })],
      tasks: [
        makeTask({ id: 't1', serviceId: 'web' }),
        makeTask({ id: 't2', serviceId: 'web', slot: 2 }),
        makeTask({ id: 'old', serviceId: 'web', desiredState: 'shutdown', state: 'shutdown' }),
      ],
    });
    expect(removeServiceAction.impact(state, svc('web'), null)).toEqual([
      'web is deleted and its 2 tasks stop.',
      'Published ports are released: 8080/tcp',
      'It belongs to stack shop: the next docker stack deploy recreates it.',
    ]);
    expect(removeServiceAction.dangerous).toBe(true);
  });
});
