import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { create } from 'tar';
import type { BundleFile } from './types.js';

/** The archive could not be written (the cluster was read: this is about the file). */
export class BundleWriteError extends Error {}

/**
 * Writes the files as one tar.gz (everything under `top/`). The files are staged in a private temporary
 * directory (0700, files 0600: logs and the audit log say a lot about a cluster) that is removed on every
 * path, and the archive itself is written 0600. `tar` (node-tar) does the archive format and gzip.
 */
export async function writeBundle(files: readonly BundleFile[], outFile: string, top: string): Promise<void> {
  const stage = await mkdtemp(join(tmpdir(), 'swarmtop-bundle-'));
  try {
    await chmod(stage, 0o700);
    for (const f of files) {
      const path = join(stage, top, f.name);
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(path, f.content, { mode: 0o600 });
    }
    await create({ gzip: true, file: outFile, cwd: stage, portable: true, mode: 0o600 }, [top]);
    await chmod(outFile, 0o600);
  } catch (err) {
    throw new BundleWriteError(`could not write ${outFile}: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
