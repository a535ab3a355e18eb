import { defaultPrompter, type Prompter } from '../config/prompter.js';

class ConsoleOpenError extends Error {
  constructor(question: string) {
    super(`cannot ask "${question.trim()}" while the console holds the terminal: store the secret in the OS keychain (or use ssh-agent), or quit and start swarmtop with this context`);
    this.name = 'ConsoleOpenError';
  }
}

/** Answers nothing: every question fails with a message that says why and what to do. */
const closedPrompter: Prompter = {
  ask: (question) => Promise.reject(new ConsoleOpenError(question)),
  confirm: (question) => Promise.reject(new ConsoleOpenError(question)),
};

/**
 * Asks on the terminal only until the full-screen console takes it over; after that a question (a
 * failover to a manager whose key needs a passphrase) fails with a clear message instead of fighting
 * Ink for the terminal. `idle()` tells whether an answer is still being typed.
 */
export class GatedPrompter implements Prompter {
  private open = true;
  private pending = 0;
  private readonly tty: Prompter = defaultPrompter();
  private readonly closed: Prompter = closedPrompter;

  close(): void {
    this.open = false;
  }

  idle(): boolean {
    return this.pending === 0;
  }

  ask(question: string, opts?: { secret?: boolean }): Promise<string> {
    return this.track(() => (this.open ? this.tty : this.closed).ask(question, opts));
  }

  confirm(question: string): Promise<boolean> {
    return this.track(() => (this.open ? this.tty : this.closed).confirm(question));
  }

  private async track<T>(fn: () => Promise<T>): Promise<T> {
    this.pending++;
    try {
      return await fn();
    } finally {
      this.pending--;
    }
  }
}
