import { resolve } from 'node:path';
import { readAuditLines, type AuditLine } from '../../actions/audit-read.js';
import type { DockerConnection } from '../../docker/connection.js';
import { readLogs } from '../../docker/api/logs.js';
import type { Id, ServiceModel } from '../../store/model.js';
import { isConverged } from '../../store/service-status.js';
import type { ClusterState } from '../../store/state.js';
import type { TimelineEntry } from '../../store/timeline/entry.js';
import { taskLabel } from '../../store/timeline/diff.js';
import { packageVersion } from '../version.js';
import { bundleFiles } from './build.js';
import { writeBundle } from './write.js';

/** Log lines per service not converged, by default. */
export const DEFAULT_LOG_LINES = 200;
/** Services whose logs are read at most (the worst first would need a ranking; by name is predictable). */
const MAX_LOG_SERVICES = 50;
const LOG_TIMEOUT_MS = 15_000;
const LOGS_AT_ONCE = 3;

export interface AssembleOptions {
  conn: DockerConnection | null;
  state: ClusterState;
  /** Every timeline entry known; those of the window go in. */
  entries: readonly TimelineEntry[];
  since: number;
  until: number;
  logLines: number;
  /** Where to write; null: swarmtop-bundle-CONTEXT-TIME.tar.gz in the current directory. */
  out: string | null;
  auditFile?: string;
  /** The window's audit lines when already read (else read here). */
  audit?: readonly AuditLine[];
}

export interface Assembled {
  file: string;
  entries: number;
  services: number;
  auditLines: number;
}

const stamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');

async function serviceLogs(conn: DockerConnection, state: ClusterState, svc: ServiceModel, tail: number): Promise<string[]> {
  const names = new Map<Id, string>();
  for (const t of state.tasksByService.get(svc.id)?.values() ?? []) {
    names.set(t.id, taskLabel(t, svc.name, t.nodeId === null ? '' : state.nodes.get(t.nodeId)?.hostname ?? ''));
  }
  const lines: string[] = [];
  const signal = AbortSignal.timeout(LOG_TIMEOUT_MS);
  for await (const l of readLogs(conn, { kind: 'service', id: svc.id, follow: false, tail, signal })) {
    const task = names.get(l.taskId) ?? l.taskId.slice(0, 12);
    lines.push(`${l.timestamp} ${task}${l.stream === 'stderr' ? ' stderr' : ''} | ${l.text}`);
  }
  return lines;
}

/** The last lines of every service not converged; a service whose logs cannot be read says why. */
async function collectLogs(conn: DockerConnection | null, state: ClusterState, tail: number): Promise<{ logs: Map<string, string[]>; errors: Map<string, string> }> {
  const logs = new Map<string, string[]>();
  const errors = new Map<string, string>();
  const services = [...state.services.values()].filter((s) => !isConverged(s)).sort((a, b) => a.name.localeCompare(b.name));
  for (const s of services.slice(MAX_LOG_SERVICES)) errors.set(s.name, `not read: only the first ${MAX_LOG_SERVICES} services not converged are`);
  if (tail <= 0) return { logs, errors };
  const queue = services.slice(0, MAX_LOG_SERVICES);
  const lane = async (): Promise<void> => {
    for (let svc = queue.shift(); svc; svc = queue.shift()) {
      if (conn === null) {
        errors.set(svc.name, 'not connected to an engine');
        continue;
      }
      try {
        logs.set(svc.name, await serviceLogs(conn, state, svc, tail));
      } catch (err) {
        errors.set(svc.name, err instanceof Error ? err.message : String(err));
      }
    }
  };
  await Promise.all(Array.from({ length: LOGS_AT_ONCE }, lane));
  return { logs, errors };
}

/** Where the engine's history begins, when that is inside the window (what is older is gone). */
function historyNote(entries: readonly TimelineEntry[], since: number): string | null {
  const marker = entries.find((e) => e.source === 'console' && e.name === 'history');
  return marker && marker.at > since ? `${new Date(marker.at).toISOString()}: ${marker.text}` : null;
}

/** Reads what the bundle needs beyond the timeline (audit lines, logs) and writes the archive. */
export async function assembleBundle(o: AssembleOptions): Promise<Assembled> {
  const entries = o.entries.filter((e) => e.at >= o.since && e.at <= o.until).sort((a, b) => a.at - b.at || a.seq - b.seq);
  const [audit, { logs, errors }] = await Promise.all([
    o.audit ?? readAuditLines({ since: o.since, until: o.until + 1, context: o.state.connection.context }, o.auditFile),
    collectLogs(o.conn, o.state, o.logLines),
  ]);
  const top = `swarmtop-bundle-${o.state.connection.context.replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp(o.until)}`;
  const file = resolve(o.out ?? `${top}.tar.gz`);
  const files = bundleFiles({
    state: o.state, entries, audit, logs, logErrors: errors, since: o.since, until: o.until,
    historyNote: historyNote(o.entries, o.since), tool: { version: packageVersion(), endpoint: o.state.connection.endpoint },
  });
  await writeBundle(files, file, top);
  return { file, entries: entries.length, services: logs.size, auditLines: audit.length };
}

/** "30m", "2h", "90s", "1d", or an ISO time: the start of the window, in epoch ms. */
export function parseSince(text: string, now: number): number | null {
  const m = /^(\d+)(s|m|h|d)$/.exec(text.trim());
  if (m) return now - Number(m[1]) * { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  const t = Date.parse(text);
  return Number.isFinite(t) && t <= now ? t : null;
}
