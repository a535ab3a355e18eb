import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { cookedMode, startInPty, stopApp, terminalRestored, type PtyRun } from './setup/pty.js';

/**
 * `x` on a task runs a real interactive TTY in its container on the node it runs on, reached through the
 * context's nodes: map (each lab node has its own engine socket): in a real pty (tmux running `script`),
 * with the real binary. The shell's output proves where it ran (the container's hostname is its id, a
 * secret only that task mounts, a file the docker CLI then reads in that container on that node); a
 * window resize reaches the container's TTY; exit gives the console back on the same pane and row.
 * A node with no endpoint says so; a read-only context refuses.
 */
const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
let h: CliHome;
let run: PtyRun | null = null;
const service = uniqueName('reach-exec');
const secret = uniqueName('reach-secret');
const SECRET_TEXT = 'only-in-this-task';

beforeAll(async () => {
  ensureBuilt();
  h = cliHome('reach-exec-');
  writeFileSync(h.contextsFile, `contexts:
  - name: lab
    managers: [unix://${m1.socket}]
    nodes:
      ${w1.hostname}: unix://${w1.socket}
  - name: bare
    managers: [unix://${m1.socket}]
  - name: ro
    managers: [unix://${m1.socket}]
    readOnly: true
    nodes:
      "*": unix://${w1.socket}
`);
  const file = join(h.dir, 'secret.txt');
  writeFileSync(file, SECRET_TEXT);
  await dockerCli(m1, ['secret', 'create', secret, file]);
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', '1', '--constraint', 'node.role==worker',
    '--secret', `source=${secret},target=x`, 'local/busybox:1', 'sleep', '1d']);
  await waitFor('the task running on the worker', 120_000, async () => {
    const out = await dockerCli(m1, ['service', 'ps', service, '--filter', 'desired-state=running', '--format', '{{.CurrentState}}']);
    return out.startsWith('Running') ? true : null;
  }, 1000);
});
afterAll(async () => {
  await stopApp(run);
  run?.close();
  h?.remove();
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
  await waitFor('the service gone', 60_000, async () => (await dockerCli(m1, ['secret', 'rm', secret]).then(() => true, () => null)), 1000).catch(() => undefined);
});

const screenHas = (r: PtyRun, text: string | RegExp): boolean => (typeof text === 'string' ? r.screen().includes(text) : text.test(r.screen()));

async function waitScreen(r: PtyRun, text: string | RegExp, what: string, ms = 60_000): Promise<void> {
  await waitFor(what, ms, () => Promise.resolve(screenHas(r, text)), 200).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${r.screen()}`);
  });
}

async function appStty(r: PtyRun): Promise<string> {
  const tty = readlinkSync(`/proc/${await r.appPid()}/fd/0`);
  return execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' });
}

/** The tasks of the service, its one task selected (the drill-down from the services pane). */
async function openTasks(r: PtyRun): Promise<void> {
  r.keys('2');
  await waitScreen(r, /^Services \[/m, 'the services pane');
  r.keys('/');
  // The prompt opens with the current filter: erase it first.
  r.keys(...Array<string>(40).fill('BSpace'));
  r.keys('-l', service);
  r.keys('Enter');
  await waitScreen(r, /^Services \[1(\/\d+)?\]/m, 'the service selected');
  r.keys('Enter');
  await waitScreen(r, new RegExp(`^Tasks of service ${service}`, 'm'), 'its tasks');
  await waitScreen(r, new RegExp(`${w1.hostname} +running +running`), 'its task running');
}

async function expectConsoleBack(r: PtyRun): Promise<void> {
  expect(r.paneModes().alternateOn).toBe(true);
  expect(cookedMode(await appStty(r))).toBe(false);
  expect(r.screen()).toMatch(new RegExp(`^Tasks of service ${service}`, 'm'));
  expect(r.screen()).toMatch(new RegExp(`${w1.hostname} +running +running`));
}

describe('exec into a task on another node (real pty)', () => {
  it('runs a shell in the container on the worker, forwards a resize, and gives the console back on the same pane and row', async () => {
    const cid = (await dockerCli(w1, ['ps', '-q', '--no-trunc', '--filter', `label=com.docker.swarm.service.name=${service}`])).trim();
    expect(cid).toMatch(/^[0-9a-f]{64}$/);
    run = startInPty('reach-exec', [process.execPath, BIN, '--context', 'lab'], h.env, REPO);
    const r = run;
    await waitScreen(r, 'managers 3/3', 'the console live');
    await openTasks(r);

    r.keys('x');
    await waitScreen(r, /^[/~].*[#$] ?$/m, 'the shell prompt');
    expect(r.paneModes().alternateOn).toBe(false);
    r.keys('-l', `echo "in=$(hostname)"; cat /run/secrets/x; echo; echo proof > /tmp/reach-proof; stty size`);
    r.keys('Enter');
    await waitScreen(r, `in=${cid.slice(0, 12)}`, 'the container\'s hostname');
    await waitScreen(r, SECRET_TEXT, 'the task\'s own secret');
    // The pty's size (tmux's 120x32 pane) is the container's TTY size from the start.
    await waitScreen(r, /^32 120\s*$/m, 'the TTY size');
    r.resize(100, 25);
    r.keys('-l', 'clear; stty size');
    r.keys('Enter');
    await waitScreen(r, /^25 100\s*$/m, 'the resized TTY');
    // The docker CLI reads, on the worker's own engine, what the shell wrote in that container.
    expect((await dockerCli(w1, ['exec', cid, 'cat', '/tmp/reach-proof'])).trim()).toBe('proof');

    r.keys('-l', 'exit');
    r.keys('Enter');
    await waitScreen(r, /ended \(exit status 0\)/, 'the shell ended');
    await expectConsoleBack(r);

    // `:exec CMD` runs that command; its exit status is reported.
    r.keys(':');
    r.keys('-l', 'exec sh -c "exit 7"');
    r.keys('Enter');
    await waitScreen(r, /ended \(exit status 7\)/, 'the command ended');
    await expectConsoleBack(r);

    // The audit log names who, the task and the command; nothing typed in the shell.
    const audit = readFileSync(join(h.stateHome, 'swarmtop', 'audit.jsonl'), 'utf8');
    const lines = audit.trim().split('\n').map((l) => JSON.parse(l) as { action: string; user: string; target: { kind: string }; input: string | null; result: string; message: string });
    const execs = lines.filter((l) => l.action === 'task.exec');
    expect(execs.map((l) => l.result)).toEqual(['attempt', 'done', 'attempt', 'done']);
    expect(execs[1]!.message).toContain(cid.slice(0, 12));
    expect(execs[3]!.input).toBe('sh -c "exit 7"');
    expect(execs.every((l) => l.target.kind === 'task' && l.user !== '')).toBe(true);
    expect(audit).not.toContain('reach-proof');

    // A context with no nodes: map and no SSH: the worker's node says why, nothing runs.
    r.keys(':');
    r.keys('-l', 'ctx bare');
    r.keys('Enter');
    // The header names the context (a context's console opens afresh, on its services).
    await waitScreen(r, /^swarmtop .*ctx bare\b/m, 'the context switched');
    await waitScreen(r, 'managers 3/3', 'the console live again');
    r.keys('Escape');
    await openTasks(r);
    r.keys('x');
    await waitScreen(r, new RegExp(`no endpoint configured for node ${w1.hostname}`), 'the reason');
    expect(r.paneModes().alternateOn).toBe(true);

    // A read-only context refuses before anything reaches a node.
    r.keys(':');
    r.keys('-l', 'ctx ro');
    r.keys('Enter');
    await waitScreen(r, /^swarmtop .*ctx ro\b/m, 'the read-only context');
    await waitScreen(r, 'managers 3/3', 'the console live again');
    r.keys('Escape');
    await openTasks(r);
    r.keys('x');
    await waitScreen(r, /refused — the console is read-only/, 'the refusal');

    r.keys('q');
    const { code, stty } = await r.exited(30_000);
    expect(code).toBe(0);
    expect(terminalRestored(r.raw())).toMatchObject({ leftAltScreen: true, cursorShown: true });
    expect(cookedMode(stty)).toBe(true);
    expect(existsSync(join(h.stateHome, 'swarmtop', 'audit.jsonl'))).toBe(true);
  });
});
