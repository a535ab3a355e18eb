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
export interface ResolvedTarget {
  context: string;
  endpoints: readonly EndpointSpec[];
  readOnly: boolean;
  /** Theme chosen for this context (e.g. "production"), or null for the default. */
  theme: string | null;
  /** Some endpoint's TLS verification is off (--insecure). */
  insecure: boolean;
}
