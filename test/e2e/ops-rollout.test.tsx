import { render } from 'ink-testing-library';
import { afterAll, describe, expect, it } from 'vitest';
import { selectCaRotation } from '../../src/store/selectors/ca-rotation.js';
import { drainNode } from '../../src/actions/nodes.js';
import { selectRollout } from '../../src/store/selectors/rollout.js';
import { resumeService, rollbackService } from '../../src/actions/services.js';
import { apiRequest } from '../../src/docker/api/request.js';
import { readSnapshot } from '../../src/docker/api/read.js';
import { reduce } from '../../src/store/reducer.js';
import { emptyState, type ClusterState } from '../../src/store/state.js';
import { RolloutView } from '../../src/ui/rollout/RolloutView.js';
import { sleep } from '../../lab/sh.js';
import { dockerCli, testLab, uniqueName } from './setup/lab-handle.js';
import { createService, inspect, nodeTarget, opsHarness, runningTasks, serviceTarget, waitFor, waitRunning } from './ops-support.js';

const lab = testLab();
const m1 = lab.node('m1');
const w1 = lab.node('w1');
const ops = opsHarness(m1);
const created: string[] = [];

afterAll(async () => {
  for (const name of created) await dockerCli(m1, ['service', 'rm', name]).catch(() => undefined);
  await ops.connection.close();
});

/** The cluster as the console holds it: the live layer's snapshot read and reducer. */
async function liveState(): Promise<ClusterState> {
  return reduce(emptyState(), { type: 'snapshot', snapshot: await readSnapshot(ops.connection), at: Date.now() });
}

/** Task ids the engine itself considers up to date with the service spec (the filter the CLI's progress uses). */
async function upToDateTaskIds(serviceId: string): Promise<Set<string>> {
  const filters = JSON.stringify({ service: [serviceId], '_up-to-date': ['true'] });
  const tasks = (await apiRequest(ops.connection, 'GET', '/tasks', { query: { filters } })) as { ID: string }[];
  return new Set(tasks.map((t) => t.ID));
}

describe('impact, rollout and CA progress computed from the real cluster state', () => {
  it('a paused update: rows per slot, updated slots agree with the engine, hint R roll back · U resume', async () => {
    const name = uniqueName('rollout');
    created.push(name);
    await createService(m1, name, ['--replicas', '4', '--update-failure-action', 'pause', '--update-monitor', '5s', '--update-delay', '3s', 'local/busybox:1']);
    await waitRunning(m1, name, 4);
    await dockerCli(m1, ['service', 'update', '--detach', '--no-resolve-image', '--image', 'local/busybox:2', '--args', "/bin/sh -c 'sleep 1; exit 1'", name]);
    await waitFor('update paused', 120_000, async () => (await dockerCli(m1, ['service', 'inspect', name, '--format', '{{.UpdateStatus.State}}'])).trim() === 'paused', 500);
    // Let the restart of the failed slot settle into a stable row (bounded).
    await sleep(1000);

    const id = (await inspect(m1, 'service', name)).ID as string;
    const state = await liveState();
    const r = selectRollout(state, id);
    expect(r).toMatchObject({ paused: true, hint: 'R roll back · U resume', total: 4, updateState: 'paused' });
    expect(r?.message).toMatch(/update paused due to failure or early termination of task/);
    expect(r?.rows.map((x) => x.label)).toEqual(['1/4', '2/4', '3/4', '4/4']);
    // Slots still on the old spec run local/busybox:1 and are marked not updated, like the engine says.
    const fresh = await upToDateTaskIds(id);
    for (const row of r?.rows ?? []) expect(row.updated, `${row.label} ${row.taskId} ${row.image}`).toBe(fresh.has(row.taskId));
    expect(r?.rows.filter((x) => !x.updated).length).toBeGreaterThanOrEqual(1);
    // The actions agree: resume and roll back are offered.
    const target = await serviceTarget(m1, name);
    expect(resumeService.available(state, target)).toBe(true);
    expect(rollbackService.available(state, target)).toBe(true);
    expect(rollbackService.impact(state, target, null)[0]).toBe(`${name}: image local/busybox:2 → local/busybox:1`);

    const frame = render(<RolloutView state={state} serviceId={id} width={100} height={12} colors={{ ok: 'green', warn: 'yellow', bad: 'red', dim: 'gray' }} />).lastFrame() ?? '';
    expect(frame).toContain(`${name}  paused: update paused due to failure`);
    expect(frame).toContain('R roll back · U resume');

    // Roll back through the guarded action; the view follows it to rollback_completed.
    expect(await ops.run('service.rollback', target)).toMatchObject({ kind: 'done' });
    await waitFor('rollback completed', 120_000, async () => (await dockerCli(m1, ['service', 'inspect', name, '--format', '{{.UpdateStatus.State}}'])).trim() === 'rollback_completed', 500);
    await waitRunning(m1, name, 4);
    const after = selectRollout(await liveState(), id);
    expect(after).toMatchObject({ rollback: true, paused: false, updateState: 'rollback_completed', done: 4, total: 4, hint: null });
    const freshAfter = await upToDateTaskIds(id);
    for (const row of after?.rows ?? []) expect(row.updated, row.label).toBe(freshAfter.has(row.taskId));
  });

  it('drain impact names the tasks running on the node, as docker service ps shows them', async () => {
    const name = uniqueName('impact');
    created.push(name);
    await createService(m1, name, ['--replicas', '4', 'local/busybox:1']);
    await waitRunning(m1, name, 4);
    await waitFor('a task on w1', 30_000, async () => (await runningTasks(m1, name)).some((t) => t.node === w1.hostname), 500);
    const state = await liveState();
    const lines = drainNode.impact(state, await nodeTarget(m1, w1.hostname), null).join('\n');
    const slots = (await dockerCli(m1, ['service', 'ps', name, '--filter', 'desired-state=running', '--filter', `node=${w1.hostname}`, '--format', '{{.Name}}'])).trim().split('\n');
    for (const slot of slots) expect(lines).toContain(slot);
  });

  it('CA progress on the real state: every node rotated, nothing in progress', async () => {
    const p = selectCaRotation(await liveState());
    expect(p).toMatchObject({ inProgress: false, complete: true, total: lab.nodes.length, rotated: lab.nodes.length });
  });
});
