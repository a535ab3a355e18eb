import { describe, expect, it } from 'vitest';
import type { ActionSpec } from '../../src/actions/types.js';
import { afterPrepare, afterStale, confirmStep, heldWork, scrollConfirm, type FlowStep } from '../../src/ui/actionFlow.js';
import { sampleCluster } from '../fixtures/cluster.js';

const action = { id: 'edit', label: 'Edit spec', key: 'E', command: 'edit', targets: 'service', mutating: true, dangerous: true, available: () => true, impact: () => [], run: () => Promise.resolve({ kind: 'done', message: '' }) } satisfies ActionSpec;
const target = { kind: 'service' as const, id: 'web', name: 'web', version: 3 };
const preparing: Extract<FlowStep, { step: 'preparing' }> = { step: 'preparing', action, target, input: null };

describe('the action flow around prepare()', () => {
  it('an ask becomes a question whose y prepares again with what it carried', () => {
    const r = afterPrepare(preparing, { kind: 'ask', title: 'invalid YAML', lines: ['line 1'], question: 're-open', resume: { t: 1 } });
    if (r.kind !== 'step' || r.step.step !== 'confirm') throw new Error('expected a confirmation');
    expect(r.step.impact).toEqual(['line 1']);
    expect(r.step.reprepare).toEqual({ title: 'invalid YAML', question: 're-open', resume: { t: 1 } });
    expect(heldWork(r.step)).toEqual({ held: { t: 1 } });
    expect(confirmStep(r.step, sampleCluster())).toEqual({ kind: 'step', step: { step: 'preparing', action, target, input: null, resume: { t: 1 } } });
  });

  it('a plan confirmed runs with that plan; a stale outcome without a question is left to the runner', () => {
    const r = afterPrepare(preparing, { kind: 'plan', impact: ['x'], plan: 42 });
    if (r.kind !== 'step' || r.step.step !== 'confirm') throw new Error('expected a confirmation');
    expect(heldWork(r.step)).toEqual({ held: 42 });
    const run = confirmStep(r.step, sampleCluster());
    if (run.kind !== 'step' || run.step.step !== 'running') throw new Error('expected running');
    expect(run.step.plan).toBe(42);
    expect(afterStale(run.step, { kind: 'stale', message: 'x' })).toBeNull();
    const ask = afterStale(run.step, { kind: 'stale', message: 'x', ask: { title: 't', lines: ['changed'], question: 'q', resume: 'm' } });
    expect(ask?.kind === 'step' && ask.step.step === 'confirm' && ask.step.reprepare?.resume).toBe('m');
  });

  it('scrolling stays within the plan', () => {
    const step: Extract<FlowStep, { step: 'confirm' }> = { step: 'confirm', action, target, input: null, impact: [], second: false };
    const layout = { page: 10, max: 25 };
    expect(scrollConfirm(step, { by: -1 }, layout).step === 'confirm' && scrollConfirm(step, { by: -1 }, layout)).toMatchObject({ scroll: 0 });
    expect(scrollConfirm(step, { page: 1 }, layout)).toMatchObject({ scroll: 10 });
    expect(scrollConfirm({ ...step, scroll: 20 }, { page: 1 }, layout)).toMatchObject({ scroll: 25 });
    expect(scrollConfirm({ ...step, scroll: 99 }, { by: -1 }, layout)).toMatchObject({ scroll: 24 });
    expect(scrollConfirm({ ...step, scroll: 7 }, { to: 'top' }, layout)).toMatchObject({ scroll: 0 });
    expect(scrollConfirm(step, { to: 'bottom' }, layout)).toMatchObject({ scroll: 25 });
  });
});
