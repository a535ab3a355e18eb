import type { AuditLine } from '../../actions/audit-read.js';
import type { ClusterState } from '../../store/state.js';
import type { TimelineEntry } from '../../store/timeline/entry.js';

/** Everything a bundle is made of, already read. */
export interface BundleInput {
  state: ClusterState;
  /** The timeline entries of the window, oldest first. */
  entries: readonly TimelineEntry[];
  audit: readonly AuditLine[];
  /** Last log lines per service not converged, by service name (formatted lines). */
  logs: ReadonlyMap<string, readonly string[]>;
  /** Services whose logs could not be read, with why. */
  logErrors: ReadonlyMap<string, string>;
  since: number;
  until: number;
  /** Where the engine's history begins, when it begins inside the window (older events are gone). */
  historyNote: string | null;
  tool: { version: string; endpoint: string };
}

export interface BundleFile {
  /** Path inside the bundle's directory. */
  name: string;
  content: string;
}

