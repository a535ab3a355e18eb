import { readAuditLines } from '../../actions/audit-read.js';
import { createConnector, interactiveConnectOptions } from '../../docker/connect/index.js';
import { readEventHistory } from '../../docker/api/events-history.js';
import type { Connector, ResolvedTarget } from '../../docker/endpoint.js';
import { toDockerApiError } from '../../docker/errors.js';
import { taskHistoryDrafts } from '../../store/timeline/history.js';
import { TimelineRecorder } from '../../store/timeline/recorder.js';
import { Timeline } from '../../store/timeline/timeline.js';
import { UsageError, parseGroupArgs } from '../args.js';
import type { CommandGroup, GroupInvocation } from '../groups.js';
import { withFirstManager } from '../snapshot.js';
import { resolveTarget } from '../target.js';
import { assembleBundle, DEFAULT_LOG_LINES, parseSince, type Assembled } from './assemble.js';
import { BundleWriteError } from './write.js';

const DEFAULT_SINCE = '30m';

export const BUNDLE_USAGE = [
  'bundle [--since 30m] [-o FILE] [--log-lines N]   an incident bundle (tar.gz) of the window: snapshot, timeline, logs, audit',
];

interface BundleArgs {
  since: number;
  until: number;
  out: string | null;
  logLines: number;
}

function parseBundleArgs(inv: GroupInvocation, now: number): { target: ResolvedTarget; args: BundleArgs } {
  const { connection, values, positionals } = parseGroupArgs(inv.options, inv.argv, {
    since: { type: 'string' }, output: { type: 'string', short: 'o' }, 'log-lines': { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`bundle: unexpected ${positionals[0]} (usage: swarmtop ${BUNDLE_USAGE[0]})`);
  const sinceText = typeof values.since === 'string' ? values.since : DEFAULT_SINCE;
  const since = parseSince(sinceText, now);
  if (since === null) throw new UsageError(`bundle: --since ${sinceText}: give a duration like 30m, 2h, 1d or a past ISO time`);
  const linesText = typeof values['log-lines'] === 'string' ? values['log-lines'] : String(DEFAULT_LOG_LINES);
  const logLines = Number(linesText);
  if (!Number.isInteger(logLines) || logLines < 0 || logLines > 100_000) throw new UsageError(`bundle: --log-lines ${linesText}: a whole number 0..100000`);
  return { target: resolveTarget(connection), args: { since, until: now, out: typeof values.output === 'string' ? values.output : null, logLines } };
}

/** The first manager that answers: its cluster, its event history, the audit log, the logs; then the archive. */
function bundleFrom(target: ResolvedTarget, connect: Connector, args: BundleArgs, notes: string[]): Promise<Assembled | string[]> {
  return withFirstManager(target, connect, async (conn, state) => {
    const recorder = new TimelineRecorder(new Timeline());
    // All the engine still holds: where that begins is part of the story (the marker says so).
    const events = await readEventHistory(conn, { since: '1', until: String(Math.ceil(args.until / 1000) + 1) }).catch((e: unknown) => {
      notes.push(`the engine's event history could not be read: ${toDockerApiError(e).message}`);
      return [];
    });
    recorder.history(events, state.connection.endpoint, state, args.until);
    recorder.add(taskHistoryDrafts(state, args.since, args.until + 1));
    const audit = await readAuditLines({ since: args.since, until: args.until + 1, context: target.context });
    recorder.operator(audit.map((a) => a.action));
    return assembleBundle({ conn, state, entries: recorder.timeline.entries(), since: args.since, until: args.until, logLines: args.logLines, out: args.out, audit });
  }, (e) => e instanceof BundleWriteError);
}

/** `swarmtop bundle`: exit 0 with the file written, 1 when no manager answered or the file could not be written. */
export async function runBundle(inv: GroupInvocation, connect: Connector = createConnector(interactiveConnectOptions()), now = Date.now()): Promise<number> {
  const { target, args } = parseBundleArgs(inv, now);
  if (target.endpoints.length === 0) {
    inv.stderr.write('swarmtop: bundle: no endpoint to read from\n');
    return 1;
  }
  const notes: string[] = [];
  let result: Assembled | string[];
  try {
    result = await bundleFrom(target, connect, args, notes);
  } catch (e) {
    if (!(e instanceof BundleWriteError)) throw e;
    inv.stderr.write(`swarmtop: bundle: ${e.message}\n`);
    return 1;
  }
  for (const n of notes) inv.stderr.write(`swarmtop: bundle: ${n}\n`);
  if (Array.isArray(result)) {
    inv.stderr.write(`swarmtop: bundle: nothing written, no manager answered:\n${result.map((l) => `  ${l}\n`).join('')}`);
    return 1;
  }
  inv.stdout.write(`${result.file}\n`);
  inv.stderr.write(`swarmtop: bundle: ${result.entries} timeline entries, logs of ${result.services} service(s), ${result.auditLines} audit line(s)\n`);
  return 0;
}

export const bundleGroup: CommandGroup = { usage: BUNDLE_USAGE, run: (inv) => runBundle(inv) };
