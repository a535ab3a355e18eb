/**
 * A minimal terminal emulator for the headless console: it replays what Ink wrote (cursor moves, line
 * erases, screen clears) onto a grid of characters, so tests read the screen an operator would see now,
 * not a concatenation of every frame ever drawn. Colours and attributes are dropped; OSC sequences
 * (OSC 52 clipboard writes) are captured separately because a terminal never shows them.
 */
export class VirtualScreen {
  private lines: string[][] = [];
  private row = 0;
  private col = 0;
  /** Decoded payloads of every OSC 52 clipboard write, in order. */
  readonly clipboard: string[] = [];
  /** Input not yet consumed because an escape sequence was split across writes. */
  private pending = '';

  constructor(private readonly columns: number, private readonly rows: number) {}

  write(chunk: string): void {
    const s = this.pending + chunk;
    this.pending = '';
    let i = 0;
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === '\x1b') {
        const used = this.escape(s, i);
        if (used === 0) {
          this.pending = s.slice(i);
          return;
        }
        i += used;
        continue;
      }
      if (ch === '\n') {
        this.lineFeed();
        this.col = 0;
      } else if (ch === '\r') {
        this.col = 0;
      } else if (ch === '\x07' || ch === '\b') {
        if (ch === '\b') this.col = Math.max(0, this.col - 1);
      } else {
        const cp = s.codePointAt(i)!;
        const glyph = String.fromCodePoint(cp);
        this.put(glyph);
        i += glyph.length;
        continue;
      }
      i++;
    }
  }

  /** The screen as text: one line per row, trailing blanks trimmed, trailing empty rows dropped. */
  text(): string {
    const out = this.lines.map((l) => (l ?? []).join('').replace(/\s+$/, ''));
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out.join('\n');
  }

  private line(r: number): string[] {
    while (this.lines.length <= r) this.lines.push([]);
    return this.lines[r]!;
  }

  private put(glyph: string): void {
    if (this.col >= this.columns) {
      this.lineFeed();
      this.col = 0;
    }
    const l = this.line(this.row);
    while (l.length < this.col) l.push(' ');
    l[this.col] = glyph;
    this.col++;
  }

  private lineFeed(): void {
    this.row++;
    if (this.row >= this.rows) {
      this.lines.shift();
      this.row = this.rows - 1;
    }
  }

  /** Consumes one escape sequence at s[i]; returns its length, or 0 when it is incomplete. */
  private escape(s: string, i: number): number {
    const kind = s[i + 1];
    if (kind === undefined) return 0;
    if (kind === '[') {
      let j = i + 2;
      while (j < s.length && /[0-9;?<=>!]/.test(s[j]!)) j++;
      if (j >= s.length) return 0;
      this.csi(s.slice(i + 2, j), s[j]!);
      return j - i + 1;
    }
    if (kind === ']' || kind === 'P') {
      // OSC (…BEL or …ST) and DCS (…ST): never drawn.
      let j = i + 2;
      while (j < s.length) {
        if (s[j] === '\x07') break;
        if (s[j] === '\x1b' && s[j + 1] === '\\') break;
        j++;
      }
      if (j >= s.length) return 0;
      const body = s.slice(i + 2, j);
      const osc52 = /^52;[^;]*;(.*)$/s.exec(body);
      if (kind === ']' && osc52) this.clipboard.push(Buffer.from(osc52[1]!, 'base64').toString('utf8'));
      return j - i + (s[j] === '\x07' ? 1 : 2);
    }
    // ESC 7 / ESC 8 / ESC = and friends: two bytes, no visible effect here.
    return 2;
  }

  private csi(params: string, final: string): void {
    if (params.startsWith('?')) return; // private modes: cursor visibility, alt screen, sync output
    const nums = params.split(';').map((p) => (p === '' ? NaN : Number(p)));
    const n = Number.isNaN(nums[0] ?? NaN) ? 1 : nums[0]!;
    switch (final) {
      case 'A': this.row = Math.max(0, this.row - n); return;
      case 'B': this.row = Math.min(this.rows - 1, this.row + n); return;
      case 'C': this.col = Math.min(this.columns - 1, this.col + n); return;
      case 'D': this.col = Math.max(0, this.col - n); return;
      case 'E': this.row = Math.min(this.rows - 1, this.row + n); this.col = 0; return;
      case 'F': this.row = Math.max(0, this.row - n); this.col = 0; return;
      case 'G': this.col = Math.max(0, n - 1); return;
      case 'H': case 'f': {
        const r = Number.isNaN(nums[0] ?? NaN) ? 1 : nums[0]!;
        const c = Number.isNaN(nums[1] ?? NaN) ? 1 : nums[1]!;
        this.row = Math.min(this.rows - 1, Math.max(0, r - 1));
        this.col = Math.max(0, c - 1);
        return;
      }
      case 'J': {
        const mode = Number.isNaN(nums[0] ?? NaN) ? 0 : nums[0]!;
        if (mode === 2 || mode === 3) this.lines = [];
        else if (mode === 0) {
          this.lines = this.lines.slice(0, this.row + 1);
          this.line(this.row).length = Math.min(this.line(this.row).length, this.col);
        }
        return;
      }
      case 'K': {
        const mode = Number.isNaN(nums[0] ?? NaN) ? 0 : nums[0]!;
        const l = this.line(this.row);
        if (mode === 2) l.length = 0;
        else if (mode === 0) l.length = Math.min(l.length, this.col);
        else for (let c = 0; c <= this.col && c < l.length; c++) l[c] = ' ';
        return;
      }
      default:
        return; // SGR (m) and anything else: no effect on the text
    }
  }
}
