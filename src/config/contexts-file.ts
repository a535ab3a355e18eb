import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type YAMLMap } from 'yaml';
import type { EndpointSpec, NodeEndpointRules, SshDefaults, TlsSpec } from './endpoint.js';
import { ConfigError, type SwarmContext } from './context.js';
import { EndpointUrlError, parseEndpointUrl } from './endpoint-url.js';
import { checkTemplate } from './node-endpoints.js';

export interface ContextsFile {
  contexts: SwarmContext[];
  /** The context used when neither --context, DOCKER_HOST nor DOCKER_CONTEXT chooses one. */
  current: string | null;
}

const SECRET_KEYS = /pass(word|phrase)?|secret|token|private|credential/i;
const CONTEXT_KEYS = ['name', 'description', 'managers', 'readOnly', 'theme', 'socket', 'tls', 'ssh', 'nodes'];
const TLS_KEYS = ['ca', 'cert', 'key'];
const SSH_KEYS = ['user', 'identityFile', 'port', 'legacyAlgorithms'];

/**
 * The file ($XDG_CONFIG_HOME/swarmtop/contexts.yaml) looks like:
 *
 *   current: prod                     # optional: used when nothing else chooses
 *   contexts:
 *     - name: prod
 *       description: production swarm
 *       managers:                     # tried in order (failover)
 *         - ssh://ops@m1.example.com
 *         - tcp://m2.example.com:2376
 *       readOnly: true
 *       theme: production
 *       socket: /var/run/docker.sock  # remote engine socket for ssh managers
 *       tls: { ca: ~/certs/ca.pem, cert: ~/certs/cert.pem, key: ~/certs/key.pem }
 *       ssh: { user: ops, identityFile: ~/.ssh/id_ed25519, port: 22 }
 *       # ssh: { legacyAlgorithms: true }  # only for a server that offers nothing but SHA-1 algorithms
 *       nodes:                        # each node's own engine (exec, stats); {addr} {hostname} filled in
 *         node4: unix:///var/run/docker-n4.sock
 *         "*": ssh://ops@{addr}       # the default for an SSH context
 *
 * Secrets never go here: passphrases and passwords are asked and kept in the OS keychain.
 */

/**
 * Reads the swarmtop contexts file. A missing file is no contexts; a malformed one is a ConfigError
 * naming file and line (never silently ignored: the operator would connect somewhere unexpected).
 */
export function readContextsFile(file: string, home: string = homedir()): ContextsFile {
  if (!existsSync(file)) return { contexts: [], current: null };
  return parseContextsFile(readFileSync(file, 'utf8'), file, home);
}

export function parseContextsFile(text: string, file: string, home: string = homedir()): ContextsFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0].line ?? lines.linePos(Math.min(first.pos[0], text.length)).line;
    throw new ConfigError(`malformed YAML: ${first.message.split('\n')[0]}`, file, line);
  }
  const at = (node: YamlNode | null | undefined): number | null => (node?.range ? lines.linePos(node.range[0]).line : null);
  const fail = (message: string, node: YamlNode | null | undefined): never => {
    throw new ConfigError(message, file, at(node));
  };
  const root = doc.contents;
  if (root === null) return { contexts: [], current: null };
  if (!isMap(root)) return fail('expected a mapping with a "contexts" list', root);
  checkKeys(root, ['contexts', 'current'], 'top level', fail);

  const baseDir = dirname(file);
  const path = (node: YamlNode | null, what: string): string => {
    const raw = scalarString(node, what, fail);
    const expanded = raw === '~' ? home : raw.startsWith('~/') ? resolve(home, raw.slice(2)) : raw;
    return isAbsolute(expanded) ? expanded : resolve(baseDir, expanded);
  };

  const contexts: SwarmContext[] = [];
  const list = root.get('contexts', true) ?? null;
  if (list !== null && !isSeq(list)) fail('"contexts" must be a list', list);
  for (const item of isSeq(list) ? list.items : []) {
    const node = item as YamlNode;
    if (!isMap(node)) fail('each context must be a mapping (name, managers, ...)', node);
    const ctx = node as YAMLMap;
    checkKeys(ctx, CONTEXT_KEYS, 'a context', fail);
    const nameNode = (ctx.get('name', true) ?? null) as YamlNode | null;
    if (nameNode === null) fail('a context needs a "name"', ctx);
    const name = scalarString(nameNode, 'name', fail);
    if (!/^[A-Za-z0-9][A-Za-z0-9_.+-]*$/.test(name)) fail(`context name "${name}" may contain only letters, digits and _ . + -`, nameNode);
    if (contexts.some((c) => c.name === name)) fail(`context "${name}" is defined twice`, nameNode);

    const tlsNode = (ctx.get('tls', true) ?? null) as YamlNode | null;
    let tls: TlsSpec | null = null;
    if (tlsNode !== null) {
      if (!isMap(tlsNode)) fail('"tls" must be a mapping with ca, cert and key paths', tlsNode);
      const t = tlsNode as YAMLMap;
      checkKeys(t, TLS_KEYS, '"tls"', fail);
      const get = (k: string): string => {
        const n = (t.get(k, true) ?? null) as YamlNode | null;
        if (n === null) fail(`"tls" needs "${k}" (a PEM file path)`, t);
        return path(n, `tls.${k}`);
      };
      tls = { caPath: get('ca'), certPath: get('cert'), keyPath: get('key'), verify: true };
    }

    const sshNode = (ctx.get('ssh', true) ?? null) as YamlNode | null;
    let sshUser: string | undefined;
    let sshIdentity: string | undefined;
    let sshPort: number | undefined;
    let sshLegacy = false;
    if (sshNode !== null) {
      if (!isMap(sshNode)) fail('"ssh" must be a mapping (user, identityFile, port, legacyAlgorithms)', sshNode);
      const s = sshNode as YAMLMap;
      checkKeys(s, SSH_KEYS, '"ssh"', fail);
      const u = (s.get('user', true) ?? null) as YamlNode | null;
      if (u !== null) sshUser = scalarString(u, 'ssh.user', fail);
      const i = (s.get('identityFile', true) ?? null) as YamlNode | null;
      if (i !== null) sshIdentity = path(i, 'ssh.identityFile');
      const p = (s.get('port', true) ?? null) as YamlNode | null;
      if (p !== null) {
        const v = isScalar(p) ? p.value : null;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) fail('"ssh.port" must be a port number 1..65535', p);
        sshPort = v as number;
      }
      sshLegacy = optionalBool(s, 'legacyAlgorithms', fail) ?? false;
    }
    const socketNode = (ctx.get('socket', true) ?? null) as YamlNode | null;
    const socket = socketNode === null ? undefined : scalarString(socketNode, 'socket', fail);

    const managersNode = (ctx.get('managers', true) ?? null) as YamlNode | null;
    if (managersNode === null) fail(`context "${name}" needs "managers": one or more docker host URLs`, ctx);
    const managerItems: YamlNode[] = isSeq(managersNode) ? (managersNode.items as YamlNode[]) : [managersNode as YamlNode];
    if (managerItems.length === 0) fail(`context "${name}" needs at least one manager`, managersNode);
    const endpoints: EndpointSpec[] = managerItems.map((m) => {
      const url = scalarString(m, 'managers', fail);
      let spec: EndpointSpec;
      try {
        spec = parseEndpointUrl(url, tls);
      } catch (err) {
        return fail(err instanceof EndpointUrlError ? err.message : String(err), m);
      }
      if (spec.kind === 'ssh') {
        if (spec.user === undefined && sshUser !== undefined) spec.user = sshUser;
        if (spec.port === undefined && sshPort !== undefined) spec.port = sshPort;
        if (sshIdentity !== undefined) spec.identityFile = sshIdentity;
        if (socket !== undefined) spec.socketPath = socket;
        if (sshLegacy) spec.legacyAlgorithms = true;
      }
      return spec;
    });

    const sshDefaults: SshDefaults = {};
    if (sshUser !== undefined) sshDefaults.user = sshUser;
    if (sshPort !== undefined) sshDefaults.port = sshPort;
    if (sshIdentity !== undefined) sshDefaults.identityFile = sshIdentity;
    if (socket !== undefined) sshDefaults.socketPath = socket;
    if (sshLegacy) sshDefaults.legacyAlgorithms = true;
    const nodes = parseNodes((ctx.get('nodes', true) ?? null), sshDefaults, fail);

    contexts.push({
      name,
      endpoints,
      ...(nodes ? { nodes } : {}),
      readOnly: optionalBool(ctx, 'readOnly', fail) ?? false,
      theme: optionalString(ctx, 'theme', fail),
      source: 'swarmtop',
      description: optionalString(ctx, 'description', fail),
    });
  }

  const current = optionalString(root, 'current', fail);
  if (current !== null && !contexts.some((c) => c.name === current)) {
    fail(`"current" names an unknown context "${current}"${known(contexts)}`, (root.get('current', true) ?? null));
  }
  return { contexts, current };
}

type Fail = (message: string, node: YamlNode | null | undefined) => never;

/** `nodes:` — node id, hostname or "*" to an endpoint URL template ({addr}, {hostname}), checked now. */
function parseNodes(node: YamlNode | null, ssh: SshDefaults, fail: Fail): NodeEndpointRules | null {
  if (node === null) return null;
  if (!isMap(node)) return fail('"nodes" must be a mapping of node hostname, id or "*" to an endpoint URL', node);
  const map: Record<string, string> = {};
  for (const pair of node.items) {
    const keyNode = pair.key as YamlNode;
    const key = isScalar(keyNode) ? String(keyNode.value).trim() : '';
    if (key === '') fail('a "nodes" key must be a node hostname, id or "*"', keyNode);
    const value = scalarString((pair.value ?? null) as YamlNode | null, `nodes.${key}`, fail);
    const problem = checkTemplate(value);
    if (problem !== null) fail(`nodes.${key}: ${problem}`, pair.value as YamlNode);
    map[key] = value;
  }
  return { map, ssh };
}

function known(contexts: readonly SwarmContext[]): string {
  return contexts.length === 0 ? '' : ` (defined: ${contexts.map((c) => c.name).join(', ')})`;
}

function checkKeys(map: YAMLMap, allowed: readonly string[], where: string, fail: Fail): void {
  for (const pair of map.items) {
    const keyNode = pair.key as YamlNode;
    const key = isScalar(keyNode) ? String(keyNode.value) : '?';
    if (allowed.includes(key)) continue;
    if (SECRET_KEYS.test(key)) {
      fail(`"${key}": secrets never go in this file; swarmtop asks for them and keeps them in the OS keychain`, keyNode);
    }
    fail(`unknown key "${key}" in ${where} (allowed: ${allowed.join(', ')})`, keyNode);
  }
}

function scalarString(node: YamlNode | null, what: string, fail: Fail): string {
  if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
    return fail(`"${what}" must be a non-empty string`, node);
  }
  return node.value.trim();
}

function optionalString(map: YAMLMap, key: string, fail: Fail): string | null {
  const node = (map.get(key, true) ?? null) as YamlNode | null;
  return node === null ? null : scalarString(node, key, fail);
}

function optionalBool(map: YAMLMap, key: string, fail: Fail): boolean | null {
  const node = (map.get(key, true) ?? null) as YamlNode | null;
  if (node === null) return null;
  if (!isScalar(node) || typeof node.value !== 'boolean') return fail(`"${key}" must be true or false`, node);
  return node.value;
}
