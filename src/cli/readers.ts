import type { TargetKind } from '../actions/types.js';
import { getJson } from '../docker/api/read.js';
import type { DockerConnection } from '../docker/connection.js';
import type { ConsoleReaders, LogLine, LogRequest } from '../ui/options.js';

const INSPECT_PATHS: Partial<Record<TargetKind, string>> = {
  node: '/nodes', service: '/services', task: '/tasks', secret: '/secrets', config: '/configs', network: '/networks',
};

/** The inspect and logs readers of the console, always against the manager in use right now. */
export function consoleReaders(connection: () => DockerConnection | null): ConsoleReaders {
  const current = (): DockerConnection => {
    const c = connection();
    if (!c) throw new Error('not connected: waiting for a manager to answer');
    return c;
  };
  return {
    inspect(kind, id) {
      if (kind === 'swarm') return getJson(current(), '/swarm');
      const base = INSPECT_PATHS[kind];
      if (!base) return Promise.reject(new Error(`nothing to inspect for a ${kind}`));
      return getJson(current(), `${base}/${encodeURIComponent(id)}`);
    },
    // eslint-disable-next-line @typescript-eslint/require-await
    async *logs(req: LogRequest): AsyncIterable<LogLine> {
      current();
      yield { stream: 'stderr', timestamp: '', task: '', text: `logs of ${req.kind} ${req.id}: not available yet` };
    },
  };
}
