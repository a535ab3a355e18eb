import { NonInteractivePrompter, defaultPrompter, type Prompter } from '../config/prompter.js';

/**
 * Asks on the terminal only until the full-screen console takes it over; after that a question (a
 * failover to a manager whose key needs a passphrase) fails with a clear message instead of fighting
 * Ink for the terminal. `idle()` tells whether an answer is still being typed.
 */
export class GatedPrompter implements Prompter {
  private open = true;
  private pending = 0;
  private readonly tty: Prompter = defaultPrompter();
  private readonly closed: Prompter = new NonInteractivePrompter();

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
