/**
 * Docker multiplexes stdout and stderr of a non-TTY container in one stream of frames:
 * [stream(1) 0 0 0 size(4, big endian)] payload. A TTY service sends raw bytes instead; the first
 * chunk tells which (a frame header starts with 0 to 3 followed by three zero bytes).
 * Frames and lines may be split anywhere across chunks, so both are reassembled here.
 * Stream 3 is the engine's own: an error in the middle of the logs (a node whose logs cannot be read).
 */

export type StreamName = 'stdout' | 'stderr' | 'system';

export interface RawLine {
  stream: StreamName;
  line: string;
}

const HEADER = 8;

export class LogDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  private mode: 'unknown' | 'multiplexed' | 'raw' = 'unknown';
  private readonly partial: Record<StreamName, string> = { stdout: '', stderr: '', system: '' };

  /** Feeds a chunk; returns the complete lines it finished. */
  push(chunk: Buffer): RawLine[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    if (this.mode === 'unknown') {
      if (this.buffer.length < HEADER) return [];
      const b = this.buffer;
      this.mode = b[0] !== undefined && b[0] <= 3 && b[1] === 0 && b[2] === 0 && b[3] === 0 ? 'multiplexed' : 'raw';
    }
    const out: RawLine[] = [];
    if (this.mode === 'raw') {
      this.text('stdout', this.buffer.toString('utf8'), out);
      this.buffer = Buffer.alloc(0);
      return out;
    }
    let offset = 0;
    while (this.buffer.length - offset >= HEADER) {
      const size = this.buffer.readUInt32BE(offset + 4);
      if (this.buffer.length - offset - HEADER < size) break;
      const kind = this.buffer[offset];
      const stream: StreamName = kind === 2 ? 'stderr' : kind === 3 ? 'system' : 'stdout';
      this.text(stream, this.buffer.toString('utf8', offset + HEADER, offset + HEADER + size), out);
      offset += HEADER + size;
    }
    this.buffer = offset === 0 ? this.buffer : this.buffer.subarray(offset);
    return out;
  }

  /** The unterminated last lines, when the stream ends. */
  end(): RawLine[] {
    const out: RawLine[] = [];
    if (this.mode !== 'multiplexed' && this.buffer.length > 0) this.text('stdout', this.buffer.toString('utf8'), out);
    this.buffer = Buffer.alloc(0);
    for (const stream of ['stdout', 'stderr', 'system'] as const) {
      if (this.partial[stream] !== '') out.push({ stream, line: this.partial[stream] });
      this.partial[stream] = '';
    }
    return out;
  }

  private text(stream: StreamName, text: string, out: RawLine[]): void {
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop() ?? '';
    for (const p of parts) out.push({ stream, line: p.endsWith('\r') ? p.slice(0, -1) : p });
  }
}

export interface ParsedLogLine {
  timestamp: string;
  /** Details (com.docker.swarm.task.id=...), when requested. */
  details: Readonly<Record<string, string>>;
  text: string;
}

const TIMESTAMP = /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/;

/** Splits the timestamp and details prefixes the engine adds (either order), leaving the message intact. */
export function parseLogLine(line: string): ParsedLogLine {
  let rest = line;
  let timestamp = '';
  let details: Record<string, string> = {};
  for (let i = 0; i < 2; i++) {
    const space = rest.indexOf(' ');
    const token = space < 0 ? rest : rest.slice(0, space);
    if (timestamp === '' && TIMESTAMP.test(token)) {
      timestamp = token;
    } else if (Object.keys(details).length === 0 && /^[\w.-]+=/.test(token) && token.includes('com.docker.')) {
      details = Object.fromEntries(token.split(',').map((kv) => {
        const eq = kv.indexOf('=');
        return eq < 0 ? [kv, ''] : [kv.slice(0, eq), decodeURIComponent(kv.slice(eq + 1))];
      }));
    } else break;
    rest = space < 0 ? '' : rest.slice(space + 1);
  }
  return { timestamp, details, text: rest };
}
