import { createHash, createHmac, randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { patternListMatches } from './ssh-config.js';

/** What known_hosts says about a host key the server presented. */
export type HostKeyVerdict =
  | { status: 'known'; line: number }
  | { status: 'unknown' }
  /** The host is known with a different key of the same type: possible man-in-the-middle. */
  | { status: 'changed'; line: number }
  | { status: 'revoked'; line: number }
  /** The host is known, but only under other key types (OpenSSH warns: "keys of different type are already known"). */
  | { status: 'other-type'; line: number; keyType: string };

/** A verdict over several known_hosts files, naming the file its line is in. */
export type HostKeyFinding = HostKeyVerdict & { file?: string };

export interface KnownHostEntry {
  line: number;
  marker: '@cert-authority' | '@revoked' | null;
  hosts: string;
  keyType: string;
  key: Buffer;
}

/** The name known_hosts uses for a host: "host" on port 22, "[host]:port" otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** SHA256 fingerprint as OpenSSH prints it (base64, no padding). */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (first length-prefixed string). */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const parts = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (parts[0] === '@cert-authority' || parts[0] === '@revoked') marker = parts.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, b64] = parts;
    if (!hosts || !keyType || !b64) return;
    out.push({ line: i + 1, marker, hosts, keyType, key: Buffer.from(b64, 'base64') });
  });
  return out;
}

/** Does a known_hosts host field (patterns, or one hashed |1|salt|hash entry) name this host? */
export function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
  }
  return patternListMatches(field.split(','), name);
}

export function checkHostKey(text: string, host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const { file: _file, ...verdict } = checkHostKeyFiles([{ file: '', text }], host, port, keyBlob);
  return verdict;
}

/**
 * The verdict over every known_hosts file at once, in OpenSSH's order of severity: a key marked
 * @revoked in any file is refused whatever another file says; then a line with this very key anywhere
 * makes it known; then a line of the same type with another key means it changed; then lines of other
 * types only mean the host is known under another key type; else the host is unknown.
 */
export function checkHostKeyFiles(files: readonly { file: string; text: string }[], host: string, port: number, keyBlob: Buffer): HostKeyFinding {
  const name = knownHostName(host, port);
  const keyType = keyTypeOf(keyBlob);
  const entries = files.flatMap(({ file, text }) =>
    parseKnownHosts(text).filter((e) => e.marker !== '@cert-authority' && hostFieldMatches(e.hosts, name)).map((e) => ({ ...e, file })));
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key.equals(keyBlob));
  if (revoked) return { status: 'revoked', line: revoked.line, file: revoked.file };
  const plain = entries.filter((e) => e.marker === null);
  const known = plain.find((e) => e.key.equals(keyBlob));
  if (known) return { status: 'known', line: known.line, file: known.file };
  const changed = plain.find((e) => e.keyType === keyType);
  if (changed) return { status: 'changed', line: changed.line, file: changed.file };
  const other = plain[0];
  return other ? { status: 'other-type', line: other.line, file: other.file, keyType: other.keyType } : { status: 'unknown' };
}

/** Key types known_hosts holds for this host, so we can ask the server for one of them first. */
export function knownKeyTypes(text: string, host: string, port: number): string[] {
  const name = knownHostName(host, port);
  return [...new Set(parseKnownHosts(text).filter((e) => e.marker === null && hostFieldMatches(e.hosts, name)).map((e) => e.keyType))];
}

export function readKnownHosts(files: readonly string[]): { file: string; text: string }[] {
  return files.filter((f) => existsSync(f)).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

/** A host name hashed as OpenSSH's HashKnownHosts writes it: |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

/** Does the file hold hashed host names already (written with HashKnownHosts yes, or by ssh-keygen -H)? */
export function usesHashedNames(text: string): boolean {
  return parseKnownHosts(text).some((e) => e.hosts.startsWith('|1|'));
}

/**
 * Records a key the operator accepted (as ssh does): a public key, never a secret. The host name is
 * hashed when the operator asked for it (HashKnownHosts) or the file already hides its names: a plain
 * name there would tell a reader of the file where this account connects.
 */
export function appendKnownHost(file: string, host: string, port: number, keyBlob: Buffer, hash = false): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const name = knownHostName(host, port);
  const hashed = hash || (existsSync(file) && usesHashedNames(readFileSync(file, 'utf8')));
  appendFileSync(file, `${hashed ? hashHostName(name) : name} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}\n`, { mode: 0o600 });
}
