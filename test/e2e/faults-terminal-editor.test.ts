import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../lab/sh.js';
import { BIN, REPO, cliHome, ensureBuilt, type CliHome } from './setup/cli-run.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { cookedMode, startInPty, terminalRestored, type PtyRun } from './setup/pty.js';

/**
 * The console lends the terminal to $EDITOR and takes it back exactly, in a real pty (tmux running
 * `script`), with the real binary against the lab: while the editor runs the alternate screen is left,
 * the line discipline is cooked and every key reaches the editor (none is stolen by the console: a q
 * typed there does not quit it, nor does Ctrl-C); afterwards the alternate screen, raw mode, the pane and the selected row
 * are back, on every path: the editor not found, exiting non-zero, killed, or saving an edit.
 */
const lab = testLab();
const m1 = lab.node('m1');
let h: CliHome;
let dir: string;
let run: PtyRun | null = null;
const service = uniqueName('pty-edit');

/** The editor: reports the terminal it was given, reads one line typed on it, then does what `mode` says. */
const SCRIPT = `#!/bin/sh
d="$(dirname "$0")"
mode="$(cat "$d/mode")"
if [ "$mode" = missing ]; then exec "$d/no-such-editor" "$1"; fi
stty -a > "$d/stty-in-editor"
echo ready > "$d/ready"
read line
printf '%s' "$line" > "$d/typed"
case "$mode" in
  kill) kill -9 $$ ;;
  fail) exit 3 ;;
esac
sed -i 's/^Labels: {}$/Labels:\\n  edited: "yes"/' "$1"
`;

beforeAll(async () => {
  ensureBuilt();
  h = cliHome('faults-editor-');
  dir = mkdtempSync(join(tmpdir(), 'pty-editor-'));
  writeFileSync(join(dir, 'edit.sh'), SCRIPT, { mode: 0o755 });
  await dockerCli(m1, ['service', 'create', '--detach', '--no-resolve-image', '--name', service, '--replicas', '1', 'local/busybox:1', 'sleep', '1d']);
});
afterAll(async () => {
  run?.close();
  h?.remove();
  rmSync(dir, { recursive: true, force: true });
  await dockerCli(m1, ['service', 'rm', service]).catch(() => undefined);
});

/** `stty -a` of the console's own terminal (the pty `script` made for it). */
async function appStty(r: PtyRun): Promise<string> {
  const tty = readlinkSync(`/proc/${await r.appPid()}/fd/0`);
  return execFileSync('stty', ['-F', tty, '-a'], { encoding: 'utf8' });
}

const screenHas = (r: PtyRun, text: string | RegExp): boolean => (typeof text === 'string' ? r.screen().includes(text) : text.test(r.screen()));

async function waitScreen(r: PtyRun, text: string | RegExp, what: string): Promise<void> {
  await waitFor(what, 60_000, () => Promise.resolve(screenHas(r, text)), 200).catch((e: unknown) => {
    throw new Error(`${e instanceof Error ? e.message : String(e)}\n--- screen ---\n${r.screen()}`);
  });
}

/** E with the editor in `mode`; checks the terminal while it runs and types a line into it. */
async function editOnce(r: PtyRun, mode: 'missing' | 'fail' | 'kill' | 'interrupt' | 'save'): Promise<void> {
  for (const f of ['ready', 'typed', 'stty-in-editor']) rmSync(join(dir, f), { force: true });
  writeFileSync(join(dir, 'mode'), mode);
  r.keys('E');
  if (mode === 'missing') return;
  await waitFor('the editor started', 30_000, () => Promise.resolve(existsSync(join(dir, 'ready'))), 100);
  // The console left the screen and cooked the terminal for the editor.
  expect(r.paneModes()).toEqual({ alternateOn: false, cursorShown: true });
  expect(cookedMode(readFileSync(join(dir, 'stty-in-editor'), 'utf8'))).toBe(true);
  if (mode === 'interrupt') {
    // Ctrl-C in a cooked terminal signals the whole foreground group: it is the editor's, not the console's.
    r.keys('C-c');
    return;
  }
  // Keys typed now are the editor's, every one: q would quit the console, j would move its cursor.
  r.keys('-l', 'q j hello');
  r.keys('Enter');
  await waitFor('the editor read the line', 30_000, () => Promise.resolve(existsSync(join(dir, 'typed'))), 100);
  expect(readFileSync(join(dir, 'typed'), 'utf8')).toBe('q j hello');
}

/** The console is back: alternate screen, raw mode, the services pane with the service selected. */
async function expectConsoleBack(r: PtyRun): Promise<void> {
  expect(r.paneModes().alternateOn).toBe(true);
  expect(cookedMode(await appStty(r))).toBe(false);
  expect(r.screen()).toMatch(/^Services \[1(\/\d+)?\]/m);
  expect(r.screen()).toContain(`/${service}`);
}

describe('the console suspended for $EDITOR, then restored exactly (real pty)', () => {
  it('editor not found, exiting non-zero, killed, interrupted by Ctrl-C, then saving an edit: each time the console comes back whole', async () => {
    run = startInPty('faults-editor', [process.execPath, BIN, '--host', `unix://${m1.socket}`], { ...h.env, EDITOR: `sh ${join(dir, 'edit.sh')}` }, REPO);
    const r = run;
    await waitScreen(r, 'managers 3/3', 'the console live');
    r.keys('/');
    r.keys('-l', service);
    r.keys('Enter');
    await waitScreen(r, new RegExp(`^Services \\[1(/\\d+)?\\]`, 'm'), 'the service selected');

    await editOnce(r, 'missing');
    await waitScreen(r, /Edit spec in \$EDITOR: the editor \(.*\) was not found/, 'the missing editor reported');
    await expectConsoleBack(r);

    await editOnce(r, 'fail');
    await waitScreen(r, /exited with status 3: nothing was changed/, 'the failed editor reported');
    await expectConsoleBack(r);

    await editOnce(r, 'kill');
    await waitScreen(r, /was ended by SIGKILL: nothing was changed|exited with status 137/, 'the killed editor reported');
    await expectConsoleBack(r);

    await editOnce(r, 'interrupt');
    await waitScreen(r, /was ended by SIGINT: nothing was changed|exited with status 130/, 'the interrupted editor reported');
    await expectConsoleBack(r);

    await editOnce(r, 'save');
    await waitScreen(r, 'Labels.edited: + yes', 'the diff of the saved edit');
    expect(r.paneModes().alternateOn).toBe(true);
    expect(cookedMode(await appStty(r))).toBe(false);
    // A confirmation takes its answer once it could be read (keys typed before it are ignored).
    await waitFor('the confirmation ready', 30_000, () => Promise.resolve(!screenHas(r, 'keys typed before this dialog are ignored')), 50);
    r.keys('y');
    await waitScreen(r, `${service} updated (1 field)`, 'the edit sent');
    await expectConsoleBack(r);
    expect((await dockerCli(m1, ['service', 'inspect', service, '--format', '{{index .Spec.Labels "edited"}}'])).trim()).toBe('yes');

    r.keys('q');
    const { code, stty } = await r.exited(30_000);
    expect(code).toBe(0);
    expect(terminalRestored(r.raw())).toEqual({ leftAltScreen: true, cursorShown: true, pasteModeOff: true });
    expect(cookedMode(stty)).toBe(true);
  });
});
