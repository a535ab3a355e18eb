import type { EndpointSpec, NodeEndpointRules, SshDefaults } from './endpoint.js';
import { EndpointUrlError, parseEndpointUrl } from './endpoint-url.js';

/** What the resolver needs to know of a node (from the swarm's node list). */
export interface NodeIdentity {
  id: string;
  hostname: string;
  addr: string;
}

/**
 * How one node's engine is reached: an endpoint of its own, the manager connection (the node swarmtop's
 * manager runs on is that very engine), or nothing, with the reason shown where the data would be.
 */
export type NodeRoute =
  | { kind: 'endpoint'; spec: EndpointSpec; rule: string }
  | { kind: 'manager' }
  | { kind: 'none'; reason: string };

const PLACEHOLDER = /\{(addr|hostname)\}/g;

/** A `nodes:` value with its placeholders filled in for one node. */
export function expandTemplate(template: string, node: Pick<NodeIdentity, 'addr' | 'hostname'>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => (name === 'addr' ? node.addr : node.hostname));
}

/** Parses a `nodes:` value once with sample values, so a malformed template fails when the file is read. */
export function checkTemplate(template: string): string | null {
  const unknown = /\{([^}]*)\}/.exec(template.replace(PLACEHOLDER, ''));
  if (unknown) return `"${template}": unknown placeholder {${unknown[1]}} (known: {addr}, {hostname})`;
  try {
    parseEndpointUrl(expandTemplate(template, { addr: '192.0.2.1', hostname: 'node' }));
    return null;
  } catch (err) {
    return err instanceof EndpointUrlError ? err.message : String(err);
  }
}

/** The context's ssh: settings applied to an ssh:// node endpoint, as to its managers. */
function withSsh(spec: EndpointSpec, ssh: SshDefaults): EndpointSpec {
  if (spec.kind !== 'ssh') return spec;
  const out = { ...spec };
  if (out.user === undefined && ssh.user !== undefined) out.user = ssh.user;
  if (out.port === undefined && ssh.port !== undefined) out.port = ssh.port;
  if (ssh.identityFile !== undefined) out.identityFile = ssh.identityFile;
  if (ssh.socketPath !== undefined) out.socketPath = ssh.socketPath;
  if (ssh.legacyAlgorithms) out.legacyAlgorithms = true;
  return out;
}

/** A manager's SSH settings that hold for its nodes too (not its port: that is the manager host's own). */
function sshSettingsOf(m: Extract<EndpointSpec, { kind: 'ssh' }>): SshDefaults {
  const out: SshDefaults = {};
  if (m.user !== undefined) out.user = m.user;
  if (m.identityFile !== undefined) out.identityFile = m.identityFile;
  if (m.socketPath !== undefined) out.socketPath = m.socketPath;
  if (m.legacyAlgorithms) out.legacyAlgorithms = true;
  return out;
}

/**
 * Where a node's engine is, in this order: the `nodes:` entry for its id, then for its hostname; the
 * manager connection for the manager's own node; the "*" entry; `ssh://<user>@{addr}` when the context
 * reaches its managers over SSH; otherwise nothing (and why).
 */
export function routeToNode(node: NodeIdentity, rules: NodeEndpointRules | undefined, managers: readonly EndpointSpec[], managerNodeId: string | null): NodeRoute {
  const map = rules?.map ?? {};
  const named = map[node.id] !== undefined ? node.id : map[node.hostname] !== undefined ? node.hostname : null;
  if (named === null && node.id === managerNodeId) return { kind: 'manager' };
  const sshManager = managers.find((m): m is Extract<EndpointSpec, { kind: 'ssh' }> => m.kind === 'ssh');
  const ssh: SshDefaults = { ...(sshManager ? sshSettingsOf(sshManager) : {}), ...rules?.ssh };
  const key = named ?? (map['*'] !== undefined ? '*' : null);
  let template: string;
  let rule: string;
  if (key !== null) {
    template = map[key]!;
    rule = `nodes: ${key === '*' ? '"*"' : key}`;
  } else if (sshManager) {
    template = 'ssh://{addr}';
    rule = 'ssh to the node address (the context reaches its managers over SSH)';
  } else {
    return { kind: 'none', reason: `no endpoint configured for node ${node.hostname} (add it, or "*", to the context's nodes: map)` };
  }
  if (node.addr === '' && template.includes('{addr}')) return { kind: 'none', reason: `node ${node.hostname} reports no address to reach it at` };
  try {
    return { kind: 'endpoint', spec: withSsh(parseEndpointUrl(expandTemplate(template, node)), ssh), rule };
  } catch (err) {
    return { kind: 'none', reason: `${rule}: ${err instanceof Error ? err.message : String(err)}` };
  }
}
