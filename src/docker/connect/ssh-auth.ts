import { existsSync, readFileSync } from 'node:fs';
import ssh2, { type AnyAuthMethod, type AuthenticationType, type AuthHandlerMiddleware, type ParsedKey } from 'ssh2';
import { keychainAccount } from '../../config/keychain.js';
import type { ResolvedOptions } from './options.js';

export interface SshAuthPlan {
  endpoint: string;
  username: string;
  /** ssh-agent socket (SSH_AUTH_SOCK), if any. */
  agentSocket: string | null;
  identityFiles: readonly string[];
}

/** What the auth handler tried, and the password to offer to the keychain once it worked. */
export interface SshAuthState {
  tried: string[];
  askedPassword: string | null;
}

const MAX_PASSWORD_TRIES = 3;

function parse(data: Buffer, passphrase?: string): ParsedKey | null {
  const k = ssh2.utils.parseKey(data, passphrase);
  if (k instanceof Error) return null;
  return Array.isArray(k) ? ((k as ParsedKey[])[0] ?? null) : k;
}

/**
 * Tries, in the order ssh does: the agent, each identity file (an encrypted one's passphrase from
 * the keychain or the prompter), then a password (keychain first; a stored one that fails is
 * dropped and asked for).
 */
export function sshAuthHandler(plan: SshAuthPlan, opts: ResolvedOptions, state: SshAuthState): AuthHandlerMiddleware {
  const steps: { wire: AuthenticationType; run: () => Promise<AnyAuthMethod | null> }[] = [];
  const username = plan.username;
  if (plan.agentSocket) {
    const agent = plan.agentSocket;
    steps.push({
      wire: 'publickey',
      run: () => {
        state.tried.push('ssh-agent');
        return Promise.resolve({ type: 'agent', username, agent });
      },
    });
  }
  for (const file of plan.identityFiles) {
    steps.push({ wire: 'publickey', run: async () => {
      if (!existsSync(file)) return null;
      const data = readFileSync(file);
      let key = parse(data);
      if (key === null) {
        try {
          const pass = await opts.secrets.obtain({
            account: keychainAccount(`file:${file}`, 'ssh-key-passphrase'),
            question: `Passphrase for ${file}: `,
            check: (p) => parse(data, p) !== null,
            wrong: `bad passphrase for ${file}`,
          });
          key = parse(data, pass);
        } catch (err) {
          opts.notice(`skipping ${file}: ${err instanceof Error ? err.message : String(err)}`);
          return null;
        }
      }
      if (key === null) return null;
      state.tried.push(`key ${file}`);
      return { type: 'publickey', username, key };
    } });
  }
  const account = keychainAccount(plan.endpoint, 'ssh-password');
  let storedTried = false;
  for (let i = 0; i <= MAX_PASSWORD_TRIES; i++) {
    steps.push({ wire: 'password', run: async () => {
      if (!storedTried) {
        storedTried = true;
        const stored = await opts.secrets.lookup(account);
        if (stored !== null) {
          state.tried.push('password (keychain)');
          return { type: 'password', username, password: stored };
        }
      } else if (state.tried.at(-1) === 'password (keychain)') {
        opts.notice(`the password stored in the keychain for ${plan.endpoint} was refused; asking again`);
        await opts.secrets.forget(account);
      }
      if (i === MAX_PASSWORD_TRIES) return null;
      let password: string;
      try {
        password = await opts.secrets.askOnce(`Password for ${plan.endpoint}: `);
      } catch (err) {
        opts.notice(`no password: ${err instanceof Error ? err.message : String(err)}`);
        return null;
      }
      state.tried.push('password');
      state.askedPassword = password;
      return { type: 'password', username, password };
    } });
  }

  let next = 0;
  return (methodsLeft: AuthenticationType[] | null, _partial: boolean, callback) => {
    const run = async (): Promise<AnyAuthMethod | false> => {
      while (next < steps.length) {
        const step = steps[next]!;
        next += 1;
        // Never prompt for a method the server no longer accepts.
        if (methodsLeft && !methodsLeft.includes(step.wire)) continue;
        const m = await step.run();
        if (m !== null) return m;
      }
      return false;
    };
    run().then(
      (m) => callback(m as AnyAuthMethod),
      () => callback(false as unknown as AnyAuthMethod),
    );
  };
}
