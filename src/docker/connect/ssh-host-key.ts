import { appendKnownHost, checkHostKey, fingerprint, keyTypeOf, knownHostName, knownKeyTypes, readKnownHosts } from '../../config/known-hosts.js';
import { printable } from '../../text/printable.js';
import { ConnectError } from './errors.js';
import type { ResolvedOptions } from './options.js';

/** Records why a host key was refused: ssh2 only reports "verification failed". */
export interface HostKeyOutcome {
  failure: ConnectError | null;
}

/**
 * Checks the server's key against known_hosts (hashed entries too). Unknown: show the SHA256
 * fingerprint and ask; accepted keys are appended, as ssh does. Changed or revoked: refuse.
 */
export function hostKeyVerifier(endpoint: string, host: string, port: number, opts: ResolvedOptions, outcome: HostKeyOutcome) {
  return (key: Buffer, verify: (ok: boolean) => void): void => {
    const files = readKnownHosts(opts.knownHostsFiles);
    for (const { file, text } of files) {
      const v = checkHostKey(text, host, port, key);
      if (v.status === 'known') return verify(true);
      if (v.status === 'changed') {
        outcome.failure = new ConnectError(
          endpoint,
          'ssh-host-changed',
          `REFUSED: the host key of ${knownHostName(host, port)} has CHANGED (now ${keyTypeOf(key)} ${fingerprint(key)}; ${file}:${v.line} has another). Someone may be intercepting the connection, or the host was reinstalled. If you know it was, remove that line and connect again.`,
        );
        return verify(false);
      }
      if (v.status === 'revoked') {
        outcome.failure = new ConnectError(endpoint, 'ssh-host-changed', `REFUSED: the host key of ${knownHostName(host, port)} is marked @revoked in ${file}:${v.line}`);
        return verify(false);
      }
    }
    // The key type is the server's own text: cleaned before it reaches the operator's terminal.
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
            appendKnownHost(target, host, port, key);
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
