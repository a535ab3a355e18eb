import { routeToNode, type NodeIdentity } from '../../config/node-endpoints.js';
import { printable } from '../../text/printable.js';
import { ConnectError } from '../connect/errors.js';
import type { DockerConnection } from '../connection.js';
import { describeEndpoint, type Connector, type EndpointSpec, type NodeEndpointRules } from '../endpoint.js';

/** A node's engine could not be reached; the message says why, in words shown where the data would be. */
export class NodeUnreachableError extends Error {
  constructor(message: string) {
    super(printable(message));
    this.name = 'NodeUnreachableError';
  }
}

/** Each node's own engine, for what a manager's API cannot do: exec into a container, read its stats. */
export interface NodeReach {
  /** The node's engine, connected on first use and reused; rejects with a NodeUnreachableError. */
  connect(nodeId: string): Promise<DockerConnection>;
  /** Why the node was last found unreachable (null: reachable, or not tried yet). */
  failure(nodeId: string): string | null;
  /** Forgets a node's connection after its transport failed, so the next use connects again. */
  drop?(nodeId: string): void;
  close(): Promise<void>;
}

export interface NodeConnectionsOptions {
  rules: NodeEndpointRules | undefined;
  managers: readonly EndpointSpec[];
  connector: Connector;
  /** The live manager connection and the id of the node it runs on (its engine is that node's). */
  manager(): { connection: DockerConnection; nodeId: string } | null;
  /** The node as the swarm lists it (hostname, address), or null when unknown. */
  node(nodeId: string): NodeIdentity | null;
  /** A failure is remembered this long before the node is tried again (nothing hammers a dead host). */
  retryAfterMs?: number;
  now?: () => number;
}

type Entry =
  | { kind: 'pending'; promise: Promise<DockerConnection>; abort: AbortController }
  | { kind: 'open'; connection: DockerConnection }
  | { kind: 'failed'; reason: string; at: number };

/** The reason a connector's error gives, led by its kind (auth failed, timeout) so it reads at a glance. */
function reasonOf(hostname: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown }).code;
  if (err instanceof ConnectError) {
    if (err.failure === 'ssh-auth' || err.failure === 'bad-passphrase' || err.failure === 'tls-client-rejected') return `node ${hostname}: auth failed — ${message}`;
    if (err.failure === 'ssh-host-unknown' || err.failure === 'ssh-host-changed') return `node ${hostname}: host key not trusted — ${message}`;
  }
  if (code === 'ETIMEDOUT' || /timed? ?out|no answer within/i.test(message)) return `node ${hostname}: timeout — ${message}`;
  return `node ${hostname}: unreachable — ${message}`;
}

/**
 * One connection per node, opened lazily when something needs that node and kept for reuse; the
 * manager's own node reuses the manager connection. Connections go through the same connector as the
 * managers' (known_hosts, keychain). A node that fails is remembered with its reason for a while.
 */
export class NodeConnections implements NodeReach {
  private readonly entries = new Map<string, Entry>();
  private closed = false;

  constructor(private readonly o: NodeConnectionsOptions) {}

  failure(nodeId: string): string | null {
    const e = this.entries.get(nodeId);
    return e?.kind === 'failed' ? e.reason : null;
  }

  connect(nodeId: string): Promise<DockerConnection> {
    if (this.closed) return Promise.reject(new NodeUnreachableError('the console is closing'));
    const manager = this.o.manager();
    const node = this.o.node(nodeId);
    if (node === null) return Promise.reject(new NodeUnreachableError(`node ${nodeId} is not in the swarm's node list`));
    const route = routeToNode(node, this.o.rules, this.o.managers, manager?.nodeId ?? null);
    if (route.kind === 'manager') {
      if (manager === null) return Promise.reject(new NodeUnreachableError('not connected to a manager'));
      return Promise.resolve(manager.connection);
    }
    if (route.kind === 'none') return Promise.reject(new NodeUnreachableError(route.reason));
    const now = this.o.now ?? Date.now;
    const e = this.entries.get(nodeId);
    if (e?.kind === 'open') return Promise.resolve(e.connection);
    if (e?.kind === 'pending') return e.promise;
    if (e?.kind === 'failed' && now() - e.at < (this.o.retryAfterMs ?? 30_000)) return Promise.reject(new NodeUnreachableError(e.reason));
    const abort = new AbortController();
    const promise = this.o.connector(route.spec, abort.signal).then(
      (connection) => {
        if (this.closed) {
          void connection.close();
          throw new NodeUnreachableError('the console is closing');
        }
        this.entries.set(nodeId, { kind: 'open', connection });
        return connection;
      },
      (err: unknown) => {
        const reason = `${reasonOf(node.hostname, err)} (${describeEndpoint(route.spec)}, from ${route.rule})`;
        this.entries.set(nodeId, { kind: 'failed', reason, at: now() });
        throw new NodeUnreachableError(reason);
      },
    );
    this.entries.set(nodeId, { kind: 'pending', promise, abort });
    return promise;
  }

  /** Forgets a node's connection after its transport failed, so the next use connects again. */
  drop(nodeId: string): void {
    const e = this.entries.get(nodeId);
    this.entries.delete(nodeId);
    if (e?.kind === 'open') void e.connection.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.all(entries.map(async (e) => {
      if (e.kind === 'pending') e.abort.abort();
      if (e.kind === 'open') await e.connection.close().catch(() => undefined);
    }));
  }
}
