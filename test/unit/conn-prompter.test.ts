import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TtyPrompter } from '../../src/config/prompter.js';

function fakeTty(): PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(raw: boolean): void } {
  const s = new PassThrough() as PassThrough & { isTTY: boolean; rawModes: boolean[]; setRawMode(raw: boolean): void };
  s.isTTY = true;
  s.rawModes = [];
  s.setRawMode = (raw: boolean) => void s.rawModes.push(raw);
  return s;
}

describe('TTY prompter', () => {
  it('reads a secret with echo off, handles backspace, restores the terminal', async () => {
    const input = fakeTty();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (d: Buffer) => (shown += d.toString()));
    const answer = new TtyPrompter(input, output).ask('Passphrase: ', { secret: true });
    input.write('hunterX\u007f2\r');
    expect(await answer).toBe('hunter2');
    expect(shown).toBe('Passphrase: \n');
    expect(input.rawModes).toEqual([true, false]);
  });

  it('ctrl-c cancels a secret prompt', async () => {
    const input = fakeTty();
    const answer = new TtyPrompter(input, new PassThrough()).ask('Password: ', { secret: true });
    input.write('ab\u0003');
    await expect(answer).rejects.toThrow(/cancelled/);
  });

  it('confirm defaults to no', async () => {
    const input = new PassThrough();
    const yes = new TtyPrompter(input, new PassThrough()).confirm('Trust it?');
    input.write('y\n');
    expect(await yes).toBe(true);
    const input2 = new PassThrough();
    const no = new TtyPrompter(input2, new PassThrough()).confirm('Trust it?');
    input2.write('\n');
    expect(await no).toBe(false);
  });
});
