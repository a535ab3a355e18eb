import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDotEnv } from './env-file.js';
import { interpolateContent, type Lookup } from './interpolate.js';
import { mergeConfigs } from './merge.js';
import { ComposeError, ComposeErrors, type ComposeConfig, type Dict } from './model.js';
import { normalizeFileObject, normalizeNetwork, normalizeService, normalizeVolume, type NormalizeContext } from './normalize.js';
import { composeVersion, validateCompose } from './schema.js';
import { readComposeFile, type ComposeSource } from './source.js';

/**
 * Loads `-c` files as `docker stack deploy` does: each file is parsed, interpolated (environment first,
 * then the `.env` file beside the first file), validated against its version's schema and normalized;
 * then they are merged in order. Unsupported keys are warned about with the docker CLI's words.
 */

export interface LoadOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Where relative file names are resolved (default: the process's directory). */
  cwd?: string;
  readText?: (path: string) => string;
  readFile?: (path: string) => Promise<string>;
}

export interface LoadedCompose {
  config: ComposeConfig;
  warnings: string[];
  /** The first file's directory: relative paths inside the files resolve against it. */
  workingDir: string;
}

/** Keys `docker stack deploy` ignores with a warning. */
export const UNSUPPORTED = ['build', 'cgroupns_mode', 'cgroup_parent', 'devices', 'domainname', 'external_links', 'ipc', 'links', 'mac_address', 'network_mode', 'pid', 'privileged', 'restart', 'security_opt', 'shm_size', 'userns_mode'];
const DEPRECATED: Readonly<Record<string, string>> = {
  container_name: 'Setting the container name is not supported.',
  expose: "Exposing ports is unnecessary - services on the same network can access each other's containers on any port.",
};
const FORBIDDEN: Readonly<Record<string, string>> = {
  extends: 'Support for `extends` is not implemented yet.',
  volume_driver: 'Instead of setting the volume driver on the service, define a volume using the top-level `volumes` option and specify the driver there.',
  volumes_from: 'To share a volume between services, define it using the top-level `volumes` option and reference it from each service that shares it using the service-level `volumes` option.',
  cpu_quota: 'Set resource limits using deploy.resources',
  cpu_shares: 'Set resource limits using deploy.resources',
  cpuset: 'Set resource limits using deploy.resources',
  mem_limit: 'Set resource limits using deploy.resources',
  memswap_limit: 'Set resource limits using deploy.resources',
};

function services(content: Dict): [string, Dict][] {
  const s = content.services;
  if (s === null || typeof s !== 'object' || Array.isArray(s)) return [];
  return Object.entries(s as Dict).filter((e): e is [string, Dict] => e[1] !== null && typeof e[1] === 'object' && !Array.isArray(e[1]));
}

function propertiesUsed(contents: readonly Dict[], keys: readonly string[]): string[] {
  const used = new Set<string>();
  for (const c of contents) for (const [, svc] of services(c)) for (const k of keys) if (k in svc) used.add(k);
  return [...used].sort();
}

function dotEnvLookup(workingDir: string, env: Readonly<Record<string, string | undefined>>, readText: (p: string) => string): Lookup {
  let dotEnv = new Map<string, string>();
  try {
    dotEnv = parseDotEnv(readText(resolve(workingDir, '.env')));
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') throw new ComposeError(`cannot read ${resolve(workingDir, '.env')}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return (name) => env[name] ?? dotEnv.get(name);
}

function loadOne(source: ComposeSource, version: string, lookup: Lookup, ctx: Omit<NormalizeContext, 'source'>, errors: ComposeError[], warnings: string[]): ComposeConfig | null {
  const forbidden = propertiesUsed([source.content], Object.keys(FORBIDDEN));
  if (forbidden.length > 0) {
    errors.push(new ComposeError(`Compose file contains unsupported options:\n\n${forbidden.map((k) => `${k}: ${FORBIDDEN[k]}`).join('\n\n')}`, source.file));
    return null;
  }
  const locate = (path: (string | number)[], message: string): ComposeError => new ComposeError(message, source.file, source.lineOf(path), path.join('.'));
  let content: Dict;
  try {
    const res = interpolateContent(source.content, lookup, locate);
    content = res.content;
    for (const v of res.missing) warnings.push(`The "${v}" variable is not set. Defaulting to a blank string.`);
  } catch (err) {
    if (err instanceof ComposeError) errors.push(err);
    else throw err;
    return null;
  }
  const schemaErrors = validateCompose(source, content, version);
  if (schemaErrors.length > 0) {
    errors.push(...schemaErrors);
    return null;
  }
  const nctx: NormalizeContext = { ...ctx, source };
  const section = (key: string): [string, unknown][] => Object.entries((content[key] as Dict | undefined) ?? {});
  return {
    version,
    services: services(content).map(([name, svc]) => normalizeService(nctx, name, svc)),
    networks: Object.fromEntries(section('networks').map(([n, v]) => [n, normalizeNetwork(nctx, n, v)])),
    volumes: Object.fromEntries(section('volumes').map(([n, v]) => [n, normalizeVolume(nctx, n, v)])),
    secrets: Object.fromEntries(section('secrets').map(([n, v]) => [n, normalizeFileObject(nctx, 'secret', n, v)])),
    configs: Object.fromEntries(section('configs').map(([n, v]) => [n, normalizeFileObject(nctx, 'config', n, v)])),
  };
}

/** Throws ComposeError (one problem) or ComposeErrors (several, e.g. every schema error). */
export async function loadCompose(files: readonly string[], opts: LoadOptions = {}): Promise<LoadedCompose> {
  if (files.length === 0) throw new ComposeError('Specify a Compose file (with --compose-file)');
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  const readText = opts.readText ?? ((p: string) => readFileSync(p, 'utf8'));
  const workingDir = dirname(resolve(cwd, files[0] as string));
  const sources: ComposeSource[] = [];
  for (const f of files) sources.push(await readComposeFile(f, (name) => (opts.readFile ? opts.readFile(resolve(cwd, name)) : Promise.resolve(readText(resolve(cwd, name))))));
  const lookup = dotEnvLookup(workingDir, env, readText);
  const version = composeVersion((sources[0] as ComposeSource).content);
  const errors: ComposeError[] = [];
  const warnings: string[] = [];
  const configs: ComposeConfig[] = [];
  for (const source of sources) {
    const v = composeVersion(source.content);
    if (v !== version) {
      errors.push(new ComposeError(`version mismatched between two composefiles : ${version} and ${v}`, source.file));
      continue;
    }
    try {
      const c = loadOne(source, version, lookup, { workingDir, lookup, readText }, errors, warnings);
      if (c) configs.push(c);
    } catch (err) {
      if (err instanceof ComposeError) errors.push(err);
      else throw err;
    }
  }
  if (errors.length === 1) throw errors[0] as ComposeError;
  if (errors.length > 1) throw new ComposeErrors(errors);
  const config = mergeConfigs(configs);
  const unsupported = propertiesUsed(sources.map((s) => s.content), UNSUPPORTED);
  if (unsupported.length > 0) warnings.push(`Ignoring unsupported options: ${unsupported.join(', ')}`);
  const deprecated = propertiesUsed(sources.map((s) => s.content), Object.keys(DEPRECATED));
  if (deprecated.length > 0) warnings.push(`Ignoring deprecated options:\n\n${deprecated.map((k) => `${k}: ${DEPRECATED[k]}`).join('\n\n')}`);
  for (const s of config.services) {
    if (!s.image) throw new ComposeError(`invalid image reference for service ${s.name}: no image specified`);
    if (!/^[a-z0-9]/.test(s.image) || /\s/.test(s.image)) throw new ComposeError(`invalid image reference for service ${s.name}: invalid reference format`);
  }
  return { config, warnings, workingDir };
}
