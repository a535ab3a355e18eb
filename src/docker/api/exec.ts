import type { Duplex } from 'node:stream';
import type { DockerConnection } from '../connection.js';
import { toDockerApiError } from '../errors.js';
import { apiRequest } from './request.js';

/** The terminal an interactive exec runs on: the console's own, lent while it is suspended. */
export interface ExecTerminal {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
}

export interface ExecResult {
  /** The command's exit status as the engine reports it (null when it could not be read). */
  exitCode: number | null;
}

/** A shell without asking which: bash where the image has it, sh otherwise (as an operator would type). */
export const DEFAULT_SHELL = ['sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

function size(out: NodeJS.WriteStream): { h: number; w: number } {
  return { h: out.rows || 24, w: out.columns || 80 };
}

function setRaw(input: NodeJS.ReadStream, on: boolean): void {
  try {
    if (input.isTTY) input.setRawMode(on);
  } catch {
    // A closed terminal has no mode to set.
  }
}

/**
 * `docker exec -it`: creates an exec with a TTY in the container, starts it on a hijacked connection
 * and joins it to the terminal in raw mode (the container's TTY does the line discipline, so ctrl-c and
 * ctrl-d are the shell's), forwarding window resizes, until the command ends. What flows through is the
 * operator's own session with the container, as with docker exec: it is neither kept nor logged.
 */
export async function execInteractive(conn: DockerConnection, containerId: string, cmd: readonly string[], term: ExecTerminal): Promise<ExecResult> {
  const { h, w } = size(term.stdout);
  const created = await apiRequest(conn, 'POST', `/containers/${encodeURIComponent(containerId)}/exec`, {
    body: { AttachStdin: true, AttachStdout: true, AttachStderr: true, Tty: true, Cmd: cmd, ConsoleSize: [h, w] },
  });
  const id = typeof created === 'object' && created !== null && typeof (created as { Id?: unknown }).Id === 'string' ? (created as { Id: string }).Id : null;
  if (id === null) throw new Error(`${conn.endpoint}: the engine created no exec (answer: ${JSON.stringify(created)?.slice(0, 200)})`);
  const exec = conn.docker.getExec(id);
  let stream: Duplex;
  try {
    stream = await exec.start({ hijack: true, stdin: true, Tty: true, ConsoleSize: [h, w] } as Parameters<typeof exec.start>[0]);
  } catch (err) {
    throw toDockerApiError(err);
  }
  const { stdin, stdout } = term;
  const resize = (): void => void exec.resize({ ...size(stdout) }).catch(() => undefined);
  const fromKeys = (chunk: Buffer): void => void stream.write(chunk);
  const toScreen = (chunk: Buffer): void => void stdout.write(chunk);
  await new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('data', toScreen);
      stream.off('end', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('data', toScreen);
    stream.once('end', done);
    stream.once('close', done);
    stream.once('error', done);
    setRaw(stdin, true);
    stdin.on('data', fromKeys);
    stdin.resume();
    stdout.on('resize', resize);
    // The size asked at create time is not applied by every engine: say it again once the TTY exists.
    resize();
  }).finally(() => {
    stdout.off('resize', resize);
    stdin.off('data', fromKeys);
    stdin.pause();
    setRaw(stdin, false);
    stream.destroy();
  });
  try {
    const info = (await exec.inspect()) as { ExitCode?: unknown };
    return { exitCode: typeof info.ExitCode === 'number' ? info.ExitCode : null };
  } catch {
    return { exitCode: null };
  }
}
