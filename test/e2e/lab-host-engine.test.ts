import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { labDown, labUp } from '../../lab/lab.js';
import { labRuleCount } from '../../lab/firewall.js';
import { labLayout } from '../../lab/layout.js';
import { run } from '../../lab/sh.js';
import { docker } from '../../lab/swarm.js';
import { ensureHostEngine, type HostEngine } from './setup/host-engine.js';

/**
 * The lab beside the user's own Docker engine (the normal case for a Docker user): FORWARD policy DROP
 * and bridged traffic filtered by iptables. A second lab is brought up next to the suite's one.
 */
const id = inject('labId') + 100;
const log = (line: string): void => void process.stderr.write(`[host-engine] ${line}\n`);
let host: HostEngine | null = null;

async function filterRules(): Promise<string> {
  return (await run('iptables', ['-w', '-S'])).stdout;
}

beforeAll(async () => {
  host = await ensureHostEngine(log);
}, 120_000);

afterAll(async () => {
  await labDown(id, log).catch(() => undefined);
  await host?.stop();
}, 120_000);

describe('the lab beside a running Docker engine', () => {
  it('forms (a worker joins across the bridge) with exactly one rule of its own, removed on down', async () => {
    expect(await filterRules()).toMatch(/^-P FORWARD DROP$/m);
    const before = await filterRules();
    const state = await labUp(id, { managers: 1, workers: 1, log });
    const manager = state.nodes[0];
    if (!manager) throw new Error('no manager');
    const nodes = await docker(manager, ['node', 'ls', '--format', '{{.Hostname}} {{.Status}}']);
    expect(nodes.trim().split('\n').sort()).toEqual([`lab-m1 Ready`, `lab-w1 Ready`]);
    expect(await labRuleCount(labLayout(id))).toEqual({ 'DOCKER-USER': 1 });
    await labDown(id, log);
    expect(await labRuleCount(labLayout(id))).toEqual({});
    expect(await filterRules()).toBe(before);
  });
});
