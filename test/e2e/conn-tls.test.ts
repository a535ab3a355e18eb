import { createServer, connect, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedPrompter } from '../../src/config/prompter.js';
import { createConnector, connectTarget } from '../../src/docker/connect/connector.js';
import { AllEndpointsFailedError } from '../../src/docker/connect/errors.js';
import type { EndpointSpec, TlsSpec } from '../../src/docker/endpoint.js';
import { waitFor } from '../../lab/sh.js';
import { testLab } from './setup/lab-handle.js';
import { makeTlsFiles, tlsEngineArgs, type TlsFiles } from './setup/peers/tls.js';
import { connectFailure as failure } from './setup/connect-failure.js';

const PORT = 2376;

describe('TCP+TLS against a lab engine listening with --tlsverify', () => {
  const lab = testLab();
  const node = lab.managers[0]!;
  let files: TlsFiles;
  let proxy: Server;
  let proxyPort = 0;
  const quiet = { notice: () => {}, env: {}, connectTimeoutMs: 10_000 };

  beforeAll(async () => {
    files = makeTlsFiles(join(lab.state.nodes[0]!.socket, '..', '..', 'conn-tls'), node.ip);
    await lab.reconfigureEngine(node.name, tlsEngineArgs(files, node.ip, PORT));
    // A loopback door to the same listener: its address is not in the server certificate.
    proxy = createServer((c) => {
      const up = connect({ host: node.ip, port: PORT });
      c.pipe(up).pipe(c);
      up.on('error', () => c.destroy());
      c.on('error', () => up.destroy());
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    const addr = proxy.address();
    proxyPort = typeof addr === 'object' && addr ? addr.port : 0;
  });

  afterAll(async () => {
    proxy?.close();
    await lab.reconfigureEngine(node.name, []);
  });

  const spec = (tls: Partial<TlsSpec>, host = node.ip, port = PORT): EndpointSpec => ({
    kind: 'tcp',
    host,
    port,
    tls: { caPath: files.ca, certPath: files.clientCert, keyPath: files.clientKey, verify: true, ...tls },
  });

  it('connects with the right CA and client certificate', async () => {
    const conn = await createConnector(quiet)(spec({}));
    try {
      expect(conn.endpoint).toBe(`tcp+tls://${node.ip}:${PORT}`);
      // The engine was just restarted with the listener: its swarm part may still be starting.
      await waitFor('the restarted engine to be a manager again', 30_000, async () => {
        const info = (await conn.docker.info()) as { Swarm?: { ControlAvailable?: boolean } };
        return info.Swarm?.ControlAvailable === true;
      }, 200);
      // A stream works over the TLS agent too: an event caused now arrives on an open events stream
      // (a restarted engine's event history is empty, so none can be assumed).
      const events = (await conn.docker.getEvents({ filters: { type: ['config'] } })) as NodeJS.ReadableStream & { destroy(): void };
      const name = `conn-tls-probe-${Date.now()}`;
      const created = (await conn.docker.createConfig({ Name: name, Data: Buffer.from('x').toString('base64') })) as { id?: string };
      try {
        let seen = '';
        for await (const chunk of events) {
          seen += (chunk as Buffer).toString('utf8');
          if (seen.includes(name)) break;
        }
        expect(seen).toContain(name);
      } finally {
        events.destroy();
        await conn.docker.getConfig(created.id ?? name).remove();
      }
    } finally {
      await conn.close();
    }
  });

  it('a wrong CA is "unknown CA", never a silent fallback', async () => {
    const err = await failure(createConnector(quiet)(spec({ caPath: files.otherCa })));
    expect(err.failure).toBe('tls-unknown-ca');
    expect(err.message).toMatch(/unknown CA/);
  });

  it('an address not in the certificate is a hostname mismatch', async () => {
    const err = await failure(createConnector(quiet)(spec({}, '127.0.0.1', proxyPort)));
    expect(err.failure).toBe('tls-hostname');
    expect(err.message).toMatch(/hostname mismatch/);
  });

  it('--insecure (verify false) is the only way past a mismatch', async () => {
    const conn = await createConnector(quiet)(spec({ verify: false }, '127.0.0.1', proxyPort));
    await conn.docker.ping();
    await conn.close();
  });

  it('an expired client certificate is named as expired', async () => {
    const err = await failure(createConnector(quiet)(spec({ certPath: files.expiredClientCert, keyPath: join(files.dir, 'expired-key.pem') })));
    expect(err.failure).toBe('tls-expired');
    expect(err.message).toMatch(/expired/);
  });

  it('a client certificate from a CA the engine does not trust is rejected by the engine', async () => {
    const err = await failure(createConnector(quiet)(spec({ certPath: files.otherClientCert, keyPath: files.otherClientKey })));
    expect(err.failure).toBe('tls-client-rejected');
  });

  it('an encrypted key: the right passphrase connects, a wrong one is "bad passphrase"', async () => {
    const good = new ScriptedPrompter([files.keyPassphrase]);
    const conn = await createConnector({ ...quiet, prompter: good })(spec({ keyPath: files.clientKeyEncrypted }));
    await conn.docker.ping();
    await conn.close();
    expect(good.asked[0]).toContain(files.clientKeyEncrypted);

    const bad = new ScriptedPrompter(['nope', 'still-nope', 'wrong-again']);
    const err = await failure(createConnector({ ...quiet, prompter: bad })(spec({ keyPath: files.clientKeyEncrypted })));
    expect(err.failure).toBe('bad-passphrase');
    expect(err.message).toMatch(/bad passphrase/);
    expect(err.message).not.toContain('nope');
  });

  it('without a terminal an encrypted key fails clearly instead of hanging', async () => {
    const err = await failure(createConnector(quiet)(spec({ keyPath: files.clientKeyEncrypted })));
    expect(err.failure).toBe('bad-passphrase');
    expect(err.message).toMatch(/no terminal/);
  });

  it('plain tcp:// (no certificates) to the TLS port is explained in words, not a bare reset', async () => {
    const err = await failure(createConnector(quiet)({ kind: 'tcp', host: node.ip, port: PORT, tls: null }));
    expect(err.failure).toBe('not-docker');
    expect(err.message).toMatch(/speaks TLS on this port/);
    expect(err.message).toMatch(/certificates/);
  });

  it('fails over to the next manager when the first does not answer', async () => {
    const connector = createConnector(quiet);
    const conn = await connectTarget(
      { context: 'failover', endpoints: [{ kind: 'unix', socketPath: '/nonexistent/docker.sock' }, spec({})], readOnly: false, theme: null, insecure: false },
      connector,
    );
    expect(conn.endpoint).toContain(node.ip);
    await conn.close();
    await expect(connectTarget({ context: 'x', endpoints: [spec({ caPath: files.otherCa })], readOnly: false, theme: null, insecure: false }, connector)).rejects.toBeInstanceOf(AllEndpointsFailedError);
  });
});
