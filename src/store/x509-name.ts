/**
 * The swarm reports its CA issuer as a base64 DER X.509 Name; operators read "CN=swarm-ca". Only the
 * attribute types a swarm CA uses are named; anything unexpected falls back to the raw value.
 */
const NAMES: Readonly<Record<string, string>> = { '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU' };

interface Tlv {
  tag: number;
  body: Buffer;
  next: number;
}

function readTlv(buf: Buffer, at: number): Tlv {
  const tag = buf[at];
  let len = buf[at + 1];
  if (tag === undefined || len === undefined) throw new Error('truncated');
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 3) throw new Error('bad length');
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | (buf[start + i] ?? 0);
    start += n;
  }
  if (start + len > buf.length) throw new Error('truncated');
  return { tag, body: buf.subarray(start, start + len), next: start + len };
}

function oid(body: Buffer): string {
  const first = body[0] ?? 0;
  const parts = [Math.floor(first / 40), first % 40];
  let v = 0;
  for (const b of body.subarray(1)) {
    v = (v << 7) | (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function describeX509Name(base64: string): string {
  if (base64 === '') return '';
  try {
    const der = Buffer.from(base64, 'base64');
    const name = readTlv(der, 0);
    if (name.tag !== 0x30) return base64;
    const out: string[] = [];
    for (let at = 0; at < name.body.length;) {
      const set = readTlv(name.body, at);
      at = set.next;
      for (let j = 0; j < set.body.length;) {
        const attr = readTlv(set.body, j);
        j = attr.next;
        const type = readTlv(attr.body, 0);
        const value = readTlv(attr.body, type.next);
        out.push(`${NAMES[oid(type.body)] ?? oid(type.body)}=${value.body.toString('utf8')}`);
      }
    }
    return out.length > 0 ? out.join(', ') : base64;
  } catch {
    return base64;
  }
}
