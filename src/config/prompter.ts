import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/** Asks the operator something before the UI starts (passphrases, host keys). */
export interface Prompter {
  /** A line of text; with secret: true the answer is never echoed. */
  ask(question: string, opts?: { secret?: boolean }): Promise<string>;
  /** A yes/no question; default is no. */
  confirm(question: string): Promise<boolean>;
}

export class PromptUnavailableError extends Error {
  constructor(question: string) {
    super(`cannot ask "${question.trim()}": no terminal (stdin is not a TTY). Store the secret in the OS keychain, use ssh-agent, or run swarmtop in a terminal`);
    this.name = 'PromptUnavailableError';
  }
}

/** For runs without a terminal (CI, pipes): every question fails with a clear message, never hangs. */
export class NonInteractivePrompter implements Prompter {
  ask(question: string): Promise<string> {
    return Promise.reject(new PromptUnavailableError(question));
  }
  confirm(question: string): Promise<boolean> {
    return Promise.reject(new PromptUnavailableError(question));
  }
}

/**
 * Reads answers on a TTY (used before Ink takes the terminal). Secret answers are read with echo off:
 * each typed character is swallowed, backspace works, ctrl-c aborts.
 */
export class TtyPrompter implements Prompter {
  constructor(
    private readonly input: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown } = process.stdin,
    private readonly output: Writable = process.stderr,
  ) {}

  ask(question: string, opts: { secret?: boolean } = {}): Promise<string> {
    return opts.secret ? this.askSecret(question) : this.askLine(question);
  }

  async confirm(question: string): Promise<boolean> {
    const answer = await this.askLine(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  }

  private askLine(question: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const rl = createInterface({ input: this.input, output: this.output, terminal: this.input.isTTY === true });
      let answered = false;
      rl.question(question, (answer) => {
        answered = true;
        rl.close();
        resolve(answer);
      });
      rl.once('close', () => {
        if (!answered) reject(new Error('prompt cancelled'));
      });
    });
  }

  private askSecret(question: string): Promise<string> {
    const input = this.input;
    if (input.isTTY !== true || !input.setRawMode) return Promise.reject(new PromptUnavailableError(question));
    this.output.write(question);
    return new Promise((resolve, reject) => {
      let value = '';
      const done = (err: Error | null): void => {
        input.setRawMode?.(false);
        input.off('data', onData);
        input.pause();
        this.output.write('\n');
        if (err) reject(err);
        else resolve(value);
      };
      const onData = (chunk: Buffer | string): void => {
        for (const ch of chunk.toString('utf8')) {
          if (ch === '\r' || ch === '\n') return done(null);
          if (ch === '\u0003') return done(new Error('prompt cancelled'));
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else if (ch >= ' ') value += ch;
        }
      };
      input.setRawMode?.(true);
      input.resume();
      input.on('data', onData);
    });
  }
}

/** The prompter that fits this process: a TTY one when stdin is a terminal, else one that fails clearly. */
export function defaultPrompter(): Prompter {
  return process.stdin.isTTY ? new TtyPrompter() : new NonInteractivePrompter();
}

/** Answers from a fixed script, for tests and scripted runs (never reads a terminal). */
export class ScriptedPrompter implements Prompter {
  readonly asked: string[] = [];
  constructor(private readonly answers: (string | boolean)[]) {}
  ask(question: string): Promise<string> {
    this.asked.push(question);
    const a = this.answers.shift();
    return typeof a === 'string' ? Promise.resolve(a) : Promise.reject(new PromptUnavailableError(question));
  }
  confirm(question: string): Promise<boolean> {
    this.asked.push(question);
    const a = this.answers.shift();
    return typeof a === 'boolean' ? Promise.resolve(a) : Promise.reject(new PromptUnavailableError(question));
  }
}
