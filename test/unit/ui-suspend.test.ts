import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ConsoleSuspender, ENTER_ALT_SCREEN, GatedOutput, LEAVE_ALT_SCREEN } from '../../src/ui/terminal.js';

/** A terminal that records, in order, every mode change and write. */
function fakeTerminal() {
  const log: string[] = [];
  const stdout = Object.assign(new EventEmitter(), {
    isTTY: true, columns: 100, rows: 30,
    write: (s: string) => {
      log.push(s === LEAVE_ALT_SCREEN ? 'leave-alt' : s === ENTER_ALT_SCREEN ? 'enter-alt' : `write:${s}`);
      return true;
    },
  });
  const stdin = Object.assign(new EventEmitter(), {
    isTTY: true, readableLength: 0,
    setRawMode: (on: boolean) => log.push(`raw:${on}`),
    pause: () => log.push('pause'),
    read: () => null,
  });
  const terminal = { stdin: stdin as unknown as NodeJS.ReadStream, stdout: stdout as unknown as NodeJS.WriteStream };
  const output = new GatedOutput(terminal.stdout);
  const ui = { setSuspended: (on: boolean) => { log.push(`ui:${on ? 'stopped' : 'started'}`); return Promise.resolve(); } };
  return { log, terminal, output, suspender: new ConsoleSuspender(terminal, output, ui) };
}

describe('lending the terminal to a foreground program', () => {
  it('stops the UI, leaves the screen in cooked mode, and restores everything after the program', async () => {
    const t = fakeTerminal();
    const seen = await t.suspender.suspend((term) => {
      t.log.push('program');
      // Frames the UI draws meanwhile never reach the program's screen.
      t.output.write('frame');
      expect(t.suspender.suspended).toBe(true);
      return Promise.resolve(term.stdout === t.terminal.stdout);
    });
    expect(seen).toBe(true);
    expect(t.log).toEqual(['ui:stopped', 'raw:false', 'pause', 'leave-alt', 'program', 'enter-alt', 'ui:started']);
    t.output.write('frame');
    expect(t.log.at(-1)).toBe('write:frame');
    expect(t.suspender.suspended).toBe(false);
  });

  it('restores on failure too (the program could not start, or threw), and passes the error on', async () => {
    const t = fakeTerminal();
    await expect(t.suspender.suspend(() => Promise.reject(new Error('spawn vi ENOENT')))).rejects.toThrow('ENOENT');
    expect(t.log.slice(-2)).toEqual(['enter-alt', 'ui:started']);
    expect(t.output.holding).toBe(false);
  });

  it('refuses to lend the terminal twice at once', async () => {
    const t = fakeTerminal();
    let release: () => void = () => undefined;
    const first = t.suspender.suspend(() => new Promise<void>((r) => (release = r)));
    await Promise.resolve();
    await expect(t.suspender.suspend(() => Promise.resolve())).rejects.toThrow(/already lent/);
    release();
    await first;
  });

  it('the gated output forwards the size and resize events of the terminal', () => {
    const t = fakeTerminal();
    let resized = 0;
    t.output.on('resize', () => resized++);
    t.terminal.stdout.emit('resize');
    expect(resized).toBe(1);
    expect(t.output.columns).toBe(100);
    t.output.dispose();
    t.terminal.stdout.emit('resize');
    expect(resized).toBe(1);
  });
});
