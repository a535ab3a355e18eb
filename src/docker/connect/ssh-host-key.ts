import { appendKnownHost, checkHostKeyFiles, fingerprint, keyTypeOf, knownHostName, knownKeyTypes, readKnownHosts } from '../../config/known-hosts.js';
import { printable } from '../../text/printable.js';
import { ConnectError } from './errors.js';
import type { ResolvedOptions } from './options.js';

/** Records why a host key was refused: ssh2 only reports "verification failed". */
export interface HostKeyOutcome {
  failure: ConnectError | null;
}

/**
 * Checks the server's key against every known_hosts file (hashed entries too), as OpenSSH does. Unknown:
 * show the SHA256 fingerprint and ask; accepted keys are appended (hashed when the operator's files or
 * HashKnownHosts say so). Revoked (in any file), changed, or known only under another key type: refuse.
 */
export function hostKeyVerifier(endpoint: string, host: string, port: number, opts: ResolvedOptions, outcome: HostKeyOutcome, hashKnownHosts = false) {
  return (key: Buffer, verify: (ok: boolean) => void): void => {
    const name = knownHostName(host, port);
    const presented = `${keyTypeOf(key)} ${fingerprint(key)}`;
    const v = checkHostKeyFiles(readKnownHosts(opts.knownHostsFiles), host, port, key);
    const where = `${v.status !== 'unknown' ? `${v.file ?? ''}:${v.line}` : ''}`;
    switch (v.status) {
      case 'known':
        return verify(true);
      case 'revoked':
        outcome.failure = new ConnectError(endpoint, 'ssh-host-changed', `REFUSED: the host key of ${name} (${presented}) is marked @revoked in ${where}`);
        return verify(false);
      case 'changed':
        outcome.failure = new ConnectError(
          endpoint,
          'ssh-host-changed',
          `REFUSED: the host key of ${name} has CHANGED (now ${presented}; ${where} has another). Someone may be intercepting the connection, or the host was reinstalled. If you know it was, remove that line and connect again.`,
        );
        return verify(false);
      case 'other-type':
        // OpenSSH: "keys of different type are already known for this host". We ask the server for the
        // known type first, so a server that does not offer it any more is refused, never taken on trust.
        outcome.failure = new ConnectError(
          endpoint,
          'ssh-host-changed',
          `REFUSED: ${name} presented a ${presented} host key, but known_hosts knows this host only by a ${v.keyType} key (${where}) and the server did not offer that type. Someone may be intercepting the connection, or the host's keys were replaced. If you know they were, check the new fingerprint out of band, then add it (ssh-keyscan -p ${port} -t ${keyTypeOf(key)} ${host}) or remove that line.`,
        );
        return verify(false);
      case 'unknown':
        break;
    }
    const question = printable(`The authenticity of host ${knownHostName(host, port)} can't be established.\n${keyTypeOf(key)} key fingerprint is ${fingerprint(key)}.\nTrust it and connect?`);
    opts.prompter.confirm(question).then(
      (yes) => {
        if (!yes) {
          outcome.failure = new ConnectError(endpoint, 'ssh-host-unknown', `host key ${fingerprint(key)} of ${knownHostName(host, port)} not trusted (not in known_hosts)`);
          return verify(false);
        }
        const target = opts.knownHostsFiles[0];
        if (target !== undefined) {
          try {
            appendKnownHost(target, host, port, key, hashKnownHosts);
          } catch (err) {
            opts.notice(`could not record the host key in ${target}: ${err instanceof Error ? err.message : String(err)}`);
          }
        }
        verify(true);
      },
      (err: unknown) => {
        outcome.failure = new ConnectError(
          endpoint,
          'ssh-host-unknown',
          `unknown host key ${keyTypeOf(key)} ${fingerprint(key)} for ${knownHostName(host, port)} and nobody to ask (${err instanceof Error ? err.message : String(err)}); add it to known_hosts (ssh-keyscan) after checking the fingerprint`,
        );
        verify(false);
      },
    );
  };
}

const ALGOS_FOR_TYPE: Record<string, string[]> = {
  'ssh-rsa': ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
};

/** Host key algorithms to ask for first: those known_hosts already has for this host (as OpenSSH). */
export function preferredHostKeyAlgorithms(host: string, port: number, opts: ResolvedOptions): string[] {
  const types = readKnownHosts(opts.knownHostsFiles).flatMap(({ text }) => knownKeyTypes(text, host, port));
  return [...new Set(types.flatMap((t) => ALGOS_FOR_TYPE[t] ?? [t]))];
}
