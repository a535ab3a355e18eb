import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { startSshPeer, type SshPeer } from './setup/peers/sshd.js';
import { filesUnder, leaksIn } from './setup/secret-scan.js';
import { startInPty, type PtyRun } from './setup/pty.js';

/**
 * A full session of the real binary in a real pty, over SSH with a passphrase-protected key whose
 * passphrase lives in the OS keychain (gnome-keyring on a private D-Bus session): the first run asks it
 * at the terminal and saves it, the second takes it from the keychain, reveals both join commands,
 * rotates the worker token, refuses a garbage replica count and scales a service, creates a secret from a
 * value typed into the masked prompt and rotates it to another typed value. Afterwards every file
 * swarmtop wrote (config dir, state dir with the audit log, anything else under its home) and every byte
 * it wrote to the terminal are scanned: no passphrase, no password, no secret value, no join token — except a token on
 * screen between the operator pressing v to show it and closing the dialog.
 */
const lab = testLab();
const m1 = lab.managers[0]!;
const KEYRING_PASSWORD = 'e2e-keyring-Pw9';
let h: CliHome;
let peer: SshPeer;
let run: PtyRun | null = null;
const service = uniqueName('sec-scan');
const secretName = uniqueName('sec-scan-secret');
/** Values typed into the masked prompt: they must appear nowhere but in the engine. */
const typedValue = `typed-${Date.now().toString(36)}-Zq8`;
const rotatedValue = `rotated-${Date.now().toString(36)}-Xw3`;

beforeAll(async () => {
  ensureBuilt();
  h = cliHome('security-scan-');
  peer = await startSshPeer({ dockerSocket: m1.socket });
  mkdirSync(join(h.home, '.ssh'), { recursive: true });
  writeFileSync(join(h.home, '.ssh', 'known_hosts'), `${peer.knownHostsLine}\n`);
  writeFileSync(
    h.contextsFile,
    ['current: sec', 'contexts:', '  - name: sec', '    managers:', `      - ssh://root@127.0.0.1:${peer.port}`, `    socket: ${m1.socket}`, `    ssh: { identityFile: ${peer.encryptedKey} }`, ''].join('\n'),
  );
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', '1', '--constraint', 'node.labels.never==1', 'local/busybox:1']);
});
afterAll(async () => {
  run?.close();
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
  for (const s of [secretName, `${secretName}_v2`]) await dockerCli(m1, ['secret', 'rm', s]).catch(() => undefined);
  await peer?.stop();
  h?.remove();
});

const joinToken = async (role: 'worker' | 'manager'): Promise<string> => (await dockerCli(m1, ['swarm', 'join-token', '-q', role])).trim();
/** The secret part of a join token (SWMTKN-1-<CA digest>-<secret>): what must never leak. */
const secretOf = (token: string): string => token.split('-').at(-1)!;

describe('no credential in any file swarmtop wrote or on screen, after a full session', () => {
  it('keychain passphrase over SSH, join commands revealed, token rotated, a service scaled, a secret created and rotated from typed values', async () => {
    const workerBefore = await joinToken('worker');
    const manager = await joinToken('manager');
    const keyringData = join(h.dir, 'keyring-data');
    const script = [
      `echo -n '${KEYRING_PASSWORD}' | gnome-keyring-daemon --unlock --components=secrets >/dev/null || exit 9`,
      `${process.execPath} ${BIN} || exit 10`,
      'echo SECOND-RUN',
      `exec ${process.execPath} ${BIN}`,
    ].join('\n');
    run = startInPty('security-scan', ['dbus-run-session', '--', 'sh', '-c', script], { ...h.env, XDG_DATA_HOME: keyringData }, REPO);
    const r = run;
    const screen = (): string => r.screen();
    // Every wait shows the screen when it times out: a failure says what the operator would have seen.
    const see = <T,>(what: string, ms: number, check: () => Promise<T | null | undefined | false>, every = 200): Promise<T> =>
      waitFor(what, ms, check, every).catch((e: unknown) => {
        throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${screen()}`);
      });
    const live = (): boolean => screen().includes('● live') && screen().includes('managers 3/3');

    // Run 1: nothing in the keychain yet; the passphrase is typed at the terminal (never echoed) and saved.
    await see('the passphrase question', 60_000, () => Promise.resolve(/Passphrase for .*client_enc/.test(screen())), 200);
    r.keys('-l', peer.keyPassphrase);
    r.keys('Enter');
    await see('the offer to save it in the keychain', 30_000, () => Promise.resolve(/keychain\?/.test(screen())), 200);
    r.keys('y', 'Enter');
    await see('run 1 live', 60_000, () => Promise.resolve(live()), 200);
    r.keys('q');

    // Run 2: the keychain supplies the passphrase; nobody is asked.
    await see('run 2 live', 60_000, () => Promise.resolve(r.raw().includes('SECOND-RUN') && r.raw().split('SECOND-RUN')[1]!.includes('\x1b[?1049h') && live()), 200);
    expect(r.raw().split('SECOND-RUN')[1]).not.toMatch(/Passphrase for/);
    expect(peer.logins()).toBeGreaterThanOrEqual(2);

    // The swarm pane: tokens are "present", never printed.
    r.keys('8');
    await see('the swarm pane', 10_000, () => Promise.resolve(/Worker join token/.test(screen())), 200);
    const beforeReveal = r.raw().length;
    // W: the join command is fetched, shown masked; v shows it; esc closes it.
    r.keys('W');
    await see('the worker join dialog, masked', 15_000, () => Promise.resolve(/worker join command fetched/.test(screen())), 200);
    expect(screen()).not.toContain(secretOf(workerBefore));
    const workerShownAt = r.raw().length;
    r.keys('v');
    await see('the worker token shown on v', 10_000, () => Promise.resolve(screen().includes(secretOf(workerBefore))), 200);
    r.keys('Escape');
    await see('the dialog closed, the token gone from the screen', 10_000, () => Promise.resolve(!screen().includes(secretOf(workerBefore)) && !/worker join command fetched/.test(screen())), 200);
    r.keys('M');
    await see('the manager join dialog, masked', 15_000, () => Promise.resolve(/manager join command fetched/.test(screen())), 200);
    expect(screen()).not.toContain(secretOf(manager));
    const managerShownAt = r.raw().length;
    r.keys('v');
    await see('the manager token shown on v', 10_000, () => Promise.resolve(screen().includes(secretOf(manager))), 200);
    r.keys('Escape');
    await see('the manager dialog closed', 10_000, () => Promise.resolve(!screen().includes(secretOf(manager))), 200);

    // t: rotate the worker token (dangerous: confirmed with y). The new token is never shown unasked.
    r.keys('t');
    await see('the rotate confirmation', 10_000, () => Promise.resolve(/<y>confirm/.test(screen())), 200);
    r.keys('y');
    await see('the worker token rotated', 30_000, async () => (await joinToken('worker')) !== workerBefore, 500);
    const workerAfter = await joinToken('worker');

    // Services: a garbage replica count is refused in words and nothing is sent; a real one is done.
    r.keys('2');
    // The table may ellipsize the long unique name: its first characters are enough to recognise it.
    await see('the service listed', 15_000, () => Promise.resolve(screen().includes(service.slice(0, 15))), 200);
    // One key per step, each waited for on screen: keys written together may reach the app as one chunk.
    r.keys('/');
    await see('the filter prompt', 10_000, () => Promise.resolve(screen().trimEnd().split('\n').at(-1)!.startsWith('/')), 200);
    r.keys('-l', service);
    await see('the filter typed', 10_000, () => Promise.resolve(screen().includes(`/${service}`) && /services \[1(\/\d+)?\]/i.test(screen())), 200);
    r.keys('Enter');
    await see('the filter prompt closed', 10_000, () => Promise.resolve(!screen().trimEnd().split('\n').at(-1)!.startsWith('/')), 200);
    const replicasLine = (): string => screen().split('\n').find((l) => l.includes('replicas: ')) ?? '';
    r.keys('s');
    await see('the replicas prompt', 10_000, () => Promise.resolve(/Scale — service/.test(screen()) && /replicas: 1/.test(replicasLine())), 200);
    r.keys('BSpace');
    await see('the value erased', 10_000, () => Promise.resolve(/replicas:\s+│/.test(replicasLine()) || /replicas: *$/.test(replicasLine().replace(/[│\s]+$/, ''))), 200);
    r.keys('-l', '3x!');
    await see('garbage typed', 10_000, () => Promise.resolve(replicasLine().includes('replicas: 3x!')), 200);
    r.keys('Enter');
    await see('the garbage refused', 10_000, () => Promise.resolve(/enter a whole number of replicas/.test(screen())), 200);
    for (const left of ['3x', '3', '']) {
      r.keys('BSpace');
      await see(`backspace to "${left}"`, 10_000, () => Promise.resolve(replicasLine().replace(/[│\s]+$/, '').endsWith(`replicas:${left === '' ? '' : ` ${left}`}`)), 200);
    }
    r.keys('2');
    await see('2 typed', 10_000, () => Promise.resolve(replicasLine().includes('replicas: 2')), 200);
    r.keys('Enter');
    await see('the scale confirmation', 10_000, () => Promise.resolve(/replicas 1 → 2/.test(screen()) && /<y>confirm/.test(screen())), 200);
    r.keys('y');
    await see('scaled to 2', 30_000, async () => (await dockerCli(m1, ['service', 'inspect', service, '--format', '{{.Spec.Mode.Replicated.Replicas}}'])).trim() === '2', 500);
    // The garbage never reached the engine: the last update went straight from 1 to 2.
    expect((await dockerCli(m1, ['service', 'inspect', service, '--format', '{{.PreviousSpec.Mode.Replicated.Replicas}}'])).trim()).toBe('1');

    // Secrets: n creates one from a value typed into the masked prompt; R rotates it to a second typed
    // value (no service uses it: the plan moves nothing) and then offers to remove the old one.
    r.keys('5');
    await see('the secrets pane', 10_000, () => Promise.resolve(/Secrets \[/.test(screen())), 200);
    r.keys('n');
    await see('the create prompt', 10_000, () => Promise.resolve(/Create a secret/.test(screen()) && /name \[file\]/.test(screen())), 200);
    r.keys('-l', secretName);
    await see('the name typed', 10_000, () => Promise.resolve(screen().includes(secretName)), 200);
    r.keys('Enter');
    await see('the masked value prompt', 10_000, () => Promise.resolve(/value \(masked/.test(screen())), 200);
    r.keys('-l', typedValue);
    await see('the value typed, masked', 10_000, () => Promise.resolve(screen().includes('•'.repeat(typedValue.length))), 200);
    r.keys('Enter');
    await see('the create confirmation', 15_000, () => Promise.resolve(/<y>confirm/.test(screen()) && /is created: \d+ bytes/.test(screen())), 200);
    r.keys('y');
    await see('the secret created', 30_000, async () => (await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n').includes(secretName), 500);
    r.keys('/');
    await see('the filter prompt', 10_000, () => Promise.resolve(screen().trimEnd().split('\n').at(-1)!.startsWith('/')), 200);
    r.keys('-l', secretName);
    await see('the secret filtered', 10_000, () => Promise.resolve(/Secrets \[1(\/\d+)?\]/.test(screen())), 200);
    r.keys('Enter');
    await see('the filter prompt closed', 10_000, () => Promise.resolve(!screen().trimEnd().split('\n').at(-1)!.startsWith('/')), 200);
    r.keys('R');
    await see('the new name prompt', 10_000, () => Promise.resolve(screen().includes(`new name: ${secretName}_v2`)), 200);
    r.keys('Enter');
    await see('the masked new value prompt', 10_000, () => Promise.resolve(/new value \(masked/.test(screen())), 200);
    r.keys('-l', rotatedValue);
    await see('the new value typed, masked', 10_000, () => Promise.resolve(screen().includes('•'.repeat(rotatedValue.length))), 200);
    r.keys('Enter');
    await see('the rotation plan', 15_000, () => Promise.resolve(/<y>confirm/.test(screen()) && /No service uses/.test(screen())), 200);
    r.keys('y');
    await see('the offer to remove the old secret', 30_000, () => Promise.resolve(/Remove secret\?/.test(screen()) && /<y>confirm/.test(screen())), 200);
    r.keys('y');
    await see('the old secret removed', 30_000, async () => {
      const names = (await dockerCli(m1, ['secret', 'ls', '--format', '{{.Name}}'])).split('\n');
      return names.includes(`${secretName}_v2`) && !names.includes(secretName);
    }, 500);
    r.keys('Escape');

    r.keys('q');
    const { code } = await r.exited(30_000);
    expect(code).toBe(0);

    // The audit log is among the files scanned, and it recorded the session's actions.
    const auditFile = join(h.stateHome, 'swarmtop', 'audit.jsonl');
    const audit = readFileSync(auditFile, 'utf8');
    expect(audit).toContain('swarm.rotate-worker-token');
    expect(audit).toContain('service.scale');
    expect(audit).toContain('"secret.create"');
    expect(audit).toContain('"secret.rotate:create"');
    expect(audit).toContain('"secret.remove"');

    const secrets: Record<string, string> = {
      'key passphrase': peer.keyPassphrase,
      'ssh password': peer.password,
      'keyring password': KEYRING_PASSWORD,
      'worker token (before rotation)': secretOf(workerBefore),
      'worker token (after rotation)': secretOf(workerAfter),
      'manager token': secretOf(manager),
      'secret value typed at create': typedValue,
      'secret value typed at rotate': rotatedValue,
      'secret value typed at create (base64)': Buffer.from(typedValue).toString('base64'),
      'secret value typed at rotate (base64)': Buffer.from(rotatedValue).toString('base64'),
    };
    // Every file under swarmtop's home, config and state dirs except the keychain's own (encrypted) store.
    const files = filesUnder(h.dir, [keyringData]);
    expect(files).toContain(auditFile);
    const leaks = leaksIn(files, secrets);
    // The terminal: never a passphrase or password; a token only after v was pressed to show it.
    const raw = r.raw();
    for (const what of ['key passphrase', 'ssh password', 'keyring password', 'worker token (after rotation)', 'secret value typed at create', 'secret value typed at rotate'] as const) if (raw.includes(secrets[what]!)) leaks.push(`${what} on screen`);
    if (raw.slice(0, workerShownAt).includes(secrets['worker token (before rotation)']!)) leaks.push('worker token on screen before v');
    if (raw.slice(0, managerShownAt).includes(secrets['manager token']!)) leaks.push('manager token on screen before v');
    expect(raw.slice(beforeReveal)).toContain(secrets['worker token (before rotation)']);
    expect(leaks).toEqual([]);
  });
});
