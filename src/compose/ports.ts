import type { PortConfig } from './model.js';

/**
 * The short port syntax as the docker CLI reads it for a swarm service: "80", "8080:80",
 * "127.0.0.1:8080:80/udp", "8000-8010:80-90", "9000-9002:80" (a host range for one container port).
 * A host IP is accepted and ignored (a swarm port listens on every address). Every published port is
 * in ingress mode; the long syntax is how to ask for host mode.
 */

export class PortSpecError extends Error {}

function parseRange(text: string, what: string): [number, number] {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) throw new PortSpecError(`invalid ${what}: ${text}`);
  const start = Number(m[1]);
  const end = m[2] !== undefined ? Number(m[2]) : start;
  if (start > 65535 || end > 65535 || end < start) throw new PortSpecError(`invalid ${what}: ${text}`);
  return [start, end];
}

function splitParts(raw: string): { ip: string; host: string; container: string } {
  const parts = raw.split(':');
  switch (parts.length) {
    case 1:
      return { ip: '', host: '', container: parts[0] as string };
    case 2:
      return { ip: '', host: parts[0] as string, container: parts[1] as string };
    case 3:
      return { ip: parts[0] as string, host: parts[1] as string, container: parts[2] as string };
    default:
      return { ip: parts.slice(0, -2).join(':'), host: parts[parts.length - 2] as string, container: parts[parts.length - 1] as string };
  }
}

function validIp(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  return /^(\d{1,3})(\.\d{1,3}){3}$/.test(bare) || (bare.includes(':') && /^[0-9a-fA-F:.]+$/.test(bare));
}

/** One short-syntax entry → its port configs, in the docker CLI's order. Throws PortSpecError. */
export function parsePortSpec(raw: string): PortConfig[] {
  const { ip, host, container: withProto } = splitParts(raw);
  const slash = withProto.indexOf('/');
  const container = slash < 0 ? withProto : withProto.slice(0, slash);
  const proto = (slash < 0 ? 'tcp' : withProto.slice(slash + 1) || 'tcp').toLowerCase();
  if (ip !== '' && !validIp(ip)) throw new PortSpecError(`invalid IP address: ${ip}`);
  if (container === '') throw new PortSpecError(`no port specified: ${raw}<empty>`);
  const [start, end] = parseRange(container, 'containerPort');
  const [hostStart, hostEnd] = host !== '' ? parseRange(host, 'hostPort') : [0, 0];
  if (host !== '' && end - start !== hostEnd - hostStart && end !== start) {
    throw new PortSpecError(`invalid ranges specified for container and host Ports: ${container} and ${host}`);
  }
  if (!['tcp', 'udp', 'sctp'].includes(proto)) throw new PortSpecError(`invalid proto: ${proto}`);
  const byTarget: { key: string; ports: PortConfig[] }[] = [];
  for (let i = 0; i <= end - start; i++) {
    const target = start + i;
    const ports: PortConfig[] = [];
    if (host === '') ports.push({ target, published: 0, protocol: proto, mode: 'ingress' });
    else if (start === end && hostStart !== hostEnd) {
      for (let p = hostStart; p <= hostEnd; p++) ports.push({ target, published: p, protocol: proto, mode: 'ingress' });
    } else ports.push({ target, published: hostStart + i, protocol: proto, mode: 'ingress' });
    byTarget.push({ key: `${target}/${proto}`, ports });
  }
  // The docker CLI walks its port set in the order of the "80/tcp" keys as strings.
  byTarget.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return byTarget.flatMap((b) => b.ports);
}

export function isValidPortSpec(raw: string): boolean {
  try {
    parsePortSpec(raw);
    return true;
  } catch {
    return false;
  }
}
