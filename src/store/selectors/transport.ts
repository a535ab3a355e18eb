import type { ConnectionInfo } from '../state.js';

export interface TransportWarning {
  kind: 'insecure' | 'unencrypted';
  text: string;
}

/**
 * What the header's red banner and `snapshot`'s stderr say about the connection in use: TLS without
 * verification (--insecure), or no TLS at all to another machine (the API is root on every node).
 */
export function transportWarnings(c: Pick<ConnectionInfo, 'insecure' | 'unencrypted'>): TransportWarning[] {
  const out: TransportWarning[] = [];
  if (c.unencrypted) out.push({ kind: 'unencrypted', text: 'UNENCRYPTED: plain tcp:// to another machine; requests, secrets and tokens cross the network in clear text, and anyone on the path can take over the cluster' });
  if (c.insecure) out.push({ kind: 'insecure', text: 'INSECURE: TLS verification is disabled (--insecure); the server is not authenticated' });
  return out;
}
