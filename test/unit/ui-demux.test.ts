import { describe, expect, it } from 'vitest';
import { LogDemuxer, parseLogLine } from '../../src/docker/api/logs-demux.js';

function frame(stream: number, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('log demultiplexing', () => {
  it('splits frames and lines across arbitrary chunk boundaries', () => {
    const all = Buffer.concat([frame(1, 'hello\nwor'), frame(2, 'oops\n'), frame(1, 'ld\nlast')]);
    for (const size of [1, 3, 7, 8, 9, all.length]) {
      const d = new LogDemuxer();
      const lines = [];
      for (let i = 0; i < all.length; i += size) lines.push(...d.push(all.subarray(i, i + size)));
      lines.push(...d.end());
      expect(lines, `chunk size ${size}`).toEqual([
        { stream: 'stdout', line: 'hello' }, { stream: 'stderr', line: 'oops' }, { stream: 'stdout', line: 'world' }, { stream: 'stdout', line: 'last' },
      ]);
    }
  });

  it('passes raw (TTY) streams through as stdout lines', () => {
    const d = new LogDemuxer();
    expect([...d.push(Buffer.from('plain text line\r\nsecond')), ...d.end()]).toEqual([
      { stream: 'stdout', line: 'plain text line' }, { stream: 'stdout', line: 'second' },
    ]);
  });

  it('parses timestamps and details in either order', () => {
    const details = 'com.docker.swarm.node.id=n1,com.docker.swarm.service.id=s1,com.docker.swarm.task.id=t1';
    expect(parseLogLine(`2026-11-23T10:00:00.123456789Z ${details} hello world`)).toEqual({
      timestamp: '2026-11-23T10:00:00.123456789Z', details: { 'com.docker.swarm.node.id': 'n1', 'com.docker.swarm.service.id': 's1', 'com.docker.swarm.task.id': 't1' }, text: 'hello world',
    });
    expect(parseLogLine(`${details} 2026-11-23T10:00:00Z  indented`).text).toBe(' indented');
    expect(parseLogLine('just text')).toEqual({ timestamp: '', details: {}, text: 'just text' });
  });
});
