import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotJson } from '../../src/cli/snapshot-json.js';
import { runSnapshot } from '../../src/cli/snapshot.js';
import { ConnectError } from '../../src/docker/connect/errors.js';
import { endpointInfo, type EndpointSpec } from '../../src/docker/endpoint.js';
import { LiveCluster } from '../../src/docker/live/index.js';
import { createStore } from '../../src/store/store.js';
import { emptyConnection, emptyState } from '../../src/store/state.js';
import { Header } from '../../src/ui/components/Header.js';
import { loadTheme } from '../../src/ui/theme.js';
import { sampleCluster } from '../fixtures/cluster.js';

afterEach(() => cleanup());

const plain: EndpointSpec = { kind: 'tcp', host: '10.99.0.7', port: 2375, tls: null };
const insecureTls: EndpointSpec = { kind: 'tcp', host: '10.99.0.7', port: 2376, tls: { caPath: 'ca', certPath: 'c', keyPath: 'k', verify: false } };

function header(ep: EndpointSpec): string {
  const s = sampleCluster();
  const state = { ...s, connection: { ...s.connection, ...endpointInfo(ep) } };
  return render(<Header state={state} theme={loadTheme('default')} width={200} readOnly={false} now={0} />).lastFrame() ?? '';
}

describe('the header says how the engine is reached', () => {
  it('plain tcp:// to another machine: a red UNENCRYPTED banner, never "TLS verification is disabled"', () => {
    const f = header(plain);
    expect(f).toContain('UNENCRYPTED: plain tcp:// to another machine');
    expect(f).not.toContain('TLS verification is disabled');
  });

  it('plain tcp:// on loopback, TLS, SSH and the local socket: no banner', () => {
    for (const ep of [{ ...plain, host: '127.0.0.1' }, { ...insecureTls, tls: { caPath: 'ca', certPath: 'c', keyPath: 'k', verify: true } }, { kind: 'ssh', host: 'm1' }, { kind: 'unix', socketPath: '/s' }] as EndpointSpec[]) {
      expect(header(ep)).not.toMatch(/UNENCRYPTED|INSECURE/);
    }
  });

  it('--insecure TLS keeps its own banner', () => {
    expect(header(insecureTls)).toContain('INSECURE: TLS verification is disabled (--insecure)');
  });

  it('the live layer sets the transport of the endpoint it is trying or using', async () => {
    const store = createStore(emptyState(emptyConnection('x')));
    const live = new LiveCluster({ context: 'x', endpoints: [plain], dispatch: (m) => store.dispatch(m), connect: () => Promise.reject(new ConnectError('tcp://10.99.0.7:2375', 'unreachable', 'ECONNREFUSED: refused')) });
    live.start();
    for (let i = 0; i < 500 && store.getState().connection.error === null; i++) await new Promise((r) => setTimeout(r, 10));
    await live.stop();
    const c = store.getState().connection;
    expect(c).toMatchObject({ transport: 'plain', unencrypted: true, insecure: false });
    // The endpoint is named once, not "tcp://...: tcp://...: ...".
    expect(c.error).toBe('tcp://10.99.0.7:2375: ECONNREFUSED: refused');
  });
});

describe('--no-audit', () => {
  it('is shown in the header for as long as the console runs', () => {
    const s = sampleCluster();
    const f = (auditOff: boolean): string => render(<Header state={s} theme={loadTheme('default')} width={120} readOnly={false} auditOff={auditOff} now={0} />).lastFrame() ?? '';
    expect(f(true)).toContain(' NO AUDIT ');
    expect(f(false)).not.toContain('NO AUDIT');
  });
});

describe('snapshot', () => {
  it('the JSON says how the engine was reached', () => {
    const s = sampleCluster();
    expect(snapshotJson({ ...s, connection: { ...s.connection, ...endpointInfo(plain) } }).transport).toBe('plain');
    expect(snapshotJson({ ...s, connection: { ...s.connection, ...endpointInfo({ kind: 'ssh', host: 'm' }) } }).transport).toBe('ssh');
  });

  it('errors name each endpoint once', async () => {
    let err = '';
    const code = await runSnapshot(
      { context: 'x', endpoints: [plain], readOnly: false, theme: null, insecure: false },
      () => Promise.reject(new ConnectError('tcp://10.99.0.7:2375', 'unreachable', 'ECONNREFUSED: connect ECONNREFUSED 10.99.0.7:2375')),
      { write: () => true }, { write: (t: string) => (err += t) },
    );
    expect(code).toBe(1);
    expect(err).toBe('swarmtop: no manager answered:\n  tcp://10.99.0.7:2375: ECONNREFUSED: connect ECONNREFUSED 10.99.0.7:2375\n');
  });
});
