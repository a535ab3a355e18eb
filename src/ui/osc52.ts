/**
 * Clipboard through the terminal (OSC 52): works over SSH without any clipboard tool on the manager.
 * Inside tmux/screen the sequence is wrapped so the outer terminal receives it.
 */
export function osc52(text: string, env: Readonly<Record<string, string | undefined>> = process.env): string {
  const payload = `\x1b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\x07`;
  if (env.TMUX) return `\x1bPtmux;${payload.split('\x1b').join('\x1b\x1b')}\x1b\\`;
  if (env.TERM?.startsWith('screen')) return `\x1bP${payload}\x1b\\`;
  return payload;
}

export function copyToClipboard(out: { write(s: string): unknown }, text: string): void {
  out.write(osc52(text));
}
