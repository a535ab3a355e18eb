import { ConnectError } from './errors.js';

/**
 * Node/OpenSSL TLS failures in the words an operator acts on. Unrecognised errors keep their own
 * message: a wrong guess would send the operator after the wrong certificate.
 */
export function mapTlsError(endpoint: string, err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
  const message = err instanceof Error ? err.message : String(err);
  const reason = (err as { reason?: unknown }).reason;
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
      return new ConnectError(endpoint, 'tls-unknown-ca', `the engine's certificate is signed by an unknown CA (not the CA file configured): ${message}`);
    case 'CERT_HAS_EXPIRED':
      return new ConnectError(endpoint, 'tls-expired', "the engine's certificate has expired");
    case 'CERT_NOT_YET_VALID':
      return new ConnectError(endpoint, 'tls-expired', "the engine's certificate is not valid yet (check the clocks)");
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return new ConnectError(endpoint, 'tls-hostname', `hostname mismatch: the engine's certificate is not valid for this address (${typeof reason === 'string' ? reason : message})`);
    case 'ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED':
      return new ConnectError(endpoint, 'tls-expired', 'the engine rejected our client certificate: expired');
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
      return new ConnectError(endpoint, 'tls-client-rejected', 'the engine rejected our client certificate: signed by a CA it does not trust');
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return new ConnectError(endpoint, 'tls-client-rejected', `the engine rejected our client certificate (untrusted CA, expired, or missing): ${message}`);
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
      return new ConnectError(endpoint, 'not-docker', 'the engine does not speak TLS on this port (plain tcp://? wrong port?)');
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ETIMEDOUT':
    case 'ENOTFOUND':
    case 'ECONNRESET':
      return new ConnectError(endpoint, 'unreachable', `${code}: ${message}`);
    default:
      if (/socket hang up|ECONNRESET/i.test(message)) {
        return new ConnectError(endpoint, 'tls-client-rejected', `the engine closed the connection during the handshake (client certificate refused?): ${message}`);
      }
      return new ConnectError(endpoint, 'unreachable', message);
  }
}

const GIVE_CERTS = 'give its TLS certificates (DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or tls: in the context)';

/**
 * Plain tcp:// failures. An engine listening with TLS answers plain HTTP with a 400 "HTTP request to an
 * HTTPS server" (Go's TLS server) or just closes the connection: both are said in words, with the fix.
 */
export function mapPlainTcpError(endpoint: string, err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = typeof (err as { code?: unknown }).code === 'string' ? (err as { code: string }).code : '';
  if (/HTTP request to an HTTPS server/i.test(message)) {
    return new ConnectError(endpoint, 'not-docker', `the engine speaks TLS on this port: plain tcp:// cannot talk to it; ${GIVE_CERTS}`);
  }
  if (code === 'ECONNRESET' || /socket hang up/i.test(message)) {
    return new ConnectError(endpoint, 'unreachable', `the connection was closed without an answer (${code || message}); a port that speaks TLS does this to plain tcp://: if it does, ${GIVE_CERTS}`);
  }
  return mapTlsError(endpoint, err);
}
