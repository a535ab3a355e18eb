process.env.NODE_ENV = 'production';
import { sortRows } from './src/ui/panes/order.ts';
import { paneTable } from './src/ui/panes/columns.ts';
import { clusterState, makeNode, makeService, makeTask } from './test/fixtures/cluster.ts';
import type { TaskModel } from './src/store/model.ts';
const nodes = Array.from({ length: 100 }, (_, i) => makeNode({ id: `n${i}x${Math.random().toString(36).slice(2)}`, hostname: `node-${i}` }));
const services = Array.from({ length: 200 }, (_, i) => makeService({ id: `s${i}${Math.random().toString(36).slice(2)}`, name: `bench-${i}` }));
const tasks: TaskModel[] = [];
const STATES = ['running', 'pending', 'failed', 'shutdown'] as const;
for (let i = 0; i < 50000; i++) {
  const s = services[i % 200]!;
  tasks.push(makeTask({ id: Math.random().toString(36).slice(2) + Math.random().toString(36).slice(2), serviceId: s.id, slot: Math.floor(i / 200) + 1, nodeId: nodes[i % 100]!.id, state: STATES[i % 4], stateSince: Date.now() - i * 1000 }));
}
let st = clusterState({ nodes, services, tasks });
const t = (label: string, f: () => unknown) => { const t0 = performance.now(); f(); console.log(label.padEnd(40), (performance.now() - t0).toFixed(1), 'ms'); };
let table = paneTable(st, 'tasks', null);
t('initial name sort', () => sortRows(table.rows, table.columns, { column: 0, desc: false }));
for (let c = 1; c < 8; c++) {
  // bump: one service's tasks replaced
  const sid = services[c * 7]!.id;
  const fresh = new Map([...st.tasksByService.get(sid)!].map(([k, v]) => [k, { ...v, version: v.version + 1 }]));
  st = { ...st, revision: st.revision + 1, tasksByService: new Map([...st.tasksByService, [sid, fresh]]) };
  t('  rows rebuild', () => { table = paneTable(st, 'tasks', null); });
  t(`  bump render (sorted by col ${c - 1})`, () => sortRows(table.rows, table.columns, { column: c - 1, desc: false }));
  t(`key o -> col ${c} ${table.columns[c]!.title}`, () => sortRows(table.rows, table.columns, { column: c, desc: false }));
}
