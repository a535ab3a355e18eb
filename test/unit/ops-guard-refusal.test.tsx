import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { AuditEntry } from '../../src/actions/audit.js';
import { guardAction } from '../../src/actions/guard.js';
import type { ActionContext } from '../../src/actions/types.js';
import { sampleCluster } from '../fixtures/cluster.js';
import { renderApp, testAction, tick, type Calls } from './ui-support.js';

afterEach(() => cleanup());

const ctx = (readOnly: boolean): ActionContext => ({ connection: null as never, context: 'prod', readOnly });

describe('a refusal before running is audited', () => {
  it('the guard records it as refused and never runs the action', async () => {
    const entries: AuditEntry[] = [];
    const calls: Calls = { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
    const drain = guardAction(testAction({ id: 'node.drain', label: 'Drain', key: 'd', targets: 'node' }, calls), {
      readOnly: true, audit: (e) => { entries.push(e); return Promise.resolve(); }, user: 'op', now: () => new Date(0),
    });
    await drain.auditRefusal?.(ctx(true), { kind: 'node', id: 'w1', name: 'lab-w1', version: 3 }, 'Drain: refused — the console is read-only (--read-only)');
    expect(calls.runs).toHaveLength(0);
    expect(entries).toEqual([{
      time: '1970-01-01T00:00:00.000Z', context: 'prod', user: 'op', action: 'node.drain', target: { kind: 'node', id: 'w1', name: 'lab-w1' },
      input: null, result: 'refused', message: 'Drain: refused — the console is read-only (--read-only)',
    }]);
  });

  it('a mutating key in a read-only console is refused on screen and handed to the guard for the audit log', async () => {
    const entries: AuditEntry[] = [];
    const calls: Calls = { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
    const drain = guardAction(testAction({ id: 'node.drain', label: 'Drain', key: 'd', targets: 'node', dangerous: true }, calls), {
      readOnly: true, audit: (e) => { entries.push(e); return Promise.resolve(); },
    });
    const app = renderApp(sampleCluster(), { actions: [drain], readOnly: true, actionContext: () => ctx(true) });
    await app.press('1', 'd');
    await tick();
    expect(app.frame()).toContain('Drain: refused — the console is read-only');
    expect(app.frame()).not.toContain('Drain?');
    expect(calls.runs).toHaveLength(0);
    expect(entries.map((e) => [e.action, e.result])).toEqual([['node.drain', 'refused']]);
  });

  it('a read-only console does not offer mutating keys in the footer, lists them greyed in the help, and still refuses one pressed', async () => {
    const entries: AuditEntry[] = [];
    const calls: Calls = { runs: [], copied: [], refreshes: 0, quits: 0, contexts: [] };
    const guard = { readOnly: true, audit: (e: AuditEntry) => { entries.push(e); return Promise.resolve(); } };
    const drain = guardAction(testAction({ id: 'node.drain', label: 'Drain', key: 'd', targets: 'node', dangerous: true }, calls), guard);
    const reveal = guardAction(testAction({ id: 'swarm.join-worker', label: 'Reveal the worker join command', key: 'W', targets: 'swarm', mutating: false }, calls), guard);
    const app = renderApp(sampleCluster(), { actions: [drain, reveal], readOnly: true, actionContext: () => ctx(true) });
    await app.press('1');
    expect(app.frame()).not.toContain('<d>');
    await app.press('8');
    expect(app.frame()).toContain('<W>swarm.join-worker');
    await app.press('?');
    // The disabled keys come last: scroll to the end of the help (one burst of j).
    await app.send('j'.repeat(200));
    const help = app.frame();
    expect(help).toContain('Disabled: read-only');
    expect(help.slice(help.indexOf('Disabled: read-only'))).toMatch(/d\s+Drain\s+\[nodes\]/);
    await app.press('\x1b', '1', 'd');
    await tick();
    expect(app.frame()).toContain('Drain: refused — the console is read-only');
    expect(calls.runs).toHaveLength(0);
    expect(entries.map((e) => [e.action, e.result])).toEqual([['node.drain', 'refused']]);
  });
});
