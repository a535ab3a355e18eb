import { readLightSnapshot } from '../docker/api/read.js';
import { describeEndpoint, type Connector, type ResolvedTarget } from '../docker/endpoint.js';
import { toDockerApiError } from '../docker/errors.js';
import { reduce } from '../store/reducer.js';
import { fleetSummary, sortWorstFirst, type FleetSummary } from '../store/selectors/fleet.js';
import { emptyConnection, emptyState } from '../store/state.js';
import type { CliOptions } from './args.js';
import type { TextOut } from './snapshot.js';
import { listContexts, resolveTarget, targetForContext } from './target.js';

/** Longest one context may take (connect and read); a silent one is reported, never waited on longer. */
export const FLEET_CONTEXT_TIMEOUT_MS = 10_000;

/** A context of the fleet: its target, or why it has none (a context that cannot be resolved). */
export type FleetEntry = { name: string; target: ResolvedTarget } | { name: string; error: string };

const LOCKED = /needs to be unlocked|swarm is locked|swarm is encrypted/i;
const SEVERITY_WORD = ['ok', 'warn', 'bad', 'down'] as const;
const iso = (ms: number): string | null => (ms > 0 ? new Date(ms).toISOString() : null);

/** One context read once, light (engine, swarm, nodes, services), from the first manager that answers in time. */
async function readSummary(target: ResolvedTarget, connect: Connector, timeoutMs: number, now: () => number): Promise<FleetSummary> {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  const deadline = now() + timeoutMs;
  const errors: string[] = [];
  const locked: string[] = [];
  const base = { ...emptyConnection(target.context, describeEndpoint(target.endpoints[0]!)), insecure: target.insecure, readOnly: target.readOnly };
  try {
    for (const endpoint of target.endpoints) {
      const where = describeEndpoint(endpoint);
      if (ctl.signal.aborted) {
        errors.push(`${where}: not tried (no time left)`);
        continue;
      }
      try {
        const attempt = (async () => {
          const conn = await connect(endpoint, ctl.signal);
          try {
            return await readLightSnapshot(conn, { signal: ctl.signal, timeoutMs: Math.max(1, deadline - now()) });
          } finally {
            await conn.close().catch(() => undefined);
          }
        })();
        // The connector may not watch the signal everywhere: the race keeps the bound whatever it does.
        const aborted = new Promise<never>((_, reject) => ctl.signal.addEventListener('abort', () => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), { once: true }));
        attempt.catch(() => undefined);
        const snapshot = await Promise.race([attempt, aborted]);
        const at = now();
        const state = reduce(emptyState({ ...base, endpoint: where, status: 'live', lastContactAt: at, lockedEndpoints: locked }), { type: 'snapshot', snapshot, at });
        return fleetSummary(state, at);
      } catch (e) {
        const message = ctl.signal.aborted ? `no answer within ${timeoutMs / 1000} s` : toDockerApiError(e).message;
        if (LOCKED.test(message)) locked.push(where);
        errors.push(`${where}: ${message}`);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  const at = now();
  return fleetSummary(emptyState({ ...base, status: 'failed', staleSince: at, error: errors.join('; '), lockedEndpoints: locked }), at);
}

function summaryJson(s: FleetSummary) {
  return {
    context: s.context,
    reachable: s.known && s.staleSince === null,
    endpoint: s.endpoint,
    error: s.error,
    severity: SEVERITY_WORD[s.severity],
    problems: s.problems,
    leader: s.leader,
    managers: s.managers,
    managersReachable: s.managersReachable,
    quorum: s.quorum,
    hasQuorum: s.hasQuorum,
    toleratesNow: s.toleratesNow,
    nodes: s.nodes,
    nodesReady: s.nodesReady,
    services: s.services,
    servicesConverged: s.servicesConverged,
    servicesUpdating: s.servicesUpdating,
    lockedManagers: s.lockedManagers,
    caRotationInProgress: s.caRotation,
    nodesOnCurrentCa: s.nodesOnCurrentCa,
    certExpiry: s.certExpiry ? { at: iso(s.certExpiry.at), what: s.certExpiry.what } : null,
    engineVersions: s.engineVersions,
    mixedEngineVersions: s.engineVersions.length > 1,
  };
}

export type FleetSummaryJson = ReturnType<typeof summaryJson>;

/** Every context's summary, read concurrently, each bounded by `timeoutMs`; worst first. */
export async function readFleet(entries: readonly FleetEntry[], connect: Connector, timeoutMs = FLEET_CONTEXT_TIMEOUT_MS, now: () => number = Date.now): Promise<FleetSummaryJson[]> {
  const summaries = await Promise.all(entries.map(async (e) => {
    if ('error' in e) {
      const at = now();
      return fleetSummary(emptyState({ ...emptyConnection(e.name, ''), status: 'failed', staleSince: at, error: e.error }), at);
    }
    return readSummary(e.target, connect, timeoutMs, now);
  }));
  return sortWorstFirst(summaries).map(summaryJson);
}

/**
 * `swarmtop snapshot --json --fleet`: every context's summary as one JSON document. Exit code 0 when
 * every context answered, 1 when some did not (their rows say why).
 */
export async function runFleetSnapshot(entries: readonly FleetEntry[], connect: Connector, out: TextOut, timeoutMs = FLEET_CONTEXT_TIMEOUT_MS): Promise<number> {
  const contexts = await readFleet(entries, connect, timeoutMs);
  out.write(`${JSON.stringify({ generatedAt: new Date().toISOString(), contexts }, null, 2)}\n`);
  return contexts.every((c) => c.reachable) ? 0 : 1;
}

/** The fleet's contexts (swarmtop's and docker's); with none defined, the one the CLI would connect to. */
export function fleetEntries(opts: CliOptions): FleetEntry[] {
  const contexts = listContexts();
  if (contexts.length === 0) {
    const target = resolveTarget(opts);
    return [{ name: target.context, target }];
  }
  return contexts.map((c): FleetEntry => {
    try {
      return { name: c.name, target: targetForContext(c.name, opts) };
    } catch (e) {
      return { name: c.name, error: e instanceof Error ? e.message : String(e) };
    }
  });
}
