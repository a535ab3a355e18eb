import type { EndpointSpec, TlsSpec } from '../docker/endpoint.js';

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
  if (text === '') throw new EndpointUrlError('empty docker host');
  if (text.startsWith('/')) return { kind: 'unix', socketPath: text };
  const m = /^([a-z]+):\/\/(.*)$/i.exec(text);
  if (!m) throw new EndpointUrlError(`"${raw}" is not a docker host URL (expected unix://, tcp:// or ssh://)`);
  const scheme = m[1]!.toLowerCase();
  const rest = m[2]!;
  switch (scheme) {
    case 'unix': {
      if (!rest.startsWith('/')) throw new EndpointUrlError(`"${raw}": a unix socket path must be absolute`);
      return { kind: 'unix', socketPath: rest };
    }
    case 'tcp':
    case 'http':
    case 'https': {
      const { host, port } = splitHostPort(raw, rest.replace(/\/+$/, ''));
      return { kind: 'tcp', host, port: port ?? (tls ? DEFAULT_TLS_PORT : DEFAULT_TCP_PORT), tls };
    }
    case 'ssh': {
      const slash = rest.indexOf('/');
      const authority = slash === -1 ? rest : rest.slice(0, slash);
      const at = authority.lastIndexOf('@');
      const user = at === -1 ? undefined : decodeURIComponent(authority.slice(0, at));
      if (user !== undefined && user.includes(':')) {
        throw new EndpointUrlError(`"${redact(raw)}": passwords never go in a URL; swarmtop asks and keeps them in the OS keychain`);
      }
      const { host, port } = splitHostPort(raw, at === -1 ? authority : authority.slice(at + 1));
      const spec: EndpointSpec = { kind: 'ssh', host };
      if (port !== undefined) spec.port = port;
      if (user !== undefined && user !== '') spec.user = user;
      return spec;
    }
    case 'npipe':
      throw new EndpointUrlError(`"${raw}": named pipes exist only on Windows`);
    default:
      throw new EndpointUrlError(`"${raw}": unsupported scheme ${scheme}:// (expected unix://, tcp:// or ssh://)`);
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

function redact(raw: string): string {
  return raw.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@');
}
