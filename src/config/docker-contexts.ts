import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { EndpointSpec, TlsSpec } from './endpoint.js';
import { ConfigError, type SwarmContext } from './context.js';
import { EndpointUrlError, parseEndpointUrl } from './endpoint-url.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The docker CLI's config directory: $DOCKER_CONFIG or ~/.docker. */
export function dockerConfigDir(env: Env = process.env, home: string = homedir()): string {
  return env.DOCKER_CONFIG || join(home, '.docker');
}

/** The docker CLI's store keys each context by the sha256 of its name. */
export function contextStoreId(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

/** config.json's currentContext, or null (absent, "default" or no file). Read-only: never written. */
export function dockerCurrentContext(configDir: string): string | null {
  const file = join(configDir, 'config.json');
  if (!existsSync(file)) return null;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`, file, null);
  }
  const current = field(json, 'currentContext');
  return typeof current === 'string' && current !== '' && current !== 'default' ? current : null;
}

/**
 * Imports the docker CLI context store (contexts/meta/<sha>/meta.json, TLS material under
 * contexts/tls/<sha>/docker/). Contexts we cannot use (e.g. kubernetes-only) are skipped.
 */
export function readDockerContexts(configDir: string): SwarmContext[] {
  const metaRoot = join(configDir, 'contexts', 'meta');
  if (!existsSync(metaRoot)) return [];
  const out: SwarmContext[] = [];
  for (const id of readdirSync(metaRoot).sort()) {
    const file = join(metaRoot, id, 'meta.json');
    if (!existsSync(file)) continue;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(`not valid JSON (${err instanceof Error ? err.message : String(err)})`, file, null);
    }
    const name = field(json, 'Name');
    if (typeof name !== 'string' || name === '') throw new ConfigError('docker context without a "Name"', file, null);
    const endpoint = field(field(json, 'Endpoints'), 'docker');
    const host = field(endpoint, 'Host');
    if (typeof host !== 'string' || host === '') continue;
    // SkipTLSVerify is not honoured: verification is turned off only by an explicit --insecure,
    // so the operator sees the red banner rather than inheriting an old context's setting silently.
    const tlsDir = join(configDir, 'contexts', 'tls', contextStoreId(name), 'docker');
    const tls = tlsFromDir(tlsDir, true);
    let spec: EndpointSpec;
    try {
      spec = parseEndpointUrl(host, host.startsWith('tcp://') ? tls : null);
    } catch (err) {
      throw new ConfigError(err instanceof EndpointUrlError ? err.message : String(err), file, null);
    }
    const description = field(field(json, 'Metadata'), 'Description');
    out.push({
      name,
      endpoints: [spec],
      readOnly: false,
      theme: null,
      source: 'docker',
      description: typeof description === 'string' && description !== '' ? description : null,
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/** ca.pem/cert.pem/key.pem in a directory (DOCKER_CERT_PATH or a context's TLS dir), if present. */
export function tlsFromDir(dir: string, verify: boolean): TlsSpec | null {
  const caPath = join(dir, 'ca.pem');
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (!existsSync(caPath) && !existsSync(certPath)) return null;
  return { caPath, certPath, keyPath, verify };
}

function field(obj: unknown, key: string): unknown {
  return obj !== null && typeof obj === 'object' && key in obj ? (obj as Record<string, unknown>)[key] : undefined;
}
