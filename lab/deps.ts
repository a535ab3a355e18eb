import { existsSync } from 'node:fs';
import { run } from './sh.js';

const REQUIRED: ReadonlyArray<{ bin: string; pkg: string }> = [
  { bin: 'dockerd', pkg: 'docker.io' },
  { bin: 'containerd', pkg: 'docker.io' },
  { bin: 'runc', pkg: 'docker.io' },
  { bin: 'docker', pkg: 'docker.io' },
  { bin: 'ip', pkg: 'iproute2' },
  { bin: 'nsenter', pkg: 'util-linux' },
  { bin: 'unshare', pkg: 'util-linux' },
  { bin: 'tar', pkg: 'tar' },
];

async function hasBinary(bin: string): Promise<boolean> {
  try {
    await run('sh', ['-c', `command -v ${bin}`]);
    return true;
  } catch {
    return false;
  }
}

/** Installs what the lab needs with apt-get when run as root; otherwise says exactly what is missing. */
export async function ensureLabDependencies(log: (line: string) => void): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('the lab creates network namespaces and engines: run it as root');
  const missing = new Set<string>();
  for (const r of REQUIRED) if (!(await hasBinary(r.bin))) missing.add(r.pkg);
  // The image root filesystem must be the static busybox: it runs with no libraries in the image.
  const busybox = await run('dpkg-query', ['-W', '-f=${Status}', 'busybox-static']).then((r) => r.stdout, () => '');
  if (!existsSync('/bin/busybox') || !busybox.includes('install ok installed')) missing.add('busybox-static');
  if (missing.size === 0) return;
  const pkgs = [...missing];
  log(`installing ${pkgs.join(' ')} with apt-get`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, timeout: 600_000 });
  await run('apt-get', ['install', '-y', '-qq', ...pkgs], { env, timeout: 900_000 });
}
