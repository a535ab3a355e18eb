import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionContext, ForegroundTerminal } from './types.js';

/**
 * Foreground programs for actions: they run through ctx.suspend (the console lends the terminal and
 * takes it back) or, where there is no console (a CLI verb), on the terminal as it is.
 */
export function foreground<T>(ctx: Pick<ActionContext, 'suspend'>, fn: (terminal: ForegroundTerminal | null) => Promise<T>): Promise<T> {
  return ctx.suspend ? ctx.suspend(fn) : fn(null);
}

type Env = Readonly<Record<string, string | undefined>>;

/** $VISUAL, then $EDITOR, then vi: what git and kubectl use. */
export function editorCommand(env: Env = process.env): string {
  return env.VISUAL?.trim() || env.EDITOR?.trim() || 'vi';
}

export type EditorResult = { kind: 'saved'; text: string } | { kind: 'failed'; message: string };

/** Runs the editor command through sh (it may carry arguments, "code --wait") on one file. */
function runEditor(command: string, file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; error: Error | null }> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', `${command} "$1"`, 'swarmtop-editor', file], { stdio: 'inherit' });
    // If the console is ended meanwhile (SIGTERM, SIGHUP), the editor must not be left owning the terminal.
    const onExit = (): void => void child.kill('SIGHUP');
    process.once('exit', onExit);
    const done = (r: { code: number | null; signal: NodeJS.Signals | null; error: Error | null }): void => {
      process.off('exit', onExit);
      resolve(r);
    };
    child.once('error', (error) => done({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => done({ code, signal, error: null }));
  });
}

/**
 * Opens `text` in the operator's editor, in a file only they can read (0600 in a 0700 directory of its
 * own: a service spec may hold secrets in its env) that is deleted afterwards on every path, also when
 * the process exits while the editor is open. Returns the saved text, or why there is none.
 */
export async function editText(ctx: Pick<ActionContext, 'suspend'>, text: string, fileName: string, env: Env = process.env): Promise<EditorResult> {
  const dir = mkdtempSync(join(tmpdir(), 'swarmtop-edit-'));
  const file = join(dir, fileName.replace(/[^A-Za-z0-9._-]/g, '_'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  try {
    writeFileSync(file, text, { mode: 0o600 });
    const command = editorCommand(env);
    const r = await foreground(ctx, () => runEditor(command, file));
    if (r.error) return { kind: 'failed', message: `the editor (${command}) could not be started: ${r.error.message}` };
    if (r.signal) return { kind: 'failed', message: `the editor (${command}) was ended by ${r.signal}` };
    if (r.code === 127) return { kind: 'failed', message: `the editor (${command}) was not found (set $VISUAL or $EDITOR)` };
    if (r.code !== 0) return { kind: 'failed', message: `the editor (${command}) exited with status ${r.code}` };
    return { kind: 'saved', text: readFileSync(file, 'utf8') };
  } finally {
    process.off('exit', remove);
    remove();
  }
}
