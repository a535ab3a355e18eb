import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Certificates made with openssl for an engine listening with --tlsverify. */
export interface TlsFiles {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The same client key, encrypted (AES-256) with `keyPassphrase`. */
  clientKeyEncrypted: string;
  keyPassphrase: string;
  /** A client cert from the right CA whose validity ended yesterday. */
  expiredClientCert: string;
  /** A second CA, unknown to the engine, and a client cert it signed. */
  otherCa: string;
  otherClientCert: string;
  otherClientKey: string;
}

function ossl(dir: string, args: readonly string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function ca(dir: string, name: string): void {
  ossl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=swarmtop e2e ${name}`]);
}

function signed(dir: string, caName: string, name: string, ext: string, days: string): void {
  ossl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${name}-key.pem`, '-out', `${name}.csr`, '-subj', `/CN=${name}`]);
  writeFileSync(join(dir, `${name}.ext`), ext);
  ossl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.pem`, '-CAkey', `${caName}.key`, '-CAcreateserial', '-days', days, '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
}

/** Makes a CA, a server cert valid for `serverIp`, client certs (good, expired, other CA) and an encrypted key. */
export function makeTlsFiles(dir: string, serverIp: string): TlsFiles {
  mkdirSync(dir, { recursive: true });
  ca(dir, 'ca');
  ca(dir, 'other-ca');
  signed(dir, 'ca', 'server', `subjectAltName=IP:${serverIp}\nextendedKeyUsage=serverAuth\n`, '2');
  signed(dir, 'ca', 'client', 'extendedKeyUsage=clientAuth\n', '2');
  signed(dir, 'ca', 'expired', 'extendedKeyUsage=clientAuth\n', '-1');
  signed(dir, 'other-ca', 'other-client', 'extendedKeyUsage=clientAuth\n', '2');
  const keyPassphrase = 'e2e-tls-passphrase';
  ossl(dir, ['pkcs8', '-topk8', '-in', 'client-key.pem', '-out', 'client-key-enc.pem', '-v2', 'aes-256-cbc', '-passout', `pass:${keyPassphrase}`]);
  const p = (f: string): string => join(dir, f);
  return {
    dir,
    ca: p('ca.pem'),
    serverCert: p('server.pem'),
    serverKey: p('server-key.pem'),
    clientCert: p('client.pem'),
    clientKey: p('client-key.pem'),
    clientKeyEncrypted: p('client-key-enc.pem'),
    keyPassphrase,
    expiredClientCert: p('expired.pem'),
    otherCa: p('other-ca.pem'),
    otherClientCert: p('other-client.pem'),
    otherClientKey: p('other-client-key.pem'),
  };
}

/** dockerd arguments for a --tlsverify listener on the node's lab address. */
export function tlsEngineArgs(files: TlsFiles, ip: string, port: number): string[] {
  return ['-H', `tcp://${ip}:${port}`, '--tlsverify', '--tlscacert', files.ca, '--tlscert', files.serverCert, '--tlskey', files.serverKey];
}
