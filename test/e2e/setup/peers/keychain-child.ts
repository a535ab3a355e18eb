/**
 * Runs inside `dbus-run-session` (with gnome-keyring unlocked) or with no D-Bus at all, and prints
 * one JSON line describing what the keychain did. Spawned by test/e2e/conn-keychain.test.ts.
 */
import { OsKeychain, SecretStore } from '../../../../src/config/keychain.js';
import { NonInteractivePrompter, ScriptedPrompter } from '../../../../src/config/prompter.js';
import { createConnector } from '../../../../src/docker/connect/connector.js';

interface Result {
  available: boolean;
  reason: string | null;
  roundTrip?: { got: string | null; afterDelete: string | null };
  firstConnectAsked?: string[];
  secondConnectOk?: boolean;
  noKeychain?: { notices: number; asked: number; got: string[] };
}

async function main(): Promise<void> {
  const keychain = new OsKeychain('swarmtop-e2e');
  const reason = await keychain.unavailableReason();
  const result: Result = { available: reason === null, reason };
  if (reason === null) {
    await keychain.set('probe@e2e', 'value-1');
    const got = await keychain.get('probe@e2e');
    await keychain.delete('probe@e2e');
    result.roundTrip = { got, afterDelete: await keychain.get('probe@e2e') };

    const env = process.env;
    const spec = {
      kind: 'ssh' as const,
      host: '127.0.0.1',
      port: Number(env.PEER_PORT),
      user: 'root',
      identityFile: env.PEER_KEY!,
      socketPath: env.PEER_SOCKET!,
    };
    const common = { env: {}, home: env.PEER_DIR!, knownHostsFiles: [env.PEER_KNOWN_HOSTS!], sshConfigFile: '/nonexistent', keychain, notice: () => {} };
    // First connection: the passphrase is asked and saved in the keychain.
    const asking = new ScriptedPrompter([env.PEER_PASSPHRASE!, true]);
    const first = await createConnector({ ...common, prompter: asking })(spec);
    await first.docker.ping();
    await first.close();
    result.firstConnectAsked = asking.asked;
    // Second connection, with nobody to ask: the keychain must supply it.
    const second = await createConnector({ ...common, prompter: new NonInteractivePrompter() })(spec);
    await second.docker.ping();
    await second.close();
    result.secondConnectOk = true;
    await keychain.delete(`ssh-key-passphrase@file:${env.PEER_KEY!}`);
  } else {
    const notices: string[] = [];
    const store = new SecretStore(keychain, new ScriptedPrompter(['s1', 's2']), (m) => notices.push(m));
    const got = [
      await store.obtain({ account: 'a', question: 'Secret? ', check: () => true, wrong: 'wrong' }),
      await store.obtain({ account: 'a', question: 'Secret? ', check: () => true, wrong: 'wrong' }),
    ];
    result.noKeychain = { notices: notices.length, asked: 2, got };
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`);
    process.exit(1);
  },
);
