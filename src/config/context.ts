import type { EndpointSpec, NodeEndpointRules } from './endpoint.js';

/** Where a context was defined, shown in the context switcher. */
export type ContextSource = 'swarmtop' | 'docker';

/** A named way to reach one swarm: one or more managers, tried in order (failover). Never a secret. */
export interface SwarmContext {
  name: string;
  endpoints: EndpointSpec[];
  /** How each node's own engine is reached (the `nodes:` map and the context's SSH settings). */
  nodes?: NodeEndpointRules;
  readOnly: boolean;
  theme: string | null;
  source: ContextSource;
  description: string | null;
}

/** A context file or docker context store that could not be read; message names file and line. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number | null,
  ) {
    super(line === null ? `${file}: ${message}` : `${file}:${line}: ${message}`);
    this.name = 'ConfigError';
  }
}
