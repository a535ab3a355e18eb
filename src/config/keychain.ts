import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import type { Prompter } from './prompter.js';

/** Every swarmtop secret lives under this keychain service. */
export const KEYCHAIN_SERVICE = 'swarmtop';

/** What a secret unlocks, so one endpoint can have several (TLS key passphrase, SSH password...). */
export type SecretPurpose = 'tls-key-passphrase' | 'ssh-key-passphrase' | 'ssh-password';

/** Account name: endpoint (as described to the operator, never a credential) + purpose. */
export function keychainAccount(endpoint: string, purpose: SecretPurpose): string {
  return `${purpose}@${endpoint}`;
}

export interface Keychain {
  /** False when there is no OS keychain (no D-Bus / Secret Service): secrets are then asked each time. */
  available(): Promise<boolean>;
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export class KeychainUnavailableError extends Error {}

/**
 * The OS keychain through @napi-rs/keyring. On Linux it is pinned to the Secret Service: the kernel
 * keyring fallback forgets everything at logout, which would look like a keychain that loses secrets.
 */
export class OsKeychain implements Keychain {
  private probe: Promise<string | null> | null = null;
  private readonly options: EntryOptions = { linux: { store: 'secret-service' } };

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  /** null when usable, else why not. */
  unavailableReason(): Promise<string | null> {
    const why = (err: unknown): string => (err instanceof Error ? err.message : String(err));
    // Without D-Bus the entry constructor itself throws; with a locked or absent service the read fails.
    this.probe ??= (async () => {
      try {
        await new AsyncEntry(this.service, '__probe__', this.options).getPassword();
        return null;
      } catch (err) {
        return why(err);
      }
    })();
    return this.probe;
  }

  async available(): Promise<boolean> {
    return (await this.unavailableReason()) === null;
  }

  async get(account: string): Promise<string | null> {
    await this.ensure();
    return new AsyncEntry(this.service, account, this.options).getPassword();
  }

  async set(account: string, secret: string): Promise<void> {
    await this.ensure();
    await new AsyncEntry(this.service, account, this.options).setPassword(secret);
  }

  async delete(account: string): Promise<boolean> {
    await this.ensure();
    return new AsyncEntry(this.service, account, this.options).deletePassword();
  }

  private async ensure(): Promise<void> {
    const reason = await this.unavailableReason();
    if (reason !== null) throw new KeychainUnavailableError(`no OS keychain: ${reason}`);
  }
}

/** A keychain that holds nothing (tests, --no-keychain): every secret is asked. */
export class NoKeychain implements Keychain {
  available(): Promise<boolean> {
    return Promise.resolve(false);
  }
  get(): Promise<string | null> {
    return Promise.resolve(null);
  }
  set(): Promise<void> {
    return Promise.reject(new KeychainUnavailableError('no OS keychain'));
  }
  delete(): Promise<boolean> {
    return Promise.resolve(false);
  }
}

export interface SecretRequest {
  account: string;
  question: string;
  /** Checks a candidate (e.g. decrypts the key); a false answer is a wrong secret. */
  check: (secret: string) => boolean | Promise<boolean>;
  /** What to call a wrong answer in the error, e.g. "bad passphrase for /path/key.pem". */
  wrong: string;
}

export class WrongSecretError extends Error {}

function why(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Finds a secret: keychain first (a stale stored one is dropped), then the prompter; a good answer is
 * offered to the keychain. With no keychain the operator is told once, then asked each time.
 */
export class SecretStore {
  private toldNoKeychain = false;

  constructor(
    private readonly keychain: Keychain,
    private readonly prompter: Prompter,
    private readonly notice: (message: string) => void = (m) => void process.stderr.write(`swarmtop: ${m}\n`),
  ) {}

  async obtain(req: SecretRequest, attempts = 3): Promise<string> {
    const hasKeychain = await this.keychain.available();
    if (hasKeychain) {
      // A keychain that fails to answer (locked, D-Bus error) is not a wrong secret: ask instead.
      const stored = await this.keychain.get(req.account).catch((err: unknown) => {
        this.notice(`could not read the OS keychain (${why(err)}); asking instead`);
        return null;
      });
      if (stored !== null) {
        if (await req.check(stored)) return stored;
        this.notice(`the secret stored in the keychain for ${req.account} is wrong; asking again`);
        await this.keychain.delete(req.account).catch(() => false);
      }
    } else if (!this.toldNoKeychain) {
      this.toldNoKeychain = true;
      this.notice('no OS keychain available (no D-Bus Secret Service): secrets will be asked each time, never saved to a file');
    }
    for (let i = 0; i < attempts; i++) {
      const answer = await this.prompter.ask(req.question, { secret: true });
      if (!(await req.check(answer))) {
        this.notice(req.wrong);
        continue;
      }
      if (hasKeychain) await this.offerToSave(req.account, answer);
      return answer;
    }
    throw new WrongSecretError(req.wrong);
  }

  /**
   * The answer was right whatever happens here: a keychain that cannot store it (locked, full, D-Bus
   * gone) is said in those words, never reported as a wrong passphrase, and the connection goes on.
   */
  private async offerToSave(account: string, secret: string): Promise<void> {
    const save = await this.prompter.confirm('Save it in the OS keychain?').catch(() => false);
    if (!save) return;
    try {
      await this.keychain.set(account, secret);
    } catch (err) {
      this.notice(`the passphrase is right, but saving it in the OS keychain failed (${why(err)}): it was not saved, and will be asked again next time`);
    }
  }

  /** Like obtain, for secrets we cannot check locally (an SSH password): the server judges it. */
  async lookup(account: string): Promise<string | null> {
    return (await this.keychain.available()) ? this.keychain.get(account) : null;
  }

  hasKeychain(): Promise<boolean> {
    return this.keychain.available();
  }

  async remember(account: string, secret: string): Promise<void> {
    if (await this.keychain.available()) await this.keychain.set(account, secret);
  }

  async forget(account: string): Promise<void> {
    if (await this.keychain.available()) await this.keychain.delete(account);
  }

  async askOnce(question: string): Promise<string> {
    if (!(await this.keychain.available()) && !this.toldNoKeychain) {
      this.toldNoKeychain = true;
      this.notice('no OS keychain available (no D-Bus Secret Service): secrets will be asked each time, never saved to a file');
    }
    return this.prompter.ask(question, { secret: true });
  }

  confirm(question: string): Promise<boolean> {
    return this.prompter.confirm(question);
  }
}
