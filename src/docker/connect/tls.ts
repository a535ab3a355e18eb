import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { Agent as HttpAgent } from 'node:http';
import { keychainAccount, WrongSecretError } from '../../config/keychain.js';
import type { DockerConnection } from '../connection.js';
import { describeEndpoint, type TlsSpec } from '../endpoint.js';
import { dockerClient, ping } from './dockerode.js';
import { ConnectError } from './errors.js';
import type { ResolvedOptions } from './options.js';
import { mapPlainTcpError, mapTlsError } from './tls-errors.js';

interface TlsMaterial {
  ca: Buffer;
  cert: Buffer;
  /** Decrypted in memory only; never written anywhere. */
  key: string;
}

function readPem(endpoint: string, path: string, what: string): Buffer {
  if (!existsSync(path)) throw new ConnectError(endpoint, 'tls-files', `${what} not found: ${path}`);
  return readFileSync(path);
}

function tryKey(pem: Buffer, passphrase?: string): KeyObject | null {
  try {
    return createPrivateKey(passphrase === undefined ? { key: pem } : { key: pem, passphrase });
  } catch {
    return null;
  }
}

function isEncrypted(pem: Buffer): boolean {
  const text = pem.toString('latin1');
  return text.includes('ENCRYPTED PRIVATE KEY') || /Proc-Type:\s*4,ENCRYPTED/.test(text);
}

/** Loads CA, client cert and key; checks the client cert's dates and gets an encrypted key's passphrase. */
export async function loadTlsMaterial(endpoint: string, tls: TlsSpec, opts: ResolvedOptions): Promise<TlsMaterial> {
  const ca = readPem(endpoint, tls.caPath, 'CA certificate');
  const cert = readPem(endpoint, tls.certPath, 'client certificate');
  const keyPem = readPem(endpoint, tls.keyPath, 'client key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new ConnectError(endpoint, 'tls-files', `${tls.certPath} is not a PEM certificate`);
  }
  // The engine would only answer "bad certificate"; checking here names the actual problem.
  const now = Date.now();
  if (Date.parse(x509.validTo) < now) throw new ConnectError(endpoint, 'tls-expired', `our client certificate ${tls.certPath} expired on ${x509.validTo}`);
  if (Date.parse(x509.validFrom) > now) throw new ConnectError(endpoint, 'tls-expired', `our client certificate ${tls.certPath} is not valid before ${x509.validFrom}`);

  let key = tryKey(keyPem);
  if (key === null) {
    if (!isEncrypted(keyPem)) throw new ConnectError(endpoint, 'tls-files', `${tls.keyPath} is not a PEM private key`);
    try {
      const passphrase = await opts.secrets.obtain({
        account: keychainAccount(endpoint, 'tls-key-passphrase'),
        question: `Passphrase for ${tls.keyPath}: `,
        check: (p) => tryKey(keyPem, p) !== null,
        wrong: `bad passphrase for ${tls.keyPath}`,
      });
      key = tryKey(keyPem, passphrase);
    } catch (err) {
      if (err instanceof WrongSecretError) throw new ConnectError(endpoint, 'bad-passphrase', err.message);
      throw new ConnectError(endpoint, 'bad-passphrase', `the key ${tls.keyPath} is encrypted: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (key === null) throw new ConnectError(endpoint, 'bad-passphrase', `bad passphrase for ${tls.keyPath}`);
  }
  if (!x509.checkPrivateKey(key)) throw new ConnectError(endpoint, 'tls-files', `${tls.keyPath} is not the key of ${tls.certPath}`);
  return { ca, cert, key: key.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * TCP+TLS: verification on unless the spec says otherwise (only --insecure does); a failed
 * verification is an error, never a retry without it.
 */
export async function openTls(host: string, port: number, tls: TlsSpec, opts: ResolvedOptions): Promise<DockerConnection> {
  const endpoint = describeEndpoint({ kind: 'tcp', host, port, tls });
  const material = await loadTlsMaterial(endpoint, tls, opts);
  const agent = new Agent({
    keepAlive: true,
    ca: material.ca,
    cert: material.cert,
    key: material.key,
    rejectUnauthorized: tls.verify,
    // No idle timeout: an event stream may be quiet for minutes. The connect deadline is the ping's.
  });
  return pingThrough(endpoint, agent, 'https', host, port, opts);
}

/** Plain TCP (no TLS): the docker CLI allows it; the endpoint string says "tcp://" so the header can warn. */
export async function openPlainTcp(host: string, port: number, opts: ResolvedOptions): Promise<DockerConnection> {
  const endpoint = describeEndpoint({ kind: 'tcp', host, port, tls: null });
  return pingThrough(endpoint, new HttpAgent({ keepAlive: true }), 'http', host, port, opts, mapPlainTcpError);
}

/** A connection over `agent` once the engine answers a ping; the agent is destroyed if it does not. */
async function pingThrough(
  endpoint: string, agent: HttpAgent, protocol: 'http' | 'https', host: string, port: number, opts: ResolvedOptions,
  mapError: (endpoint: string, err: unknown) => ConnectError = mapTlsError,
): Promise<DockerConnection> {
  const docker = dockerClient({ agent, protocol, host, port });
  try {
    await ping(docker, opts.connectTimeoutMs);
  } catch (err) {
    agent.destroy();
    throw mapError(endpoint, err);
  }
  return {
    endpoint,
    docker,
    close: () => {
      agent.destroy();
      return Promise.resolve();
    },
  };
}
