import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { TextView } from '../../src/ui/components/TextView.js';
import { chunkCells, fit, printable } from '../../src/ui/format.js';
import { loadTheme } from '../../src/ui/theme.js';

const theme = loadTheme('no-color');

describe('text view (inspect, logs)', () => {
  it('with wrap on, following shows the newest line whole at the bottom', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i} ${'x'.repeat(50)} end-${i}`);
    const { lastFrame } = render(<TextView title="Logs" status="" lines={lines} offset={Number.MAX_SAFE_INTEGER} width={40} height={6} search="" wrap theme={theme} />);
    const frame = lastFrame() ?? '';
    const rows = frame.split('\n');
    expect(rows).toHaveLength(6);
    expect(rows.at(-1)).toContain('end-29');
    for (const r of rows.slice(1)) expect(r.length).toBeLessThanOrEqual(40);
  });

  it('coloured spans (a task prefix) and whole coloured lines leave the text as it is, wrapped or not', () => {
    const lines = ['web.1.abc@m1 | first line that is long enough to wrap around', 'notice line'];
    const colourOf = (i: number) => (i === 0 ? { span: { from: 0, to: 12, color: 'cyan' } } : { whole: 'yellow' });
    for (const wrap of [false, true]) {
      const plain = render(<TextView title="Logs" status="" lines={lines} offset={0} width={30} height={8} search="" wrap={wrap} theme={theme} />).lastFrame();
      const coloured = render(<TextView title="Logs" status="" lines={lines} offset={0} width={30} height={8} search="line" wrap={wrap} theme={theme} colourOf={colourOf} />).lastFrame();
      expect(coloured).toBe(plain);
    }
  });

  it('never passes a container\'s escape sequences to the terminal', () => {
    const evil = ['\x1b[2J\x1b[Hcleared?', '\x1b]0;owned\x07title', 'bell\x07 and \x1b[31mred\x1b[0m', 'tab\there'];
    const { lastFrame } = render(<TextView title="Logs" status="" lines={evil} offset={0} width={60} height={6} search="" wrap={false} theme={theme} />);
    const frame = lastFrame() ?? '';
    expect(frame).not.toContain('\x1b');
    expect(frame).not.toContain('\x07');
    expect(frame).toContain('cleared?');
    expect(frame).toContain('bell? and red');
    expect(frame).toContain('tab    here');
  });
});

describe('printable text', () => {
  it('strips CSI/OSC sequences and shows other controls as ?', () => {
    expect(printable('a\x1b[1;31mb\x1b[0mc')).toBe('abc');
    expect(printable('\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(printable('x\x00y')).toBe('x?y');
    expect(printable('plain')).toBe('plain');
  });

  it('table cells cannot carry escapes either', () => {
    expect(fit('boom\x1b[2Jx', 10)).toBe('boomx     ');
  });

  it('chunks by cells', () => {
    expect(chunkCells('abcdef', 4)).toEqual(['abcd', 'ef']);
    expect(chunkCells('起動済み', 4)).toEqual(['起動', '済み']);
    expect(chunkCells('ab', 4)).toEqual(['ab']);
  });
});

describe('CA issuer', () => {
  it('reads the swarm CA issuer name from its base64 DER', async () => {
    const { describeX509Name } = await import('../../src/store/x509-name.js');
    expect(describeX509Name('MBMxETAPBgNVBAMTCHN3YXJtLWNh')).toBe('CN=swarm-ca');
    expect(describeX509Name('not base64 der')).toBe('not base64 der');
    expect(describeX509Name('')).toBe('');
  });
});

describe('footer', () => {
  it('a message longer than the line takes both footer lines, so the reason is not cut', async () => {
    const { Footer } = await import('../../src/ui/components/Footer.js');
    const text = 'Scale: not available — agent is a global service: it runs one task per eligible node and cannot be scaled';
    const { lastFrame } = render(<Footer hints={[{ key: 'q', label: 'quit' }]} prompt={null} message={{ text, tone: 'warn' }} status="" theme={theme} width={60} />);
    const frame = lastFrame() ?? '';
    expect(frame.split('\n')).toHaveLength(2);
    expect(frame.replace(/\n/g, ' ')).toContain('cannot be scaled');
    expect(frame).not.toContain('<q>');
  });
});
