/**
 * Keystroke-to-frame latency of the console at scale, on a SIMULATED store (plain data, no engine):
 * 50,000 tasks over 500 services and 100 nodes. Renders the real App through Ink with an in-memory
 * terminal and measures, per key, the time from writing the key to Ink writing the next frame.
 * Prints p50/p95 for j/k, sort (o, with a cold sort cache: the store changes between presses, as a live
 * cluster does) and typing into the `/` filter. Target: p95 <= 33 ms.
 *
 * Run: npx tsx bench/ui-keystroke.ts [tasks]
 */
import { EventEmitter } from 'node:events';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { NodeModel, ServiceModel, TaskModel, TaskState } from '../src/store/model.js';
import { emptyState, type ClusterState, type ReadableStore } from '../src/store/state.js';

// Production React, as bin/swarmtop runs it: the development build records every prop diff (50k-row
// arrays included) for its profiler, which measures React's debugging, not the console.
process.env.NODE_ENV = 'production';
const { createElement } = await import('react');
const { render } = await import('ink');
const { App } = await import('../src/ui/App.js');
// As runConsole does before its first frame.
const rowReuse = await (await import('../src/ui/ink/row-reuse.js')).installRowReuse();
const { loadTheme } = await import('../src/ui/theme.js');

const TASKS = Number(process.argv[2] ?? 50_000);
const SERVICES = 500;
const NODES = 100;
const STATES: readonly TaskState[] = ['running', 'running', 'running', 'pending', 'failed', 'shutdown'];

function simulatedCluster(): ClusterState {
  const nodes = new Map<string, NodeModel>();
  for (let i = 0; i < NODES; i++) {
    const id = `node${i}`;
    nodes.set(id, {
      id, version: 1, createdAt: 0, updatedAt: 0, hostname: `sim-node-${i}`, role: i < 3 ? 'manager' : 'worker', availability: 'active',
      state: 'ready', stateMessage: '', addr: `10.0.${i >> 8}.${i & 255}`, manager: i < 3 ? { leader: i === 0, reachability: 'reachable', addr: '' } : null,
      engineVersion: '26.1.5', os: 'linux', arch: 'x86_64', nanoCpus: 4e9, memoryBytes: 8 * 2 ** 30, labels: {}, engineLabels: {},
      tlsIssuerSubject: 'ca', tlsIssuerPublicKey: 'pk',
    });
  }
  const services = new Map<string, ServiceModel>();
  const tasksByService = new Map<string, Map<string, TaskModel>>();
  const perService = Math.ceil(TASKS / SERVICES);
  let made = 0;
  for (let s = 0; s < SERVICES; s++) {
    const id = `svc${s}`;
    services.set(id, {
      id, version: 1, createdAt: 0, updatedAt: 0, name: `sim-svc-${s}`, image: `registry.local/app-${s % 20}:1.${s % 7}`,
      mode: { kind: 'replicated', replicas: perService }, labels: {}, stack: `stack-${s % 25}`, runningTasks: perService, desiredTasks: perService,
      completedTasks: null, updateStatus: null, updateConfig: null, rollbackConfig: null, previousImage: null, hasPreviousSpec: false,
      forceUpdate: 0, constraints: [], maxReplicasPerNode: 0, reservations: { nanoCpus: 0, memoryBytes: 0 }, secretIds: [], secretNames: [], configIds: [], configNames: [], networkIds: [], ports: [],
    });
    const tasks = new Map<string, TaskModel>();
    for (let t = 0; t < perService && made < TASKS; t++, made++) {
      const tid = `task${s}x${t}`;
      const state = STATES[(s * 7 + t) % STATES.length] as TaskState;
      tasks.set(tid, {
        id: tid, version: 1, createdAt: 0, updatedAt: 0, serviceId: id, slot: t + 1, nodeId: `node${(s + t) % NODES}`, desiredState: 'running',
        state, stateSince: Date.now() - t * 1000, message: state, err: state === 'failed' ? 'task: non-zero exit (1)' : '',
        image: `registry.local/app-${s % 20}:1.${s % 7}`, containerId: null, exitCode: null,
      });
    }
    tasksByService.set(id, tasks);
  }
  return { ...emptyState(), revision: 1, connection: { ...emptyState().connection, status: 'live', context: 'simulated', endpoint: 'simulated://50k' }, nodes, services, tasksByService, syncedAt: 1 };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private data: string | null = null;
  write(data: string): void {
    this.data = data;
    this.emit('readable');
    this.emit('data', data);
  }
  read = (): string | null => {
    const d = this.data;
    this.data = null;
    return d;
  };
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
}

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 180;
  rows = 50;
  onWrite: (() => void) | null = null;
  write = (_s: string): boolean => {
    const cb = this.onWrite;
    this.onWrite = null;
    cb?.();
    return true;
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function main(): Promise<void> {
  let state = simulatedCluster();
  const listeners = new Set<() => void>();
  const store: ReadableStore = { getState: () => state, subscribe: (l) => (listeners.add(l), () => listeners.delete(l)) };
  const bump = (): void => {
    // A poll replaced one service's tasks: new task objects for that service, as the live layer would make.
    const sid = `svc${Math.floor(Math.random() * SERVICES)}`;
    const tasks = state.tasksByService.get(sid);
    if (!tasks) return;
    const fresh = new Map([...tasks].map(([k, t]) => [k, { ...t, version: t.version + 1 }]));
    state = { ...state, revision: state.revision + 1, tasksByService: new Map([...state.tasksByService, [sid, fresh]]) };
    for (const l of listeners) l();
  };
  const stdin = new FakeStdin();
  const stdout = new FakeStdout();
  const theme = loadTheme('default');
  const app = render(createElement(App, {
    store, actions: [], actionContext: () => null, refresh: () => undefined,
    readers: { inspect: () => Promise.resolve({}), logs: async function* () {} },
    themeFor: () => theme, readOnly: false, contexts: [], switchContext: () => undefined, copy: () => undefined,
    onQuit: () => undefined, width: stdout.columns, height: stdout.rows - 1,
  }), {
    stdout: stdout as unknown as NodeJS.WriteStream, stdin: stdin as unknown as NodeJS.ReadStream,
    exitOnCtrlC: false, patchConsole: false, maxFps: 60,
  });

  /** CPU time (user+system) per keystroke: on a shared, loaded machine wall time also counts waiting for a core. */
  const cpu: Record<string, number[]> = { nav: [], sort: [], filter: [] };
  let bucket: number[] = cpu.nav as number[];
  /** Time to the first frame after the key (the echo), and to the second one when `second` is given. */
  const press = async (key: string, second?: number[]): Promise<number> => {
    await sleep(20); // beyond the frame throttle: each key gets its own frame
    let t0 = 0;
    const frame = new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(Number.NaN), 2000);
      stdout.onWrite = () => {
        clearTimeout(timer);
        const t = performance.now();
        if (second) {
          const timer2 = setTimeout(() => second.push(Number.NaN), 2000);
          stdout.onWrite = () => {
            clearTimeout(timer2);
            second.push(performance.now() - t0);
          };
        }
        resolve(t);
      };
    });
    const c0 = process.cpuUsage();
    t0 = performance.now();
    stdin.write(key);
    const t1 = await frame;
    const c1 = process.cpuUsage(c0);
    bucket.push((c1.user + c1.system) / 1000);
    return t1 - t0;
  };

  // Tasks pane: all 50k tasks. The first frame builds rows and the default sort (not a keystroke figure).
  const tOpen = performance.now();
  await press('3');
  const openMs = performance.now() - tOpen;

  const nav: number[] = [];
  for (let i = 0; i < 150; i++) nav.push(await press('j'));
  for (let i = 0; i < 150; i++) nav.push(await press('k'));

  bucket = cpu.sort as number[];
  const sort: number[] = [];
  for (let i = 0; i < 40; i++) {
    bump();
    await sleep(30);
    sort.push(await press(i % 5 === 4 ? 'O' : 'o'));
  }

  bucket = cpu.filter as number[];
  const filter: number[] = [];
  const applied: number[] = [];
  for (let round = 0; round < 6; round++) {
    await press('/');
    for (const ch of `sim-svc-${round}7`) filter.push(await press(ch, applied));
    for (let i = 0; i < 4; i++) filter.push(await press('\x7f', applied));
    await press('\x1b');
    await sleep(50);
  }

  app.unmount();
  const fmt = (xs: number[]): string => `p50 ${percentile(xs, 50).toFixed(1)} ms  p95 ${percentile(xs, 95).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms  (n=${xs.length}${xs.some(Number.isNaN) ? ', some without a frame' : ''})`;
  process.stdout.write(`ui-keystroke (simulated store: ${TASKS} tasks, ${SERVICES} services, ${NODES} nodes; tasks pane, 180x50; unchanged rows reused: ${rowReuse ? "yes" : "no"})\n`);
  process.stdout.write(`  open tasks pane (first build)   ${openMs.toFixed(1)} ms\n`);
  process.stdout.write(`  j/k                        wall ${fmt(nav)}\n                              cpu  ${fmt(cpu.nav ?? [])}\n`);
  process.stdout.write(`  sort o/O (store changing)  wall ${fmt(sort)}\n                              cpu  ${fmt(cpu.sort ?? [])}\n`);
  process.stdout.write(`  / filter typing, backspace wall ${fmt(filter)}  (keystroke echoed)\n`);
  process.stdout.write(`                             wall ${fmt(applied)}  (filter applied: the deferred frame)\n`);
  process.stdout.write(`                              cpu  ${fmt(cpu.filter ?? [])}  (echo frame)\n`);
  process.stdout.write(`  load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores (wall times include waiting for a core)\n`);
  const worst = Math.max(percentile(nav, 95), percentile(sort, 95), percentile(filter, 95), percentile(applied, 95));
  process.stdout.write(`  target p95 <= 33 ms: ${worst <= 33 ? 'met' : 'NOT met'} (worst p95 ${worst.toFixed(1)} ms)\n`);
}

await main();
