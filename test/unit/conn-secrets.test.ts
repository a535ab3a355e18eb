import { describe, expect, it } from 'vitest';
import { keychainAccount, SecretStore, WrongSecretError, type Keychain } from '../../src/config/keychain.js';
import { NonInteractivePrompter, PromptUnavailableError, ScriptedPrompter } from '../../src/config/prompter.js';
import { ConnectError } from '../../src/docker/connect/errors.js';
import { mapTlsError } from '../../src/docker/connect/tls-errors.js';

/** An in-memory keychain for the store's decision logic (the real one is tested e2e with gnome-keyring). */
class MemoryKeychain implements Keychain {
  readonly items = new Map<string, string>();
  constructor(private readonly up = true) {}
  available(): Promise<boolean> {
    return Promise.resolve(this.up);
  }
  get(a: string): Promise<string | null> {
    return Promise.resolve(this.items.get(a) ?? null);
  }
  set(a: string, s: string): Promise<void> {
    this.items.set(a, s);
    return Promise.resolve();
  }
  delete(a: string): Promise<boolean> {
    return Promise.resolve(this.items.delete(a));
  }
}

const req = (good: string) => ({ account: 'acct', question: 'Passphrase: ', check: (s: string) => s === good, wrong: 'bad passphrase for key.pem' });

describe('secret store', () => {
  it('asks, checks, and saves in the keychain when the operator agrees', async () => {
    const kc = new MemoryKeychain();
    const p = new ScriptedPrompter(['wrong', 'right', true]);
    const notices: string[] = [];
    expect(await new SecretStore(kc, p, (m) => notices.push(m)).obtain(req('right'))).toBe('right');
    expect(kc.items.get('acct')).toBe('right');
    expect(notices).toEqual(['bad passphrase for key.pem']);
    // next time: from the keychain, nobody asked
    expect(await new SecretStore(kc, new NonInteractivePrompter()).obtain(req('right'))).toBe('right');
  });

  it('a keychain that fails to save a right answer says so, and the answer is used (never "bad passphrase")', async () => {
    const kc = new MemoryKeychain();
    kc.set = () => Promise.reject(new Error('Cannot create an item in a locked collection'));
    const notices: string[] = [];
    expect(await new SecretStore(kc, new ScriptedPrompter(['right', true]), (m) => notices.push(m)).obtain(req('right'))).toBe('right');
    expect(notices).toEqual(['the passphrase is right, but saving it in the OS keychain failed (Cannot create an item in a locked collection): it was not saved, and will be asked again next time']);
    expect(notices.join(' ')).not.toMatch(/bad passphrase/);
  });

  it('a keychain that fails to read is asked around, not taken for a wrong secret', async () => {
    const kc = new MemoryKeychain();
    kc.get = () => Promise.reject(new Error('org.freedesktop.DBus.Error.NoReply'));
    const notices: string[] = [];
    expect(await new SecretStore(kc, new ScriptedPrompter(['right', false]), (m) => notices.push(m)).obtain(req('right'))).toBe('right');
    expect(notices).toEqual(['could not read the OS keychain (org.freedesktop.DBus.Error.NoReply); asking instead']);
  });

  it('a stale stored secret is dropped and asked again', async () => {
    const kc = new MemoryKeychain();
    kc.items.set('acct', 'old');
    const p = new ScriptedPrompter(['new', false]);
    expect(await new SecretStore(kc, p, () => {}).obtain(req('new'))).toBe('new');
    expect(kc.items.has('acct')).toBe(false);
  });

  it('gives up after three wrong answers with the clear words, not the answers', async () => {
    const store = new SecretStore(new MemoryKeychain(), new ScriptedPrompter(['a1', 'a2', 'a3']), () => {});
    const err = await store.obtain(req('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WrongSecretError);
    expect((err as Error).message).toBe('bad passphrase for key.pem');
  });

  it('without a keychain: says so once, asks every time, never saves', async () => {
    const notices: string[] = [];
    const store = new SecretStore(new MemoryKeychain(false), new ScriptedPrompter(['s', 's']), (m) => notices.push(m));
    await store.obtain(req('s'));
    await store.obtain(req('s'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/no OS keychain/);
  });

  it('no terminal: a clear error instead of a hang', async () => {
    const err = await new SecretStore(new MemoryKeychain(false), new NonInteractivePrompter(), () => {}).obtain(req('s')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PromptUnavailableError);
    expect((err as Error).message).toMatch(/no terminal/);
  });

  it('accounts name endpoint and purpose, never a secret', () => {
    expect(keychainAccount('ssh://ops@m1', 'ssh-password')).toBe('ssh-password@ssh://ops@m1');
  });
});

describe('TLS error mapping', () => {
  const ep = 'tcp+tls://m1:2376';
  const err = (code: string, message = code): Error => Object.assign(new Error(message), { code });
  it.each([
    ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'tls-unknown-ca', /unknown CA/],
    ['SELF_SIGNED_CERT_IN_CHAIN', 'tls-unknown-ca', /unknown CA/],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls-unknown-ca', /unknown CA/],
    ['CERT_HAS_EXPIRED', 'tls-expired', /expired/],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls-hostname', /hostname mismatch/],
    ['ERR_SSL_SSLV3_ALERT_CERTIFICATE_EXPIRED', 'tls-expired', /client certificate: expired/],
    ['ERR_SSL_TLSV1_ALERT_UNKNOWN_CA', 'tls-client-rejected', /does not trust/],
    ['ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE', 'tls-client-rejected', /rejected our client certificate/],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'not-docker', /does not speak TLS/],
    ['ECONNREFUSED', 'unreachable', /ECONNREFUSED/],
  ] as const)('%s -> %s', (code, failure, words) => {
    const mapped = mapTlsError(ep, err(code));
    expect(mapped).toBeInstanceOf(ConnectError);
    expect(mapped.failure).toBe(failure);
    expect(mapped.message).toMatch(words);
    expect(mapped.message.startsWith(ep)).toBe(true);
  });

  it('keeps an unrecognised error in its own words', () => {
    expect(mapTlsError(ep, new Error('something odd')).message).toBe(`${ep}: something odd`);
  });
});
