import type { EndpointSpec, TlsSpec } from './endpoint.js';

export class EndpointUrlError extends Error {}

const DEFAULT_TCP_PORT = 2375;
const DEFAULT_TLS_PORT = 2376;

/**
 * Parses a docker host URL (unix://, tcp://, ssh://, as in DOCKER_HOST or `docker -H`).
 * `tls` applies to tcp:// only; ssh URLs may carry a remote socket path (ssh://host/run/docker.sock is
 * not docker's syntax, so the path comes from the context file's `socket` instead).
 */
export function parseEndpointUrl(raw: string, tls: TlsSpec | null = null): EndpointSpec {
  const text = raw.trim();
  // Every message quotes the URL with any password in it masked.
  const shown = redact(text);
  if (text === '') throw new EndpointUrlError('empty docker host');
  if (text.startsWith('/')) return { kind: 'unix', socketPath: text };
  const m = /^([a-z]+):\/\/(.*)$/i.exec(text);
  if (!m) throw new EndpointUrlError(`"${shown}" is not a docker host URL (expected unix://, tcp:// or ssh://)`);
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  switch (scheme) {
    case 'unix': {
      if (!rest.startsWith('/')) throw new EndpointUrlError(`"${shown}": a unix socket path must be absolute`);
      return { kind: 'unix', socketPath: rest };
    }
    case 'tcp': {
      const authority = rest.replace(/\/+$/, '');
      // The engine's API has no login: a user or password here would only end up in error messages,
      // the header and the audit log (and the port after them would be lost). Certificates authenticate.
      if (authority.includes('@')) {
        throw new EndpointUrlError(`"${shown}": a tcp:// URL takes no user or password (the engine authenticates clients by TLS certificate); write tcp://HOST:PORT and give the certificates (DOCKER_CERT_PATH, or tls: in the context)`);
      }
      const { host, port } = splitHostPort(shown, authority);
      return { kind: 'tcp', host, port: port ?? (tls ? DEFAULT_TLS_PORT : DEFAULT_TCP_PORT), tls };
    }
    case 'http':
    case 'https':
      // As the docker CLI ("invalid bind address format"): https:// without certificates could not
      // authenticate to an engine started with --tlsverify, and http:// is plain TCP by another name.
      throw new EndpointUrlError(`"${shown}": ${scheme}:// is not a docker host URL (the docker CLI refuses it too); use tcp://HOST:${scheme === 'https' ? `${DEFAULT_TLS_PORT} with TLS certificates (DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or tls: in the context)` : `${DEFAULT_TCP_PORT} (plain, unencrypted)`}`);
    case 'ssh': {
      const slash = rest.indexOf('/');
      const authority = slash === -1 ? rest : rest.slice(0, slash);
      const at = authority.lastIndexOf('@');
      const user = at === -1 ? undefined : decodeURIComponent(authority.slice(0, at));
      if (user !== undefined && user.includes(':')) {
        throw new EndpointUrlError(`"${shown}": passwords never go in a URL; swarmtop asks and keeps them in the OS keychain`);
      }
      const { host, port } = splitHostPort(shown, at === -1 ? authority : authority.slice(at + 1));
      const spec: EndpointSpec = { kind: 'ssh', host };
      if (port !== undefined) spec.port = port;
      if (user !== undefined && user !== '') spec.user = user;
      return spec;
    }
    case 'npipe':
      throw new EndpointUrlError(`"${shown}": named pipes exist only on Windows`);
    default:
      throw new EndpointUrlError(`"${shown}": unsupported scheme ${scheme}:// (expected unix://, tcp:// or ssh://)`);
  }
}

function splitHostPort(raw: string, authority: string): { host: string; port: number | undefined } {
  let host = authority;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d*))?$/.exec(authority);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon !== -1) {
      host = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
    }
  }
  if (host === '') throw new EndpointUrlError(`"${raw}": missing host name`);
  if (portText === undefined || portText === '') return { host, port: undefined };
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new EndpointUrlError(`"${raw}": port must be 1..65535`);
  return { host, port };
}

/** The URL with the password of a user:password@ part masked (the user name stays: it is no secret). */
function redact(raw: string): string {
  return raw.replace(/\/\/([^:@/]*):.*@/, '//$1:***@');
}
