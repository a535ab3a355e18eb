import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** What ~/.ssh/config says about one host alias (first value wins, as in OpenSSH). */
export interface SshHostConfig {
  hostName: string;
  user: string | null;
  port: number | null;
  identityFiles: string[];
  /** IdentitiesOnly yes: offer only the listed identity files, not every agent key. */
  identitiesOnly: boolean;
  /** HashKnownHosts yes: host names of accepted keys are written hashed. */
  hashKnownHosts: boolean;
}

interface Block {
  patterns: string[] | null;
  options: [string, string][];
}

/** Splits a config line into keyword and arguments ("Key Value", "Key=Value", quoted values). */
function splitLine(line: string): [string, string] | null {
  const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*?)\s*$/.exec(line);
  if (!m) return null;
  return [m[1]!.toLowerCase(), m[2]!];
}

function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function words(v: string): string[] {
  return (v.match(/"[^"]*"|\S+/g) ?? []).map(unquote);
}

export function parseSshConfig(text: string): Block[] {
  const blocks: Block[] = [{ patterns: null, options: [] }];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const kv = splitLine(line);
    if (!kv) continue;
    const [key, value] = kv;
    if (key === 'host') blocks.push({ patterns: words(value), options: [] });
    // Match blocks need conditions we do not evaluate: their options must not leak into other hosts.
    else if (key === 'match') blocks.push({ patterns: [], options: [] });
    else blocks[blocks.length - 1]!.options.push([key, value]);
  }
  return blocks;
}

/** OpenSSH pattern: * and ? wildcards, case-insensitive. */
export function sshPatternMatches(pattern: string, name: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
  return re.test(name);
}

/** A pattern list matches when some pattern matches and no negated (!) one does. */
export function patternListMatches(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const p of patterns) {
    if (p.startsWith('!')) {
      if (sshPatternMatches(p.slice(1), name)) return false;
    } else if (sshPatternMatches(p, name)) matched = true;
  }
  return matched;
}

export interface ExpandContext {
  home: string;
  localUser: string;
}

/** Resolves one alias against a config text (Host blocks; Include and Match are not followed). */
export function resolveSshHost(text: string, alias: string, ctx: ExpandContext = defaultExpand()): SshHostConfig {
  const first = new Map<string, string>();
  const identityFiles: string[] = [];
  for (const block of parseSshConfig(text)) {
    if (block.patterns !== null && !patternListMatches(block.patterns, alias)) continue;
    for (const [key, value] of block.options) {
      if (key === 'identityfile') identityFiles.push(unquote(value));
      else if (!first.has(key)) first.set(key, unquote(value));
    }
  }
  const hostName = (first.get('hostname') ?? alias).replace(/%h/g, alias);
  const user = first.get('user') ?? null;
  const portText = first.get('port');
  const port = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : null;
  const expand = (p: string): string => {
    const tokens = p
      .replace(/%d/g, ctx.home)
      .replace(/%h/g, hostName)
      .replace(/%r/g, user ?? ctx.localUser)
      .replace(/%u/g, ctx.localUser)
      .replace(/%%/g, '%');
    if (tokens === '~') return ctx.home;
    if (tokens.startsWith('~/')) return join(ctx.home, tokens.slice(2));
    return isAbsolute(tokens) ? tokens : join(ctx.home, '.ssh', tokens);
  };
  return {
    hostName,
    user,
    port,
    identityFiles: identityFiles.map(expand),
    identitiesOnly: (first.get('identitiesonly') ?? 'no').toLowerCase() === 'yes',
    hashKnownHosts: (first.get('hashknownhosts') ?? 'no').toLowerCase() === 'yes',
  };
}

function defaultExpand(): ExpandContext {
  let localUser = 'root';
  try {
    localUser = userInfo().username;
  } catch {
    // no passwd entry (containers): keep the default
  }
  return { home: homedir(), localUser };
}

/** Reads ~/.ssh/config (missing file: every host resolves to itself). */
export function loadSshHost(alias: string, file: string = join(homedir(), '.ssh', 'config'), ctx?: ExpandContext): SshHostConfig {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  return resolveSshHost(text, alias, ctx);
}

/** Identity files OpenSSH tries when none is configured. */
export function defaultIdentityFiles(home: string = homedir()): string[] {
  return ['id_ed25519', 'id_ecdsa', 'id_rsa'].map((f) => join(home, '.ssh', f));
}
