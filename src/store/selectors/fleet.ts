import type { NodeModel, SwarmModel } from '../model.js';
import type { ClusterState, ConnectionStatus } from '../state.js';
import { selectHealth } from './health.js';
import { memoByRef } from './memo.js';

/** How bad a context looks, worst last: the fleet sorts on it (descending), then by name. */
export type FleetSeverity = 0 | 1 | 2 | 3;
export const SEVERITY = { ok: 0, warn: 1, bad: 2, down: 3 } as const;

/** A certificate deadline: the root CA's own, or the latest a down node's certificate can still be valid. */
export interface CertDeadline {
  /** Epoch ms. */
  at: number;
  /** "root CA" or "node HOST (down)". */
  what: string;
}

/** One context as the fleet shows it: everything computed from that context's own store. */
export interface FleetSummary {
  context: string;
  status: ConnectionStatus;
  /** Epoch ms since the data may be out of date; null while live. */
  staleSince: number | null;
  /** Data from at least one complete read (false: nothing known yet). */
  known: boolean;
  error: string | null;
  endpoint: string;
  leader: string | null;
  managers: number;
  managersReachable: number;
  quorum: number;
  hasQuorum: boolean;
  toleratesNow: number;
  nodes: number;
  nodesReady: number;
  services: number;
  servicesConverged: number;
  servicesUpdating: number;
  /** Managers of the context found locked (see ConnectionInfo.lockedEndpoints). */
  lockedManagers: number;
  caRotation: boolean;
  /** Nodes whose certificate is issued by the current root CA (equal to `nodes` when none is rotating). */
  nodesOnCurrentCa: number;
  certExpiry: CertDeadline | null;
  /** Distinct engine versions of the nodes, most common first. */
  engineVersions: readonly string[];
  severity: FleetSeverity;
  /** The worst things about the context, in words ("ok" when nothing). */
  problems: readonly string[];
}

/** A node runs on a certificate from the swarm's current root CA (as `docker swarm ca --rotate` checks it). */
export function onCurrentCa(n: NodeModel, swarm: SwarmModel | null): boolean {
  return swarm !== null && n.tlsIssuerPublicKey === swarm.certIssuerPublicKey && n.tlsIssuerSubject === swarm.certIssuerSubject;
}

/**
 * The Engine API tells no node certificate's dates. What it does tell: the root CA's certificate, the
 * node certificate lifetime, and nodes that are down; a node renews its certificate only while up, so a
 * node down since T holds one valid until T + lifetime at the latest (past it, it must join again).
 */
export function certDeadline(swarm: SwarmModel | null, nodes: Iterable<NodeModel>): CertDeadline | null {
  let best: CertDeadline | null = swarm && swarm.caExpiresAt > 0 ? { at: swarm.caExpiresAt, what: 'root CA' } : null;
  const lifetimeMs = (swarm?.nodeCertExpiryNs ?? 0) / 1e6;
  if (lifetimeMs > 0) {
    for (const n of nodes) {
      if (n.state !== 'down' || n.updatedAt <= 0) continue;
      const at = n.updatedAt + lifetimeMs;
      if (best === null || at < best.at) best = { at, what: `node ${n.hostname} (down)` };
    }
  }
  return best;
}

function versions(nodes: Iterable<NodeModel>): string[] {
  const count = new Map<string, number>();
  for (const n of nodes) if (n.engineVersion !== '') count.set(n.engineVersion, (count.get(n.engineVersion) ?? 0) + 1);
  return [...count].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
}

const nodeFacts = memoByRef((nodes: ClusterState['nodes']) => ({ versions: versions(nodes.values()) }));

/** A certificate deadline closer than this is a warning. */
export const CERT_WARN_MS = 14 * 24 * 3600_000;

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The context's summary at `now` (certificate deadlines are relative to it). */
export function fleetSummary(state: ClusterState, now: number): FleetSummary {
  const c = state.connection;
  const h = selectHealth(state);
  const m = h.managers;
  const swarm = state.swarm;
  let onCa = 0;
  for (const n of state.nodes.values()) if (onCurrentCa(n, swarm)) onCa++;
  const known = state.syncedAt > 0;
  const s: FleetSummary = {
    context: c.context, status: c.status, staleSince: c.staleSince, known, error: c.error, endpoint: c.endpoint,
    leader: m.leader?.hostname ?? null, managers: m.total, managersReachable: m.reachable, quorum: m.quorum,
    hasQuorum: m.hasQuorum, toleratesNow: m.toleratesNow, nodes: h.nodesTotal, nodesReady: h.nodesReady,
    services: h.servicesTotal, servicesConverged: h.servicesConverged, servicesUpdating: h.servicesUpdating,
    lockedManagers: c.lockedEndpoints.length, caRotation: swarm?.rootRotationInProgress ?? false, nodesOnCurrentCa: onCa,
    certExpiry: certDeadline(swarm, state.nodes.values()), engineVersions: nodeFacts(state.nodes).versions,
    severity: SEVERITY.ok, problems: [],
  };
  return { ...s, ...judge(s, now) };
}

/** Severity and the problems behind it, worst first. */
function judge(s: FleetSummary, now: number): { severity: FleetSeverity; problems: string[] } {
  const problems: [FleetSeverity, string][] = [];
  const add = (sev: FleetSeverity, text: string): void => void problems.push([sev, text]);
  if (s.staleSince !== null) add(SEVERITY.down, s.known ? 'stale' : 'unreachable');
  else if (!s.known) add(SEVERITY.warn, s.status === 'failed' ? 'unreachable' : 'connecting');
  if (s.known && s.managers > 0 && !s.hasQuorum) add(SEVERITY.down, 'NO QUORUM');
  else if (s.known && s.managers > 1 && s.toleratesNow === 0) add(SEVERITY.bad, 'no manager may fail');
  if (s.known && s.managers === 0 && s.staleSince === null) add(SEVERITY.bad, 'not a swarm manager');
  if (s.lockedManagers > 0) add(SEVERITY.bad, `${plural(s.lockedManagers, 'manager')} locked`);
  if (s.known && s.leader === null && s.managers > 0) add(SEVERITY.bad, 'no leader');
  if (s.nodesReady < s.nodes) add(SEVERITY.bad, `${plural(s.nodes - s.nodesReady, 'node')} not ready`);
  if (s.servicesConverged < s.services) add(SEVERITY.warn, `${plural(s.services - s.servicesConverged, 'service')} not converged`);
  if (s.servicesUpdating > 0) add(SEVERITY.warn, `${s.servicesUpdating} updating`);
  if (s.caRotation) add(SEVERITY.warn, `CA rotation ${s.nodesOnCurrentCa}/${s.nodes}`);
  if (s.certExpiry !== null && s.certExpiry.at - now < CERT_WARN_MS) add(s.certExpiry.at <= now ? SEVERITY.bad : SEVERITY.warn, `${s.certExpiry.what} certificate ${s.certExpiry.at <= now ? 'expired' : 'expires soon'}`);
  if (s.engineVersions.length > 1) add(SEVERITY.warn, 'mixed engine versions');
  problems.sort((a, b) => b[0] - a[0]);
  return { severity: (problems[0]?.[0] ?? SEVERITY.ok), problems: problems.map(([, t]) => t) };
}

/** Worst first, then by name. */
export function sortWorstFirst<T extends Pick<FleetSummary, 'severity' | 'context'>>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => b.severity - a.severity || a.context.localeCompare(b.context));
}
