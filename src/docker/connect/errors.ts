import { printable } from '../../text/printable.js';

/** Why a connection could not be made, in words an operator acts on. */
export type ConnectFailure =
  | 'unreachable'
  | 'tls-unknown-ca'
  | 'tls-expired'
  | 'tls-hostname'
  | 'tls-client-rejected'
  | 'tls-files'
  | 'bad-passphrase'
  | 'ssh-auth'
  | 'ssh-host-unknown'
  | 'ssh-host-changed'
  | 'ssh-forward'
  /** No algorithm in common (a server offering only SHA-1 ones: ssh: { legacyAlgorithms: true }). */
  | 'ssh-algorithms'
  | 'not-docker';

/**
 * The detail often quotes the other side (an SSH server's disconnect reason or stderr, a certificate's
 * names, a proxy's answer): the message is made safe to draw here, once.
 */
export class ConnectError extends Error {
  constructor(
    readonly endpoint: string,
    readonly failure: ConnectFailure,
    detail: string,
  ) {
    super(printable(`${endpoint}: ${detail}`));
    this.name = 'ConnectError';
  }
}

/** Several managers were tried (failover) and none answered: every reason, in order. */
export class AllEndpointsFailedError extends Error {
  constructor(readonly errors: readonly Error[]) {
    super(printable(errors.length === 1 ? errors[0]!.message : `no manager answered:\n${errors.map((e) => `  - ${e.message}`).join('\n')}`));
    this.name = 'AllEndpointsFailedError';
  }
}
