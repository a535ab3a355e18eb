import { readFileSync } from 'node:fs';
import { ComposeError, type ComposeConfig, type Dict, type FileObjectConfig } from './model.js';
import { fileError } from './source.js';

/**
 * The stack's networks, secrets and configs as the engine specs `docker stack deploy` sends: named
 * STACK_name (unless the file gives a `name:`), labelled com.docker.stack.namespace=STACK.
 */

export const NAMESPACE_LABEL = 'com.docker.stack.namespace';
export const IMAGE_LABEL = 'com.docker.stack.image';

export function scope(stack: string, name: string): string {
  return `${stack}_${name}`;
}

export function withStackLabel(stack: string, labels: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return { ...(labels ?? {}), [NAMESPACE_LABEL]: stack };
}

export interface NetworkCreate {
  name: string;
  /** The body of POST /networks/create (Name included). */
  spec: Dict;
}

/** Networks used by some service (the implicit "default" included), and the external ones to check. */
export function convertNetworks(stack: string, config: ComposeConfig): { create: NetworkCreate[]; external: string[] } {
  const used = new Set<string>();
  for (const s of config.services) {
    const names = Object.keys(s.networks ?? {});
    if (names.length === 0) used.add('default');
    for (const n of names) used.add(n);
  }
  const create: NetworkCreate[] = [];
  const external: string[] = [];
  for (const internal of [...used].sort()) {
    const nw = config.networks[internal] ?? {};
    if (nw.external) {
      external.push(nw.name ?? internal);
      continue;
    }
    const name = nw.name ?? scope(stack, internal);
    const spec: Dict = { Name: name, Labels: withStackLabel(stack, nw.labels), Driver: nw.driver || 'overlay' };
    if (nw.driverOpts && Object.keys(nw.driverOpts).length > 0) spec.Options = nw.driverOpts;
    if (nw.internal) spec.Internal = true;
    if (nw.attachable) spec.Attachable = true;
    if (nw.ipam && (nw.ipam.driver || (nw.ipam.config ?? []).length > 0)) {
      spec.IPAM = { ...(nw.ipam.driver ? { Driver: nw.ipam.driver } : {}), ...((nw.ipam.config ?? []).length > 0 ? { Config: (nw.ipam.config ?? []).map((c) => ({ ...(c.subnet ? { Subnet: c.subnet } : {}) })) } : {}) };
    }
    create.push({ name, spec });
  }
  return { create, external };
}

export interface FileObjectSpec {
  /** The name in the compose file. */
  key: string;
  name: string;
  /** The body of POST /secrets/create or /configs/create; Data is base64. */
  spec: Dict;
}

export type ReadBytes = (path: string) => Buffer;

function fileObjects(kind: 'secret' | 'config', stack: string, objects: Readonly<Record<string, FileObjectConfig>>, read: ReadBytes): FileObjectSpec[] {
  const out: FileObjectSpec[] = [];
  for (const key of Object.keys(objects).sort()) {
    const obj = objects[key] as FileObjectConfig;
    if (obj.external) continue;
    const name = obj.name ?? scope(stack, key);
    let data: Buffer = Buffer.alloc(0);
    if (!(kind === 'secret' && obj.driver)) {
      try {
        data = read(obj.file ?? '');
      } catch (err) {
        throw new ComposeError(`cannot read ${obj.file ?? ''}: ${fileError(err)}`, null, null, `${kind}s.${key}.file`);
      }
    }
    const spec: Dict = { Name: name, Labels: withStackLabel(stack, obj.labels), Data: data.toString('base64') };
    if (kind === 'secret' && obj.driver) spec.Driver = { Name: obj.driver, ...(obj.driverOpts ? { Options: obj.driverOpts } : {}) };
    if (obj.templateDriver) spec.Templating = { Name: obj.templateDriver };
    out.push({ key, name, spec });
  }
  return out;
}

export function convertSecrets(stack: string, config: ComposeConfig, read: ReadBytes = (p) => readFileSync(p)): FileObjectSpec[] {
  return fileObjects('secret', stack, config.secrets, read);
}

export function convertConfigs(stack: string, config: ComposeConfig, read: ReadBytes = (p) => readFileSync(p)): FileObjectSpec[] {
  return fileObjects('config', stack, config.configs, read);
}
