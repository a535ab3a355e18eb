import type { ClusterState } from '../../store/state.js';
import { selectHealth } from '../../store/selectors/health.js';
import { selectWhy } from '../../store/selectors/why.js';
import { replicaText } from '../../store/selectors/replicas.js';
import type { TimelineEntry } from '../../store/timeline/entry.js';
import { printable } from '../../ui/format.js';
import type { BundleInput } from './types.js';

/** At most this many changes are listed in SUMMARY.md (all of them are in timeline.jsonl). */
const MAX_CHANGES = 60;

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Text from the engine and the operator: no escape sequence (the file may be `cat`), no broken list or code span. */
const md = (s: string): string => printable(s.replace(/[\r\n]+/g, ' ')).replace(/`/g, "'");

const line = (e: TimelineEntry): string =>
  `- ${iso(e.at)} ${e.severity === 'info' ? '' : `**${e.severity}** `}${e.kind === 'console' ? '' : `${e.kind} `}\`${md(e.name)}\` ${md(e.text)}`;

function unhealthy(state: ClusterState): string[] {
  const h = selectHealth(state);
  const out: string[] = [];
  const m = h.managers;
  out.push(`- managers: ${m.reachable}/${m.total} reachable, leader ${m.leader?.hostname ?? 'none'}, ${m.hasQuorum ? `quorum held (fault tolerance ${m.faultTolerance})` : '**quorum lost**'}`);
  const notReady = [...state.nodes.values()].filter((n) => n.state !== 'ready');
  const notActive = [...state.nodes.values()].filter((n) => n.availability !== 'active');
  out.push(`- nodes: ${h.nodesReady}/${h.nodesTotal} ready${notReady.length > 0 ? ` — not ready: ${notReady.map((n) => `${n.hostname} (${n.state})`).join(', ')}` : ''}`);
  if (notActive.length > 0) out.push(`- nodes not active: ${notActive.map((n) => `${n.hostname} (${n.availability})`).join(', ')}`);
  const services = [...state.services.values()].sort((a, b) => a.name.localeCompare(b.name));
  const bad = services.map((s) => ({ s, why: selectWhy(state, s.id) })).filter((x) => x.why !== null);
  out.push(`- services: ${h.servicesConverged}/${h.servicesTotal} converged${bad.length === 0 ? '' : ':'}`);
  for (const { s, why } of bad) {
    out.push(`  - \`${md(s.name)}\` ${replicaText(s)}${s.updateStatus ? ` (update ${s.updateStatus.state})` : ''}: ${md(why?.reasons.join('; ') ?? '')}`);
  }
  return out;
}

/** SUMMARY.md: what was unhealthy when the bundle was written, what changed in the window, what the operator did. */
export function summaryMarkdown(input: BundleInput, files: readonly string[]): string {
  const { state, entries } = input;
  // Every change the engine reported, and whatever else went wrong (a task starting is no news).
  const changes = entries.filter((e) => e.source !== 'operator' && (e.source === 'engine' || e.severity !== 'info'));
  const operator = entries.filter((e) => e.source === 'operator');
  const shown = changes.slice(-MAX_CHANGES);
  const history = input.historyNote ? [`> ${md(input.historyNote)}`, ''] : [];
  return [
    `# Incident bundle: ${md(state.connection.context)}`,
    '',
    `Window ${iso(input.since)} to ${iso(input.until)} (UTC). Written by swarmtop ${input.tool.version} from ${md(input.tool.endpoint)}.`,
    '',
    ...history,
    `## What was unhealthy (at ${iso(input.until)})`,
    '',
    ...unhealthy(state),
    '',
    `## What changed (${changes.length} of ${entries.length} timeline entries: engine events, warnings and errors${shown.length < changes.length ? `; the last ${shown.length} here` : ''})`,
    '',
    ...(shown.length > 0 ? shown.map(line) : ['- no engine event, warning or error in the window']),
    '',
    `## What the operator did (${operator.length})`,
    '',
    ...(operator.length > 0 ? operator.map(line) : ['- nothing recorded in this machine\'s audit log for this context']),
    '',
    '## Files',
    '',
    ...files.map((f) => `- \`${f}\``),
    '',
    'Tokens, unlock keys and secret values are never read into a bundle: join tokens and the unlock key are not fetched, secret payloads cannot be read from the engine, and the audit log never holds them. Logs are the services\' own output, as written.',
    '',
  ].join('\n');
}
