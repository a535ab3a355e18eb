import { inject } from 'vitest';
import { Lab } from '../../../lab/lab.js';
import { docker } from '../../../lab/swarm.js';
import type { LabNode } from '../../../lab/layout.js';

/** The running e2e lab, as a handle tests use to reach engines and inject faults. */
export function testLab(): Lab {
  return Lab.open(inject('labId'));
}

/** Runs the real docker CLI against one lab node (never the user's own engine). */
export function dockerCli(node: LabNode, args: readonly string[], timeout?: number): Promise<string> {
  return docker(node, args, timeout);
}

let counter = 0;
/** A service/object name unique within this run, so e2e files never collide with each other. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${counter}`;
}
