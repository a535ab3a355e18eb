import type { VolumeMount } from './model.js';

/**
 * The short volume syntax as the docker CLI reads it: "target", "source:target", "source:target:ro,z".
 * A source starting with . / or ~ is a bind mount, anything else a named volume. Returns the mount or
 * the reason it is invalid.
 */

const PROPAGATIONS = ['rprivate', 'private', 'rshared', 'shared', 'rslave', 'slave'];

function isWindowsDrive(buffer: string, c: string): boolean {
  return c === ':' && buffer.length === 1 && /\p{L}/u.test(buffer);
}

export function parseVolumeSpec(spec: string): VolumeMount | string {
  if (spec.length === 0) return 'invalid empty volume spec';
  if (spec.length <= 2) return { type: 'volume', target: spec };
  const m: VolumeMount = { type: '' };
  let buffer = '';
  const chars = [...spec, ''];
  for (const c of chars) {
    if (isWindowsDrive(buffer, c)) {
      buffer += c;
    } else if (c === ':' || c === '') {
      const err = populate(c === '', buffer, m);
      if (err !== null) return `invalid spec: ${spec}: ${err}`;
      buffer = '';
    } else buffer += c;
  }
  m.type = !m.source ? 'volume' : /^[./~]/.test(m.source) || m.source.startsWith('\\\\') || (m.source.length > 1 && isWindowsDrive(m.source[0] as string, m.source[1] as string)) ? 'bind' : 'volume';
  return m;
}

function populate(atEnd: boolean, buffer: string, m: VolumeMount): string | null {
  if (buffer === '') return 'empty section between colons';
  if (m.source === undefined && atEnd) {
    m.target = buffer;
    return null;
  }
  if (m.source === undefined) {
    m.source = buffer;
    return null;
  }
  if (m.target === undefined) {
    m.target = buffer;
    return null;
  }
  if (!atEnd) return 'too many colons';
  for (const option of buffer.split(',')) {
    if (option === 'ro') m.readOnly = true;
    else if (option === 'rw') m.readOnly = false;
    else if (option === 'nocopy') m.volume = { nocopy: true };
    else if (PROPAGATIONS.includes(option)) m.bind = { propagation: option };
  }
  return null;
}
