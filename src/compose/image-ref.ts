/**
 * Image references as the Docker client sends them in a service spec: the familiar form ("busybox:1",
 * not "docker.io/library/busybox:1") with ":latest" added when neither a tag nor a digest is given.
 * Returns null for a reference that does not parse (the engine then reports it).
 */

const DEFAULT_DOMAIN = 'docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export function familiarImage(ref: string): string | null {
  let name = ref;
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at);
    name = name.slice(0, at);
  }
  let tag = '';
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
    if (!/^[\w][\w.-]{0,127}$/.test(tag)) return null;
  }
  let domain = '';
  let path = name;
  const slash = name.indexOf('/');
  if (slash >= 0) {
    const first = name.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase()) {
      domain = first;
      path = name.slice(slash + 1);
    }
  }
  if (path.split('/').some((c) => !COMPONENT.test(c))) return null;
  if (domain === 'index.docker.io') domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN || domain === '') {
    domain = '';
    if (path.startsWith('library/') && path.split('/').length === 2) path = path.slice('library/'.length);
  }
  const familiar = domain === '' ? path : `${domain}/${path}`;
  if (tag === '' && digest === '') return `${familiar}:latest`;
  return `${familiar}${tag !== '' ? `:${tag}` : ''}${digest}`;
}
