import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { ActionOutcome, Prepared } from '../../src/actions/types.js';
import { sampleCluster } from '../fixtures/cluster.js';
import { KEY, renderApp, testAction, tick, type Calls } from './ui-support.js';

afterEach(() => cleanup());

function calls(): Calls {
  return { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
}

describe('action flow', () => {
  it('shows why an action is not available', async () => {
    const c = calls();
    const drain = testAction({ id: 'drain', key: 'd', targets: 'node', available: () => 'node is already drained' }, c);
    const app = renderApp(sampleCluster(), { actions: [drain] });
    await app.press('1', 'd');
    expect(app.frame()).toContain('drain: not available — node is already drained');
    expect(c.runs).toHaveLength(0);
  });

  it('shows action keys in the footer of their pane only', async () => {
    const drain = testAction({ id: 'drain', label: 'Drain node', key: 'd', targets: 'node' });
    const app = renderApp(sampleCluster(), { actions: [drain] });
    await tick();
    expect(app.frame()).not.toContain('<d>drain');
    await app.press('1');
    expect(app.frame()).toContain('<d>drain');
  });

  it('asks for input, validates it, confirms (default cancel) and runs', async () => {
    const c = calls();
    const scale = testAction({
      id: 'scale', label: 'Scale service', key: 's', targets: 'service', dangerous: true,
      input: { kind: 'number', prompt: 'replicas', initial: () => '2', validate: (raw) => (/^\d+$/.test(raw) ? null : 'a whole number, please') },
      impact: (_s, t, input) => [`${t.name ?? ''} goes to ${input ?? '?'} replicas`],
    }, c);
    const app = renderApp(sampleCluster(), { actions: [scale] });
    await app.press('j', 's');
    expect(app.frame()).toContain('Scale service — service web');
    expect(app.frame()).toContain('replicas: 2');
    await app.press(KEY.backspace, 'x', KEY.enter);
    expect(app.frame()).toContain('a whole number, please');
    await app.press(KEY.backspace, '5', KEY.enter);
    expect(app.frame()).toContain('Scale service?');
    expect(app.frame()).toContain('web goes to 5 replicas');
    // enter is not "yes": the default answer cancels.
    await app.press(KEY.enter);
    expect(app.frame()).toContain('Scale service: cancelled');
    expect(c.runs).toHaveLength(0);
    await app.press('s', KEY.enter, 'y');
    await tick();
    expect(c.runs).toEqual([{ id: 'scale', target: { kind: 'service', id: 'web', name: 'web', version: 1 }, input: '2' }]);
    expect(app.frame()).toContain('Scale service: ok');
  });

  it('takes the input from a : command', async () => {
    const c = calls();
    const scale = testAction({
      id: 'scale', label: 'Scale service', key: 's', targets: 'service',
      input: { kind: 'number', prompt: 'replicas', initial: () => '1', validate: () => null },
    }, c);
    const app = renderApp(sampleCluster(), { actions: [scale] });
    await app.press(':');
    await app.type('scale 7');
    await app.press(KEY.enter);
    await tick();
    expect(c.runs[0]?.input).toBe('7');
  });

  it('asks a second, explicit confirmation when the action wants it', async () => {
    const c = calls();
    const demote = testAction({ id: 'demote', label: 'Demote node', key: '-', targets: 'node', dangerous: true, confirmTwice: () => true, impact: () => ['quorum drops to 1 of 2'] }, c);
    const app = renderApp(sampleCluster(), { actions: [demote] });
    await app.press('1', '-', 'y');
    expect(app.frame()).toContain('SECOND CONFIRMATION');
    expect(c.runs).toHaveLength(0);
    await app.press('n');
    expect(app.frame()).toContain('cancelled');
    await app.press('-', 'y', 'y');
    await tick();
    expect(c.runs).toHaveLength(1);
  });

  it('refuses mutating actions in read-only mode', async () => {
    const c = calls();
    const drain = testAction({ id: 'drain', label: 'Drain node', key: 'd', targets: 'node' }, c);
    const app = renderApp(sampleCluster(), { actions: [drain], readOnly: true });
    await app.press('1', 'd');
    expect(app.frame()).toContain('refused — the console is read-only');
    expect(c.runs).toHaveLength(0);
  });

  it('on a stale outcome re-reads and asks again with the fresh version', async () => {
    const c = calls();
    let n = 0;
    const outcome = (): ActionOutcome => (n++ === 0 ? { kind: 'stale', message: 'service changed' } : { kind: 'done', message: 'scaled' });
    const force = testAction({ id: 'force', label: 'Force update', key: 'F', targets: 'service', dangerous: true }, c, outcome);
    const app = renderApp(sampleCluster(), { actions: [force] });
    await app.press('F', 'y');
    await tick();
    expect(app.calls.refreshes).toBe(1);
    expect(app.frame()).toContain('re-reading; confirm again');
    // The live layer re-reads: the service now has version 2.
    const s = app.store.getState();
    const agent = s.services.get('agent');
    if (!agent) throw new Error('fixture');
    app.store.set({ ...s, revision: s.revision + 1, services: new Map([...s.services, ['agent', { ...agent, version: 2 }]]) });
    await tick();
    expect(app.frame()).toContain('Force update?');
    // The operator reads the question asked again before answering (typed-ahead keys are ignored).
    await app.pause();
    await app.press('y');
    await tick();
    expect(c.runs.map((r) => r.target.version)).toEqual([1, 2]);
    expect(app.frame()).toContain('Force update: scaled');
  });

  it('shows revealed secrets masked until v, and copies with c', async () => {
    const c = calls();
    const token = 'SWMTKN-1-abcdefghijklmnop';
    const reveal = testAction({ id: 'reveal-worker', label: 'Reveal worker join command', key: 'W', targets: 'swarm', mutating: false }, c,
      { kind: 'done', message: 'join command', reveal: [{ label: 'worker join', value: `docker swarm join --token ${token} 10.99.4.2:2377` }] });
    const app = renderApp(sampleCluster(), { actions: [reveal] });
    await app.press('8', 'W');
    await tick();
    expect(app.frame()).toContain('worker join: ••••');
    expect(app.frame()).not.toContain(token);
    await app.press('v');
    expect(app.frame()).toContain(token);
    await app.press('v');
    expect(app.frame()).not.toContain(token);
    await app.press('c');
    expect(app.calls.copied).toEqual([`docker swarm join --token ${token} 10.99.4.2:2377`]);
    expect(app.frame()).toContain('copied to the clipboard');
    await app.press(KEY.esc);
    expect(app.frame()).not.toContain(token);
    await app.press('c');
    expect(app.calls.copied).toHaveLength(2);
  });

  it('reports failures in words', async () => {
    const drain = testAction({ id: 'drain', label: 'Drain node', key: 'd', targets: 'node' }, undefined, { kind: 'failed', message: 'node m1 not found' });
    const app = renderApp(sampleCluster(), { actions: [drain] });
    await app.press('1', 'd');
    await tick();
    expect(app.frame()).toContain('Drain node: node m1 not found');
  });

  it('prepares a plan with I/O, confirms it (default cancel) and hands the same plan to run', async () => {
    const plans: unknown[] = [];
    let resolvePrepare: (p: Prepared) => void = () => undefined;
    const edit = testAction({
      id: 'edit', label: 'Edit service', key: 'E', targets: 'service',
      prepare: () => new Promise<Prepared>((r) => (resolvePrepare = r)),
      run: (_ctx, _t, _i, plan) => {
        plans.push(plan);
        return Promise.resolve({ kind: 'done', message: 'updated' });
      },
    });
    const app = renderApp(sampleCluster(), { actions: [edit] });
    await app.press('j', 'E');
    expect(app.frame()).toContain('reading the plan (nothing is changed yet)');
    // Keys while the plan is read do nothing (no confirmation can be typed ahead).
    await app.press('y');
    resolvePrepare({ kind: 'plan', impact: ['Mode.Replicated.Replicas: 3 → 5'], plan: { replicas: 5 } });
    await tick();
    expect(app.frame()).toContain('Edit service?');
    expect(app.frame()).toContain('Mode.Replicated.Replicas: 3 → 5');
    expect(plans).toEqual([]);
    await app.pause();
    await app.press('y');
    await tick();
    expect(plans).toEqual([{ replicas: 5 }]);
    expect(app.frame()).toContain('Edit service: updated');
  });

  it('a prepare that finds nothing to do or fails says so and runs nothing', async () => {
    const c = calls();
    let next: Prepared = { kind: 'nothing', message: 'no change: nothing was sent' };
    const edit = testAction({ id: 'edit', label: 'Edit service', key: 'E', targets: 'service', prepare: () => Promise.resolve(next) }, c);
    const app = renderApp(sampleCluster(), { actions: [edit] });
    await app.press('j', 'E');
    await tick();
    expect(app.frame()).toContain('Edit service: no change: nothing was sent');
    next = { kind: 'failed', message: 'line 3, column 1: bad indentation' };
    await app.press('E');
    await tick();
    expect(app.frame()).toContain('Edit service: line 3, column 1: bad indentation');
    expect(c.runs).toHaveLength(0);
  });
});

describe('questions after prepare (re-open the editor) and work kept on cancel', () => {
  it('an ask is a question: y prepares again with what it carried; the plan then confirms as usual', async () => {
    const resumes: unknown[] = [];
    const plans: unknown[] = [];
    const edit = testAction({
      id: 'edit', label: 'Edit spec', key: 'E', targets: 'service',
      prepare: (_c, _s, _t, _i, more) => {
        const resume = more?.resume;
        resumes.push(resume);
        return Promise.resolve<Prepared>(resume === undefined
          ? { kind: 'ask', title: 'the YAML is not valid', lines: ['line 3, column 5: bad indentation'], question: 're-open the editor with your text', resume: { text: 'a: b' } }
          : { kind: 'plan', impact: ['Labels.x: + 1'], plan: { spec: 1 } });
      },
      run: (_ctx, _t, _i, plan) => {
        plans.push(plan);
        return Promise.resolve({ kind: 'done', message: 'updated' });
      },
    });
    const app = renderApp(sampleCluster(), { actions: [edit] });
    await app.press('j', 'E');
    await tick();
    expect(app.frame()).toContain('Edit spec: the YAML is not valid');
    expect(app.frame()).toContain('line 3, column 5: bad indentation');
    expect(app.frame()).toContain('y: re-open the editor with your text');
    await app.press('y');
    await tick();
    expect(resumes).toEqual([undefined, { text: 'a: b' }]);
    expect(app.frame()).toContain('Edit spec?');
    await app.press('y');
    await tick();
    expect(plans).toEqual([{ spec: 1 }]);
  });

  it('a stale outcome with a question asks it (what changed meanwhile) instead of starting over', async () => {
    const resumes: unknown[] = [];
    let n = 0;
    const edit = testAction({
      id: 'edit', label: 'Edit spec', key: 'E', targets: 'service',
      prepare: (_c, _s, _t, _i, more) => {
        const resume = more?.resume;
        resumes.push(resume);
        return Promise.resolve<Prepared>({ kind: 'plan', impact: ['Labels.x: + 1'], plan: n });
      },
    }, undefined, () => (n++ === 0
      ? { kind: 'stale', message: 'changed meanwhile', ask: { title: 'changed since you opened it', lines: ['Labels.y: + 2 (by someone else)'], question: 're-open with your changes merged', resume: 'merged' } }
      : { kind: 'done', message: 'updated' }));
    const app = renderApp(sampleCluster(), { actions: [edit] });
    await app.press('j', 'E');
    await tick();
    await app.press('y');
    await tick();
    expect(app.frame()).toContain('Edit spec: changed since you opened it');
    expect(app.frame()).toContain('Labels.y: + 2 (by someone else)');
    await app.press('y');
    await tick();
    expect(resumes).toEqual([undefined, 'merged']);
  });

  it('cancelling a dialog that holds the operator\'s work asks the action to keep it, and says where', async () => {
    const kept: unknown[] = [];
    const edit = testAction({
      id: 'edit', label: 'Edit spec', key: 'E', targets: 'service',
      prepare: () => Promise.resolve<Prepared>({ kind: 'plan', impact: ['Labels.x: + 1'], plan: { text: 'mine' } }),
      abandon: (_t, held) => {
        kept.push(held);
        return Promise.resolve('your text is kept in /tmp/x.yaml');
      },
    });
    const app = renderApp(sampleCluster(), { actions: [edit] });
    await app.press('j', 'E');
    await tick();
    await app.press('n');
    await tick();
    expect(kept).toEqual([{ text: 'mine' }]);
    expect(app.frame()).toContain('Edit spec: cancelled; nothing was changed — your text is kept in /tmp/x.yaml');
  });
});
