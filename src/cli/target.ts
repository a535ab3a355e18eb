import { homedir } from 'node:os';
import type { CliOptions } from './args.js';
import { DEFAULT_SOCKET } from '../docker/connection.js';
import type { EndpointSpec, NodeEndpointRules, ResolvedTarget } from '../docker/endpoint.js';
import type { SwarmContext } from '../config/context.js';
import { readContextsFile, type ContextsFile } from '../config/contexts-file.js';
import { dockerConfigDir, dockerCurrentContext, readDockerContexts, tlsFromDir } from '../config/docker-contexts.js';
import { EndpointUrlError, parseEndpointUrl } from '../config/endpoint-url.js';
import { contextsFile } from '../config/paths.js';

type Env = Readonly<Record<string, string | undefined>>;

/** Where contexts are read from; defaults follow env (XDG_CONFIG_HOME, DOCKER_CONFIG, HOME). */
export interface TargetFiles {
  contextsFile?: string;
  dockerConfigDir?: string;
  home?: string;
}

/** The target could not be resolved (unknown context, bad URL, malformed file): shown before the UI starts. */
export class TargetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetError';
  }
}

/** Context name shown for the zero-config local socket (docker's own name for it). */
export const DEFAULT_CONTEXT = 'default';

interface Sources {
  own: ContextsFile;
  docker: SwarmContext[];
  dockerCurrent: string | null;
}

function readSources(env: Env, files: TargetFiles): Sources {
  const home = files.home ?? env.HOME ?? homedir();
  const dockerDir = files.dockerConfigDir ?? dockerConfigDir(env, home);
  return {
    own: readContextsFile(files.contextsFile ?? contextsFile(env), home),
    docker: readDockerContexts(dockerDir),
    dockerCurrent: dockerCurrentContext(dockerDir),
  };
}

/** Every context the operator can switch to: swarmtop's own first, then docker's (same name: ours wins). */
export function listContexts(env: Env = process.env, files: TargetFiles = {}): SwarmContext[] {
  return mergeContexts(readSources(env, files));
}

function mergeContexts(s: Sources): SwarmContext[] {
  const names = new Set(s.own.contexts.map((c) => c.name));
  return [...s.own.contexts, ...s.docker.filter((c) => !names.has(c.name))];
}

/**
 * Decides what to connect to. Precedence (as the docker CLI, plus swarmtop's own contexts):
 * --host > --context > DOCKER_HOST > DOCKER_CONTEXT > contexts.yaml `current` > docker currentContext
 * > the local socket.
 */
export function resolveTarget(opts: CliOptions, env: Env = process.env, files: TargetFiles = {}): ResolvedTarget {
  const home = files.home ?? env.HOME ?? homedir();
  if (opts.host !== null) return fromHostUrl(opts.host, opts.host, opts, env, home);
  const sources = readSources(env, files);
  const contexts = mergeContexts(sources);
  if (opts.context !== null) return fromContext(opts.context, '--context', contexts, opts, env, home);
  if (env.DOCKER_HOST) return fromHostUrl(env.DOCKER_HOST, env.DOCKER_HOST, opts, env, home);
  if (env.DOCKER_CONTEXT) return fromContext(env.DOCKER_CONTEXT, 'DOCKER_CONTEXT', contexts, opts, env, home);
  if (sources.own.current !== null) return fromContext(sources.own.current, 'contexts.yaml current', contexts, opts, env, home);
  if (sources.dockerCurrent !== null) return fromContext(sources.dockerCurrent, 'docker currentContext', contexts, opts, env, home);
  return target(DEFAULT_CONTEXT, [{ kind: 'unix', socketPath: DEFAULT_SOCKET }], false, null, opts);
}

/** The target of one named context (the in-app :ctx switcher), with the CLI's overrides applied. */
export function targetForContext(name: string, opts: CliOptions, env: Env = process.env, files: TargetFiles = {}): ResolvedTarget {
  const home = files.home ?? env.HOME ?? homedir();
  return fromContext(name, ':ctx', mergeContexts(readSources(env, files)), opts, env, home);
}

function fromContext(name: string, via: string, contexts: readonly SwarmContext[], opts: CliOptions, env: Env, home: string): ResolvedTarget {
  const ctx = contexts.find((c) => c.name === name);
  if (ctx) return target(ctx.name, ctx.endpoints, ctx.readOnly, ctx.theme, opts, ctx.nodes);
  // "default" is docker's name for DOCKER_HOST or the local socket; it never needs defining.
  if (name === DEFAULT_CONTEXT) {
    if (env.DOCKER_HOST) return fromHostUrl(env.DOCKER_HOST, DEFAULT_CONTEXT, opts, env, home);
    return target(DEFAULT_CONTEXT, [{ kind: 'unix', socketPath: DEFAULT_SOCKET }], false, null, opts);
  }
  const known = [DEFAULT_CONTEXT, ...contexts.map((c) => c.name)].join(', ');
  throw new TargetError(`unknown context "${name}" (from ${via}); known contexts: ${known}`);
}

function fromHostUrl(url: string, name: string, opts: CliOptions, env: Env, home: string): ResolvedTarget {
  // As the docker CLI: TLS for tcp:// when DOCKER_TLS_VERIFY (or DOCKER_TLS) is set, certs from DOCKER_CERT_PATH.
  const wantsTls = Boolean(env.DOCKER_TLS_VERIFY) || Boolean(env.DOCKER_TLS);
  const certDir = env.DOCKER_CERT_PATH || dockerConfigDir(env, home);
  const tls = wantsTls ? (tlsFromDir(certDir, true) ?? { caPath: `${certDir}/ca.pem`, certPath: `${certDir}/cert.pem`, keyPath: `${certDir}/key.pem`, verify: true }) : null;
  let spec: EndpointSpec;
  try {
    spec = parseEndpointUrl(url, tls);
  } catch (err) {
    throw new TargetError(err instanceof EndpointUrlError ? err.message : String(err));
  }
  return target(name, [spec], false, null, opts);
}

function target(context: string, endpoints: readonly EndpointSpec[], readOnly: boolean, theme: string | null, opts: CliOptions, nodes?: NodeEndpointRules): ResolvedTarget {
  // --insecure turns verification off explicitly (the header shows a red banner); never implicitly.
  const eps = endpoints.map((e): EndpointSpec => (e.kind === 'tcp' && e.tls && opts.insecure ? { ...e, tls: { ...e.tls, verify: false } } : e));
  return {
    context,
    endpoints: eps,
    ...(nodes ? { nodes } : {}),
    readOnly: opts.readOnly || readOnly,
    theme: opts.theme ?? theme,
    // Plain tcp:// is not "insecure TLS": it has a banner of its own (UNENCRYPTED), per endpoint in use.
    insecure: eps.some((e) => e.kind === 'tcp' && e.tls !== null && !e.tls.verify),
  };
}
