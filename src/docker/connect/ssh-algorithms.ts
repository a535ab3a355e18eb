import type { Algorithms } from 'ssh2';

/**
 * SSH algorithms: ssh2's defaults without SHA-1. SHA-1 signatures (`ssh-rsa`), SHA-1 MACs and SHA-1 key
 * exchanges are used only when the context opts in (`ssh: { legacyAlgorithms: true }`), for a server
 * that cannot be upgraded; as OpenSSH has done since 8.8.
 */
const LEGACY = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1'],
  serverHostKey: ['ssh-rsa', 'ssh-dss'],
  hmac: ['hmac-sha1-etm@openssh.com', 'hmac-sha1'],
} as const;

const LEGACY_NAMES = new Set<string>([...LEGACY.kex, ...LEGACY.serverHostKey, ...LEGACY.hmac, 'diffie-hellman-group1-sha1', 'hmac-sha1-96', 'hmac-md5', 'hmac-md5-96']);

export function isLegacyAlgorithm(name: string): boolean {
  return LEGACY_NAMES.has(name);
}

/**
 * The algorithms to offer. `preferredHostKeys` (the types known_hosts has for the host) go first, as
 * OpenSSH orders them, but never bring a legacy one back in.
 */
export function sshAlgorithms(preferredHostKeys: readonly string[], legacy: boolean): Algorithms {
  const prefer = legacy ? [...preferredHostKeys] : preferredHostKeys.filter((a) => !isLegacyAlgorithm(a));
  if (legacy) {
    return {
      kex: { append: [...LEGACY.kex], prepend: [], remove: [] },
      serverHostKey: { prepend: prefer, append: ['ssh-rsa'], remove: [] },
      hmac: { append: [...LEGACY.hmac], prepend: [], remove: [] },
    } as unknown as Algorithms;
  }
  return {
    kex: { remove: [...LEGACY.kex, 'diffie-hellman-group1-sha1'], prepend: [], append: [] },
    serverHostKey: { prepend: prefer, remove: [...LEGACY.serverHostKey], append: [] },
    hmac: { remove: [...LEGACY.hmac, 'hmac-sha1-96', 'hmac-md5', 'hmac-md5-96'], prepend: [], append: [] },
  } as unknown as Algorithms;
}

const CATEGORY: readonly [RegExp, string, string][] = [
  [/no matching key exchange/i, 'key exchange', 'KEX method'],
  [/no matching host key/i, 'host key', 'Host key format'],
  [/no matching (C->S|S->C) cipher/i, 'cipher', '$1 cipher'],
  [/no matching (C->S|S->C) MAC/i, 'MAC', '$1 MAC'],
];

/**
 * Why a handshake found no common algorithm, from ssh2's error and what the server offered (its
 * KEXINIT lists, as ssh2's debug lines give them): a server that offers only SHA-1 algorithms gets a
 * message naming the option that allows them; otherwise both lists are shown.
 */
export function algorithmMismatch(message: string, remote: ReadonlyMap<string, string>, legacy: boolean): string | null {
  for (const [re, what, label] of CATEGORY) {
    const m = re.exec(message);
    if (!m) continue;
    const key = label.replace('$1', m[1] ?? '');
    const offered = remote.get(key) ?? '';
    // Not algorithms: OpenSSH's extension markers in the KEX list.
    const list = offered.split(',').filter((a) => a !== '' && !/^(ext-info-[cs]|kex-strict-[cs]-v00@openssh\.com)$/.test(a));
    if (!legacy && list.length > 0 && list.some(isLegacyAlgorithm)) {
      return `the SSH server offers only legacy SHA-1 ${what} algorithms (${list.join(', ')}), which swarmtop does not use by default. Enable modern ones on the server (OpenSSH 7.2 or newer has them), or allow these for this context with ssh: { legacyAlgorithms: true } in contexts.yaml`;
    }
    return `no ${what} algorithm in common with the SSH server${list.length > 0 ? ` (it offers: ${list.join(', ')})` : ''}`;
  }
  return null;
}

/** Collects the server's algorithm lists from ssh2's handshake debug lines ("Handshake: (remote) KEX method: a,b"). */
export function remoteAlgorithmRecorder(): { debug: (line: string) => void; remote: Map<string, string>; stop(): void } {
  const remote = new Map<string, string>();
  let on = true;
  return {
    remote,
    debug: (line) => {
      if (!on || !line.startsWith('Handshake: (remote) ')) return;
      const rest = line.slice('Handshake: (remote) '.length);
      const colon = rest.indexOf(': ');
      if (colon > 0) remote.set(rest.slice(0, colon), rest.slice(colon + 2));
    },
    stop: () => {
      on = false;
    },
  };
}
