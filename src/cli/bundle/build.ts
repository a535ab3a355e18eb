import { entryJson } from '../../store/timeline/entry.js';
import { printable } from '../../ui/format.js';
import { snapshotJson } from '../snapshot-json.js';
import { summaryMarkdown } from './summary.js';
import type { BundleFile, BundleInput } from './types.js';

/** A service name as a file name: nothing that climbs out of logs/ or means something to a shell. */
export function safeFileName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return cleaned === '' ? '_' : cleaned.slice(0, 120);
}

function versions(input: BundleInput) {
  const s = input.state;
  return {
    swarmtop: input.tool.version,
    engine: s.engine ? { name: s.engine.name, serverVersion: s.engine.serverVersion, apiVersion: s.engine.apiVersion, endpoint: input.tool.endpoint } : null,
    nodes: [...s.nodes.values()].sort((a, b) => a.hostname.localeCompare(b.hostname)).map((n) => ({
      hostname: n.hostname, id: n.id, role: n.role, engineVersion: n.engineVersion, os: n.os, arch: n.arch, state: n.state, availability: n.availability,
    })),
  };
}

/** The bundle's files: SUMMARY.md first, then the data an operator or a tool reads. */
export function bundleFiles(input: BundleInput): BundleFile[] {
  const logFiles: BundleFile[] = [...input.logs].map(([service, lines]) => ({
    // Log text is the services' own: cleaned of escape sequences, so `cat` of a bundle cannot drive a terminal.
    name: `logs/${safeFileName(service)}.log`, content: lines.map((l) => printable(l)).join('\n') + (lines.length > 0 ? '\n' : ''),
  }));
  if (input.logErrors.size > 0) {
    logFiles.push({ name: 'logs/ERRORS.txt', content: [...input.logErrors].map(([s, e]) => `${s}: ${e}`).join('\n') + '\n' });
  }
  const data: BundleFile[] = [
    { name: 'snapshot.json', content: `${JSON.stringify(snapshotJson(input.state), null, 2)}\n` },
    { name: 'timeline.jsonl', content: input.entries.map((e) => `${JSON.stringify(entryJson(e))}\n`).join('') },
    { name: 'audit.jsonl', content: input.audit.map((a) => `${a.raw}\n`).join('') },
    { name: 'versions.json', content: `${JSON.stringify(versions(input), null, 2)}\n` },
    ...logFiles,
  ];
  const summary: BundleFile = { name: 'SUMMARY.md', content: summaryMarkdown(input, ['SUMMARY.md', ...data.map((f) => f.name)]) };
  return [summary, ...data];
}
