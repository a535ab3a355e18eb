import type { TestProject } from 'vitest/node';
import { TEST_LAB_ID, labIdFromEnv } from '../../../lab/layout.js';
import { labDown, labStatus, labUp } from '../../../lab/lab.js';

/**
 * Brings up the e2e lab (3 managers + 1 worker) before the suite and removes it after.
 * SWARMTOP_E2E_KEEP_LAB=1 reuses a healthy lab and leaves it up, for fast local iterations.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const id = labIdFromEnv(TEST_LAB_ID);
  const keep = process.env.SWARMTOP_E2E_KEEP_LAB === '1';
  const log = (line: string): void => void process.stderr.write(`[lab] ${line}\n`);
  const current = keep ? await labStatus(id) : null;
  const healthy = current !== null && current.nodes.every((n) => n.answers) && (current.swarm?.every((r) => r.status === 'Ready') ?? false);
  if (!healthy) await labUp(id, { managers: 3, workers: 1, log });
  else log(`reusing lab ${id}`);
  project.provide('labId', id);
  return async () => {
    if (!keep) await labDown(id, log);
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    labId: number;
  }
}
