import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { TaskModel } from '../../src/store/model.js';
import { paneTable } from '../../src/ui/panes/columns.js';
import { sortRows } from '../../src/ui/panes/order.js';
import { withoutHistory, type TaskRow } from '../../src/ui/panes/rows.js';
import { clusterState, makeManager, makeNode, makeService, makeTask } from '../fixtures/cluster.js';
import { rng } from '../fixtures/rng.js';
import { renderApp } from './ui-support.js';

afterEach(() => cleanup());

/** A crash loop: per slot one attempt wanted running (the newest) and failed ones shut down before it. */
function crashLoop(slots: number, attempts: number, shuffle = rng(5)): TaskModel[] {
  const tasks: TaskModel[] = [];
  for (let slot = 1; slot <= slots; slot++) {
    for (let a = 0; a < attempts; a++) {
      const current = a === attempts - 1;
      tasks.push(makeTask({
        id: `t${slot}-${a}-${Math.floor(shuffle() * 1e6)}`, serviceId: 'crashy', slot, nodeId: 'm1', createdAt: 1_700_000_000_000 + a * 1000,
        desiredState: current ? 'running' : 'shutdown', state: current ? 'starting' : 'failed',
      }));
    }
  }
  // The store holds them in whatever order the engine listed them.
  return tasks.sort(() => shuffle() - 0.5);
}

function state(tasks: TaskModel[]) {
  return clusterState({
    nodes: [makeManager('m1', true), makeNode({ id: 'w1' })],
    services: [makeService({ id: 'crashy' }), makeService({ id: 'agent', mode: { kind: 'global' } })],
    tasks,
  });
}

const defaultOrder = (tasks: TaskModel[]): TaskRow[] => {
  const table = paneTable(state(tasks), 'tasks', null);
  return sortRows(table.rows, table.columns, { column: 0, desc: false }) as TaskRow[];
};

describe('the tasks pane\'s default order', () => {
  it('per slot (numerically: 2 before 10), the current task first, then its history newest first', () => {
    const rows = defaultOrder(crashLoop(10, 4));
    expect(rows.map((r) => r.name).slice(0, 9)).toEqual(['crashy.1', 'crashy.1', 'crashy.1', 'crashy.1', 'crashy.2', 'crashy.2', 'crashy.2', 'crashy.2', 'crashy.3']);
    for (let slot = 1; slot <= 10; slot++) {
      const mine = rows.filter((r) => r.task.slot === slot);
      expect(mine[0]?.task.desiredState, `slot ${slot}`).toBe('running');
      const history = mine.slice(1).map((r) => r.task.createdAt);
      expect(history).toEqual([...history].sort((a, b) => b - a));
    }
    expect(rows.at(-1)?.name).toBe('crashy.10');
  });

  it('a global service\'s tasks per node, the current one first', () => {
    const tasks = [
      makeTask({ id: 'g-old', serviceId: 'agent', slot: null, nodeId: 'm1', createdAt: 1, desiredState: 'shutdown', state: 'failed' }),
      makeTask({ id: 'g-w1', serviceId: 'agent', slot: null, nodeId: 'w1', createdAt: 5 }),
      makeTask({ id: 'g-new', serviceId: 'agent', slot: null, nodeId: 'm1', createdAt: 3 }),
    ];
    expect(defaultOrder(tasks).map((r) => r.id)).toEqual(['g-new', 'g-old', 'g-w1']);
  });

  it('history hidden: only the current tasks, as docker service ps --filter desired-state=running', () => {
    const rows = withoutHistory(defaultOrder(crashLoop(3, 5)));
    expect(rows.map((r) => (r as TaskRow).task.desiredState)).toEqual(['running', 'running', 'running']);
  });

  it('stays a plain string sort at 50,000 tasks (the radix path), in the same order as a reference sort', () => {
    const tasks = crashLoop(5000, 10, rng(9));
    const rows = defaultOrder(tasks);
    expect(rows).toHaveLength(50_000);
    const keys = rows.map((r) => r.order);
    expect(keys).toEqual([...keys].sort());
  });
});

describe('in the console', () => {
  it('a crash-looping service\'s tasks: the current attempt of each slot first; h hides the history and back', async () => {
    const app = renderApp(state(crashLoop(2, 3)), { height: 20 });
    await app.press('3');
    const names = (): string[] => app.frame().split('\n').filter((l) => /^crashy\.\d+\s+t\d/.test(l)).map((l) => l.split(/\s+/).slice(0, 1).concat(l.includes('starting') ? 'current' : 'history').join(' '));
    expect(names()).toEqual(['crashy.1 current', 'crashy.1 history', 'crashy.1 history', 'crashy.2 current', 'crashy.2 history', 'crashy.2 history']);
    await app.press('h');
    expect(app.frame()).toMatch(/^Tasks \(current only, h: history\) \[2\/6\]/m);
    expect(names()).toEqual(['crashy.1 current', 'crashy.2 current']);
    expect(app.frame()).toContain('<h>history');
    await app.press('h');
    expect(names()).toHaveLength(6);
  });
});
