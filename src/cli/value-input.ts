import { readValueFile } from '../actions/secrets/create-line.js';

export type ValueInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

export class ValueError extends Error {}

/** Appends bytes to a buffer, zeroing the one it replaces (the value never lives in a string). */
function append(buf: Buffer, bytes: Buffer): Buffer {
  const next = Buffer.concat([buf, bytes]);
  buf.fill(0);
  return next;
}

/** Drops the last UTF-8 character. */
function dropLast(buf: Buffer): Buffer {
  let end = buf.length - 1;
  while (end > 0 && (buf[end]! & 0xc0) === 0x80) end--;
  const next = Buffer.from(buf.subarray(0, Math.max(0, end)));
  buf.fill(0);
  return next;
}

/** Typed at a terminal with echo off: nothing is shown, enter ends, backspace edits, ctrl-c cancels. */
function readMasked(input: ValueInput, output: NodeJS.WritableStream, question: string): Promise<Buffer> {
  const setRaw = input.setRawMode?.bind(input);
  if (!setRaw) return Promise.reject(new ValueError('cannot turn echo off on this terminal: give a file instead'));
  output.write(question);
  return new Promise((resolve, reject) => {
    let value: Buffer = Buffer.alloc(0);
    const finish = (err: Error | null): void => {
      setRaw(false);
      input.off('data', onData);
      input.pause();
      output.write('\n');
      if (err) {
        value.fill(0);
        reject(err);
      } else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let start = 0;
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i]!;
        if (b === 0x0d || b === 0x0a || b === 0x04 || b === 0x03 || b === 0x7f || b === 0x08 || b < 0x20) {
          if (i > start) value = append(value, bytes.subarray(start, i));
          start = i + 1;
          if (b === 0x0d || b === 0x0a || b === 0x04) {
            bytes.fill(0);
            return finish(null);
          }
          if (b === 0x03) {
            bytes.fill(0);
            return finish(new ValueError('cancelled: nothing was changed'));
          }
          if (b === 0x7f || b === 0x08) value = dropLast(value);
        }
      }
      if (bytes.length > start) value = append(value, bytes.subarray(start));
      bytes.fill(0);
    };
    setRaw(true);
    input.resume();
    input.on('data', onData);
  });
}

/** Everything piped in, as the docker CLI reads `secret create NAME -`. */
async function readAll(input: NodeJS.ReadableStream): Promise<Buffer> {
  let value: Buffer = Buffer.alloc(0);
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    value = append(value, bytes);
    bytes.fill(0);
  }
  return value;
}

/**
 * The value named on the command line: a file, or `-` for standard input (typed with echo off at a
 * terminal, otherwise read to its end). The caller zeroes the buffer once it has been sent.
 */
export async function readValueArg(arg: string, stdin: ValueInput, prompt: NodeJS.WritableStream, what: string): Promise<Buffer> {
  if (arg === '-') return stdin.isTTY ? readMasked(stdin, prompt, `${what} (not shown): `) : readAll(stdin);
  const read = await readValueFile(arg);
  if (typeof read === 'string') throw new ValueError(read);
  return read;
}
