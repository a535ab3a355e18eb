import { mkdirSync, rmSync, symlinkSync, copyFileSync, writeFileSync, chmodSync } from 'node:fs';
import path from 'node:path';
import type { LabLayout, LabNode } from './layout.js';
import { run } from './sh.js';

export const LAB_IMAGES = ['local/busybox:1', 'local/busybox:2'] as const;

/** PID 1 must exit on SIGTERM (busybox sleep as PID 1 ignores it), or every update waits the 10 s grace. */
const CMD = '["/bin/sh","-c","trap \'exit 0\' TERM INT; while :; do sleep 1; done"]';
const APPLETS = ['sh', 'sleep', 'echo', 'cat', 'ls', 'ps', 'hostname', 'env', 'date', 'true', 'false', 'wget', 'nc'];

/** A root filesystem of busybox-static; tag N carries /etc/lab-image-version = N so the images differ. */
async function buildRootfsTar(lab: LabLayout, version: string): Promise<string> {
  const dir = path.join(lab.runRoot, `rootfs-${version}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, 'bin'), { recursive: true });
  mkdirSync(path.join(dir, 'etc'), { recursive: true });
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  copyFileSync('/bin/busybox', path.join(dir, 'bin', 'busybox'));
  chmodSync(path.join(dir, 'bin', 'busybox'), 0o755);
  for (const a of APPLETS) symlinkSync('busybox', path.join(dir, 'bin', a));
  writeFileSync(path.join(dir, 'etc', 'lab-image-version'), `${version}\n`);
  const tar = path.join(lab.runRoot, `rootfs-${version}.tar`);
  await run('tar', ['-C', dir, '-cf', tar, '.']);
  rmSync(dir, { recursive: true, force: true });
  return tar;
}

/** No registry is reachable, so every node gets the same images by `docker import`. */
export async function importImages(lab: LabLayout, nodes: readonly LabNode[]): Promise<void> {
  for (const image of LAB_IMAGES) {
    const version = image.split(':')[1] ?? '1';
    const tar = await buildRootfsTar(lab, version);
    await Promise.all(
      nodes.map((n) =>
        run('docker', ['-H', `unix://${n.socket}`, 'import', '-c', `CMD ${CMD}`, '-c', `LABEL org.swarmtop.lab.version=${version}`, tar, image]),
      ),
    );
    rmSync(tar, { force: true });
  }
}
