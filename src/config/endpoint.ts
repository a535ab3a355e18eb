/**
 * Where an engine API is reached, as configuration says it (contexts, DOCKER_HOST, --host). Pure types:
 * src/docker connects to these, src/config produces them, and config imports nothing from docker.
 */

/** TLS material for a tcp:// endpoint: paths only (a key's passphrase comes from the keychain). */
export interface TlsSpec {
  caPath: string;
  certPath: string;
  keyPath: string;
  /** False only with an explicit --insecure (the header then shows a red banner). */
  verify: boolean;
}

/** Where one manager's engine API is reached. Never holds a secret. */
export type EndpointSpec =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; host: string; port: number; tls: TlsSpec | null }
  | {
      kind: 'ssh';
      /** Host as written by the operator (an ~/.ssh/config alias is resolved when connecting). */
      host: string;
      port?: number;
      user?: string;
      identityFile?: string;
      /** Remote engine socket; default /var/run/docker.sock. */
      socketPath?: string;
      /** Also offer SHA-1 algorithms (ssh-rsa signatures, hmac-sha1, dh group14-sha1): `ssh: { legacyAlgorithms: true }`. */
      legacyAlgorithms?: boolean;
    };

/** What the CLI resolved to connect to: one context with one or more managers (tried in order). */
/** SSH settings a context applies to every ssh:// endpoint it names (managers and nodes). */
export interface SshDefaults {
  user?: string;
  port?: number;
  identityFile?: string;
  socketPath?: string;
  legacyAlgorithms?: boolean;
}

/**
 * How to reach each node's own engine (exec, stats): the context's `nodes:` map, whose keys are a node's
 * id or hostname or "*" for the rest, and whose values are endpoint URLs in which {addr} and {hostname}
 * stand for the node's. Never holds a secret.
 */
export interface NodeEndpointRules {
  map: Readonly<Record<string, string>>;
  ssh: SshDefaults;
}

export interface ResolvedTarget {
  context: string;
  endpoints: readonly EndpointSpec[];
  /** The context's `nodes:` map and SSH settings; absent: only the defaults (SSH to {addr}, the manager's own engine). */
  nodes?: NodeEndpointRules;
  readOnly: boolean;
  /** Theme chosen for this context (e.g. "production"), or null for the default. */
  theme: string | null;
  /** Some endpoint's TLS verification is off (--insecure). */
  insecure: boolean;
}
