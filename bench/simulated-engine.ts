/**
 * SIMULATION: a fake Docker engine on a unix socket that replays generated API payloads, so memory can
 * be measured at a scale one machine's real lab cannot reach (thousands of nodes, 100k tasks). Used by
 * benchmarks only — never by tests of Docker behaviour, which run against the real lab.
 */
import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';

export interface SimulatedScale {
  nodes: number;
  managers: number;
  services: number;
  tasks: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const hex = (n: number, width = 25): string => n.toString(16).padStart(width, '0');

function nodePayload(i: number, scale: SimulatedScale, t0: number): unknown {
  const manager = i < scale.managers;
  return {
    ID: `n${hex(i)}`,
    Version: { Index: 10 + i },
    CreatedAt: iso(t0),
    UpdatedAt: iso(t0),
    Spec: { Role: manager ? 'manager' : 'worker', Availability: 'active', Labels: { zone: `z${i % 3}` } },
    Description: {
      Hostname: `sim-node-${i}`,
      Platform: { Architecture: 'x86_64', OS: 'linux' },
      Resources: { NanoCPUs: 4e9, MemoryBytes: 8 * 2 ** 30 },
      Engine: { EngineVersion: '20.10.24', Labels: {} },
      TLSInfo: { CertIssuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh', CertIssuerPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' },
    },
    Status: { State: 'ready', Addr: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` },
    ...(manager ? { ManagerStatus: { Leader: i === 0, Reachability: 'reachable', Addr: `10.0.0.${i}:2377` } } : {}),
  };
}

function servicePayload(i: number, replicas: number, t0: number): unknown {
  return {
    ID: `s${hex(i)}`,
    Version: { Index: 100000 + i },
    CreatedAt: iso(t0),
    UpdatedAt: iso(t0),
    Spec: {
      Name: `sim-svc-${i}`,
      Labels: { 'com.docker.stack.namespace': `stack${i % 20}` },
      TaskTemplate: {
        ContainerSpec: { Image: 'local/busybox:1', Args: ['sleep', 'infinity'] },
        Placement: { Constraints: ['node.labels.never==1'] },
        ForceUpdate: 0,
      },
      Mode: { Replicated: { Replicas: replicas } },
      UpdateConfig: { Parallelism: 1, Delay: 0, FailureAction: 'pause', Monitor: 5e9, MaxFailureRatio: 0, Order: 'stop-first' },
    },
    ServiceStatus: { RunningTasks: 0, DesiredTasks: replicas, CompletedTasks: 0 },
  };
}

function taskPayload(i: number, service: number, slot: number, scale: SimulatedScale, t0: number): unknown {
  return {
    ID: `t${hex(i)}`,
    Version: { Index: 200000 + i },
    CreatedAt: iso(t0),
    UpdatedAt: iso(t0),
    ServiceID: `s${hex(service)}`,
    Slot: slot,
    NodeID: `n${hex(i % scale.nodes)}`,
    DesiredState: 'running',
    Status: { Timestamp: iso(t0), State: 'pending', Message: 'pending task scheduling', Err: 'no suitable node' },
    Spec: { ContainerSpec: { Image: 'local/busybox:1' } },
  };
}

/** The whole simulated cluster as the JSON bodies the engine would send. */
export function generatePayloads(scale: SimulatedScale, t0 = Date.UTC(2026, 10, 1)): Record<string, string> {
  const nodes = Array.from({ length: scale.nodes }, (_, i) => nodePayload(i, scale, t0));
  const perService = Math.ceil(scale.tasks / Math.max(1, scale.services));
  const services = Array.from({ length: scale.services }, (_, i) => servicePayload(i, perService, t0));
  const tasks: unknown[] = [];
  for (let i = 0; i < scale.tasks; i++) tasks.push(taskPayload(i, Math.floor(i / perService), (i % perService) + 1, scale, t0));
  return {
    '/_ping': 'OK',
    '/version': JSON.stringify({ Version: '20.10.24', ApiVersion: '1.41', MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64' }),
    '/info': JSON.stringify({
      Name: 'sim-node-0', ServerVersion: '20.10.24',
      Swarm: { NodeID: `n${hex(0)}`, NodeAddr: '10.0.0.0', LocalNodeState: 'active', ControlAvailable: true, Managers: scale.managers, Nodes: scale.nodes, Error: '' },
    }),
    '/swarm': JSON.stringify({
      ID: 'simswarm', Version: { Index: 1 }, CreatedAt: iso(t0), UpdatedAt: iso(t0),
      Spec: { Orchestration: { TaskHistoryRetentionLimit: 5 }, Dispatcher: { HeartbeatPeriod: 5e9 }, CAConfig: { NodeCertExpiry: 7776000e9 }, EncryptionConfig: { AutoLockManagers: false } },
      TLSInfo: { TrustRoot: '', CertIssuerSubject: 'MBMxETAPBgNVBAMTCHN3YXJtLWNh', CertIssuerPublicKey: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE' },
      RootRotationInProgress: false,
      JoinTokens: { Worker: 'SWMTKN-1-simulated-worker', Manager: 'SWMTKN-1-simulated-manager' },
    }),
    '/nodes': JSON.stringify(nodes),
    '/services': JSON.stringify(services),
    '/tasks': JSON.stringify(tasks),
    '/secrets': '[]',
    '/configs': '[]',
    '/networks': JSON.stringify([{ Name: 'ingress', Id: 'ingressnet', Created: iso(t0), Scope: 'swarm', Driver: 'overlay', Ingress: true, IPAM: { Config: [{ Subnet: '10.0.0.0/24' }] }, Labels: {} }]),
  };
}

type Listed = Record<string, unknown> & { ID?: string; Spec?: { Name?: string; Role?: string }; ServiceID?: string; NodeID?: string };

/** What the engine's list filters check (id prefix, name, service, node, role), enough for the live layer's calls. */
function matches(kind: string, o: Listed, key: string, values: readonly string[]): boolean {
  const id = o.ID ?? '';
  switch (key) {
    case 'id':
      return values.some((v) => id.startsWith(v));
    case 'name':
      return values.some((v) => (o.Spec?.Name ?? '').startsWith(v));
    case 'service':
      return kind === 'tasks' && values.includes(o.ServiceID ?? '');
    case 'node':
      return kind === 'tasks' && values.includes(o.NodeID ?? '');
    case 'role':
      return values.includes(o.Spec?.Role ?? '');
    default:
      return true;
  }
}

/** A filtered list body (as a real engine answers `?filters=`), or null when the request has no filters. */
function filteredList(path: string, url: string, parsed: ReadonlyMap<string, Listed[]>): string | null {
  const kind = path.slice(1);
  const list = parsed.get(kind);
  const raw = new URL(url, 'http://engine').searchParams.get('filters');
  if (!list || raw === null) return null;
  const f = JSON.parse(raw) as Record<string, string[] | Record<string, boolean>>;
  const keys = Object.entries(f).map(([k, v]): [string, string[]] => [k, Array.isArray(v) ? v : Object.keys(v)]);
  if (keys.length === 0) return null;
  return JSON.stringify(list.filter((o) => keys.every(([k, v]) => matches(kind, o, k, v))));
}

/** Serves the payloads on a unix socket; /events stays open and silent (nothing changes). */
export async function startSimulatedEngine(socketPath: string, scale: SimulatedScale): Promise<{ close(): Promise<void>; bytes: number }> {
  const bodies = generatePayloads(scale);
  const parsed = new Map(['nodes', 'services', 'tasks'].map((k) => [k, JSON.parse(bodies[`/${k}`] ?? '[]') as Listed[]]));
  rmSync(socketPath, { force: true });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/^\/v1\.\d+/, '');
    if (path === '/events') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.flushHeaders(); // as the engine does: the stream is open before any event arrives
      return; // held open: an idle cluster sends no events
    }
    const key = /^\/(nodes|services|tasks|secrets|configs|networks)\/([^/]+)$/.exec(path);
    if (key) {
      const list = JSON.parse(bodies[`/${key[1]}`] ?? '[]') as { ID?: string; Id?: string }[];
      const found = list.find((o) => o.ID === key[2] || o.Id === key[2]);
      res.writeHead(found ? 200 : 404, { 'Content-Type': 'application/json' });
      res.end(found ? JSON.stringify(found) : JSON.stringify({ message: `no such object: ${key[2]}` }));
      return;
    }
    const filtered = filteredList(path, req.url ?? '', parsed);
    const body = filtered ?? bodies[path];
    if (body === undefined) {
      res.writeHead(404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: `simulated engine: ${path} not simulated` }));
      return;
    }
    res.writeHead(200, { 'Content-Type': path === '/_ping' ? 'text/plain' : 'application/json', 'Api-Version': '1.41' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const bytes = Object.values(bodies).reduce((n, b) => n + b.length, 0);
  return {
    bytes,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
