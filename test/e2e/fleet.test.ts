/**
 * The fleet against real swarms side by side: the suite's lab (3 managers + 1 worker) and two small labs
 * brought up here with their own ids (the suite's id + 3 and + 4: 1 manager + 1 worker, 1 manager).
 */
import { createServer, type Server } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Lab, labDown, labStatus, labUp } from '../../lab/lab.js';
import type { LabNode } from '../../lab/layout.js';
import type { FleetSummaryJson } from '../../src/cli/fleet-snapshot.js';
import type { ResolvedTarget } from '../../src/docker/endpoint.js';
import { cliHome, ensureBuilt, runCli, type CliHome } from './setup/cli-run.js';
import { startConsole, type ConsoleHarness } from './setup/console-harness.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { dialogReady } from './keys-support.js';

const suiteId = inject('labId');
/** Side by side with the suite's lab; SWARMTOP_FLEET_LAB_IDS=a,b chooses them (each developer has their own). */
const [idA, idB] = (process.env.SWARMTOP_FLEET_LAB_IDS ?? `${suiteId + 3},${suiteId + 4}`).split(',').map(Number) as [number, number];
const log = (line: string): void => void process.stderr.write(`[fleet] ${line}\n`);
const keep = process.env.SWARMTOP_E2E_KEEP_LAB === '1';

let labA: Lab;
let labB: Lab;
let home: CliHome;
let silent: Server | null = null;
const silentSocket = `/tmp/swarmtop-fleet-silent-${process.pid}.sock`;

async function extraLab(id: number, managers: number, workers: number): Promise<Lab> {
  const current = keep ? await labStatus(id) : null;
  const healthy = current !== null && current.nodes.length === managers + workers && current.nodes.every((n) => n.answers)
    && (current.swarm?.every((r) => r.status === 'Ready') ?? false);
  if (!healthy) await labUp(id, { managers, workers, log });
  return Lab.open(id);
}

const unix = (n: LabNode) => ({ kind: 'unix' as const, socketPath: n.socket });
const target = (context: string, nodes: readonly LabNode[]): ResolvedTarget => ({ context, endpoints: nodes.map(unix), readOnly: false, theme: null, insecure: false });

function contextsYaml(entries: { name: string; sockets: readonly string[]; theme?: string }[]): string {
  return `contexts:\n${entries.map((e) => `  - name: ${e.name}\n    managers:\n${e.sockets.map((s) => `      - unix://${s}\n`).join('')}${e.theme ? `    theme: ${e.theme}\n` : ''}`).join('')}`;
}

async function fleetSnapshot(): Promise<{ code: number | null; contexts: FleetSummaryJson[]; ms: number; stderr: string }> {
  const r = await runCli(['snapshot', '--json', '--fleet'], home.env, 60_000);
  expect(r.killed).toBe(false);
  const doc = JSON.parse(r.stdout) as { contexts: FleetSummaryJson[] };
  return { code: r.code, contexts: doc.contexts, ms: r.ms, stderr: r.stderr };
}

const row = (rows: readonly FleetSummaryJson[], name: string): FleetSummaryJson => {
  const found = rows.find((c) => c.context === name);
  if (!found) throw new Error(`no row ${name} in ${rows.map((c) => c.context).join(', ')}`);
  return found;
};

beforeAll(async () => {
  ensureBuilt();
  [labA, labB] = await Promise.all([extraLab(idA, 1, 1), extraLab(idB, 1, 0)]);
  home = cliHome('swarmtop-fleet-');
  const suite = testLab();
  writeFileSync(home.contextsFile, contextsYaml([
    { name: 'suite', sockets: suite.managers.map((m) => m.socket) },
    { name: 'alpha', sockets: labA.managers.map((m) => m.socket) },
    { name: 'beta', sockets: labB.managers.map((m) => m.socket), theme: 'production' },
  ]));
}, 600_000);

afterAll(async () => {
  silent?.close();
  rmSync(silentSocket, { force: true });
  home?.remove();
  if (!keep) await Promise.all([labDown(idA, log), labDown(idB, log)]);
}, 300_000);

describe('swarmtop snapshot --json --fleet', () => {
  it('prints every context\'s summary, read side by side', async () => {
    const { code, contexts } = await fleetSnapshot();
    expect(code).toBe(0);
    expect(contexts.map((c) => c.context).sort()).toEqual(['alpha', 'beta', 'suite']);
    expect(row(contexts, 'suite')).toMatchObject({ reachable: true, managers: 3, managersReachable: 3, quorum: 2, toleratesNow: 1, nodes: 4, nodesReady: 4, lockedManagers: 0, caRotationInProgress: false, mixedEngineVersions: false });
    expect(row(contexts, 'suite').leader).toMatch(/^lab-m\d$/);
    expect(row(contexts, 'alpha')).toMatchObject({ reachable: true, managers: 1, toleratesNow: 0, nodes: 2, nodesReady: 2 });
    expect(row(contexts, 'beta')).toMatchObject({ reachable: true, managers: 1, nodes: 1, severity: 'ok' });
    // The root CA of a new swarm lasts 20 years: its expiry is read from the trust root.
    expect(Date.parse(row(contexts, 'suite').certExpiry?.at ?? '')).toBeGreaterThan(Date.now() + 10 * 365 * 24 * 3600_000);
    expect(row(contexts, 'suite').certExpiry?.what).toBe('root CA');
  });

  it('a silent context (accepts, never answers) is a row saying why, within its bound; the others are read', async () => {
    silent = createServer(() => undefined); // holds every connection open without a byte
    await new Promise<void>((resolve) => silent!.listen(silentSocket, resolve));
    const suite = testLab();
    writeFileSync(home.contextsFile, contextsYaml([
      { name: 'suite', sockets: suite.managers.map((m) => m.socket) },
      { name: 'alpha', sockets: labA.managers.map((m) => m.socket) },
      { name: 'mute', sockets: [silentSocket] },
    ]));
    try {
      const { code, contexts, ms } = await fleetSnapshot();
      expect(code).toBe(1);
      expect(contexts[0]).toMatchObject({ context: 'mute', reachable: false, severity: 'down' });
      expect(contexts[0]?.error).toMatch(/no answer within 10 s/);
      expect(row(contexts, 'alpha').reachable).toBe(true);
      expect(row(contexts, 'suite').reachable).toBe(true);
      log(`snapshot --fleet with a silent context: ${ms} ms`);
    } finally {
      writeFileSync(home.contextsFile, contextsYaml([
        { name: 'suite', sockets: suite.managers.map((m) => m.socket) },
        { name: 'alpha', sockets: labA.managers.map((m) => m.socket) },
        { name: 'beta', sockets: labB.managers.map((m) => m.socket), theme: 'production' },
      ]));
    }
  });
});

describe('the fleet screen', () => {
  let c: ConsoleHarness | null = null;
  const suite = (): Lab => testLab();

  afterAll(async () => {
    await c?.stop();
  });

  it('one lab\'s engines stopped: its row goes stale, the others stay live and keep changing', async () => {
    c = startConsole({
      via: suite().managers[0]!, columns: 200, rows: 30,
      fleet: { targets: [target('alpha', labA.managers), target('beta', labB.managers)], startInFleet: true },
    });
    await c.waitFor(/lab\s+live\s+lab-m\d\s+3\/3\s+1\s+4\/4/, 60_000);
    await c.waitFor(/alpha\s+live\s+lab-m1\s+1\/1\s+0\s+2\/2/, 60_000);
    await c.waitFor(/beta\s+live\s+lab-m1\s+1\/1\s+0\s+1\/1/, 60_000);
    const name = uniqueName('fleet-live');
    await labB.stopEngine('m1', 'SIGTERM');
    try {
      const stale = await c.waitFor(/beta\s+STALE/, 60_000);
      // Worst first: the stale context leads the table.
      expect(stale.split('\n').find((l) => /^(lab|alpha|beta)\s+\S/.test(l))).toMatch(/^beta\s+STALE/);
      // alpha is watched on its own: a service created there shows while beta is down.
      await dockerCli(labA.managers[0]!, ['service', 'create', '--detach', '--name', name, '--replicas', '1', 'local/busybox:1', 'sleep', '3600']);
      await c.waitFor(/alpha\s+live\s+lab-m1\s+1\/1\s+0\s+2\/2\s+\d\/1\b/, 60_000);
      await c.waitFor(/alpha\s+live\s+lab-m1\s+1\/1\s+0\s+2\/2\s+1\/1\b/, 90_000);
    } finally {
      await labB.startEngine('m1');
      await dockerCli(labA.managers[0]!, ['service', 'rm', name]).catch(() => '');
    }
    await c.waitFor(/beta\s+live\s+lab-m1\s+1\/1/, 120_000);
  });

  it('enter opens a context\'s full console (its tasks too); esc returns to the fleet with the others live', async () => {
    if (!c) throw new Error('no console');
    await c.press('/');
    await c.type('alpha');
    await c.press('enter', 'enter');
    await c.waitFor('ctx alpha', 30_000);
    await c.press('3');
    await c.waitFor(/Tasks \[\d+\]/, 30_000);
    await c.press('esc');
    // Back where it was (filter and cursor kept); esc clears the filter, and every context is still live.
    await c.waitFor(/Fleet \[1\/3\].*\/alpha/, 30_000);
    await c.press('esc');
    await c.waitFor(/Fleet \[3\]/, 30_000);
    await c.waitFor(/lab\s+live/, 30_000);
    await c.waitFor(/beta\s+live/, 30_000);
  });

  it('an action from :svc --all goes to the right swarm (checked with that lab\'s docker CLI), its dialog naming the context', async () => {
    if (!c) throw new Error('no console');
    const name = uniqueName('fleet-scale');
    const create = (n: LabNode): Promise<string> => dockerCli(n, ['service', 'create', '--detach', '--name', name, '--replicas', '1', '--constraint', 'node.labels.never==1', 'local/busybox:1']);
    await Promise.all([create(labA.managers[0]!), create(labB.managers[0]!)]);
    const replicas = async (n: LabNode): Promise<string> => (await dockerCli(n, ['service', 'inspect', name, '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim();
    try {
      await c.press('esc', ':');
      await c.type('svc --all');
      await c.press('enter');
      await c.waitFor('Services of every context', 30_000);
      await c.press('/');
      await c.type(name);
      await c.press('enter');
      await c.waitFor(new RegExp(`alpha\\s+${name}`), 60_000);
      await c.waitFor(new RegExp(`beta\\s+${name}`), 60_000);
      // Sorted by context: alpha first, beta second.
      await c.press('j', 's');
      const dialog = await c.waitFor('context beta', 30_000);
      expect(dialog).toContain(`service ${name}`);
      await c.type('3');
      await c.press('enter');
      // A confirmation takes its answer once it could be read (keys typed before it are ignored).
      await dialogReady(c, 'Scale?');
      await c.press('y');
      await c.waitFor(/Scale: .*3/, 30_000);
      expect(await replicas(labB.managers[0]!)).toBe('3');
      expect(await replicas(labA.managers[0]!)).toBe('1');
      const entry = c.audit().find((e) => e.target.name === name);
      expect(entry).toMatchObject({ context: 'beta', action: 'service.scale', result: 'done' });
    } finally {
      await Promise.all([labA, labB].map((l) => dockerCli(l.managers[0]!, ['service', 'rm', name]).catch(() => '')));
    }
  });
});
