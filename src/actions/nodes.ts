import { removeNode, updateNode } from '../docker/api/write.js';
import type { NodeAvailability, NodeModel } from '../store/model.js';
import { quorumOf, selectHealth, toleratesNowOf } from '../store/selectors/health.js';
import type { ClusterState } from '../store/state.js';
import { applyLabelEdit, describeLabelEdit, formatLabels, parseLabelEdit } from './labels.js';
import { count, findNode, listSome, liveTasksOnNode, nodeName, taskLabel } from './lookup.js';
import { attempt } from './outcome.js';
import type { ActionSpec, ActionTarget } from './types.js';

function withNode(state: ClusterState, target: ActionTarget, check: (n: NodeModel) => true | string): true | string {
  const node = findNode(state, target);
  return node ? check(node) : 'the node is no longer in the swarm';
}

interface ManagerCounts {
  total: number;
  reachable: number;
}

function managerCounts(state: ClusterState): ManagerCounts {
  const h = selectHealth(state).managers;
  return { total: h.total, reachable: h.reachable };
}

/** Fault tolerance as it is now: unreachable managers count as lost already (as in the header). */
function quorumLine(before: ManagerCounts, after: ManagerCounts): string {
  const down = before.total - before.reachable;
  const note = down > 0 ? ` (now: ${down} unreachable manager${down === 1 ? '' : 's'} already lost)` : '';
  return `managers ${before.total} → ${after.total} (reachable ${after.reachable}), quorum ${quorumOf(before.total)} → ${quorumOf(after.total)}, fault tolerance ${toleratesNowOf(before.reachable, before.total)} → ${toleratesNowOf(after.reachable, after.total)}${note}`;
}

/** After demoting this node: would the swarm lose quorum, or have no manager at all? */
export function demotionLosesQuorum(state: ClusterState, target: ActionTarget): boolean {
  const node = findNode(state, target);
  const before = managerCounts(state);
  const wasReachable = node?.manager?.reachability === 'reachable' ? 1 : 0;
  const after = { total: before.total - 1, reachable: before.reachable - wasReachable };
  return after.total <= 0 || after.reachable < quorumOf(after.total);
}

export const promoteNode: ActionSpec = {
  id: 'node.promote',
  label: 'Promote to manager',
  key: '+',
  command: 'promote',
  targets: 'node',
  mutating: true,
  dangerous: true,
  available: (state, target) =>
    withNode(state, target, (n) => {
      if (n.role === 'manager') return `${n.hostname} is already a manager`;
      if (n.state !== 'ready') return `${n.hostname} is ${n.state}: only a ready node can join the managers`;
      return true;
    }),
  impact(state, target) {
    const before = managerCounts(state);
    const after = { total: before.total + 1, reachable: before.reachable + 1 };
    const lines = [`${nodeName(state, target)} joins the Raft managers.`, quorumLine(before, after)];
    if (after.total % 2 === 0) lines.push(`${after.total} managers tolerate no more failures than ${after.total - 1}: an odd number is recommended.`);
    if (after.total > 7) lines.push('More than 7 managers slows every Raft write down.');
    return lines;
  },
  run: (ctx, target) =>
    attempt(target, async () => {
      await updateNode(ctx.connection, target.id, target.version, { role: 'manager' });
      return `${target.name ?? target.id} promoted to manager`;
    }),
};

export const demoteNode: ActionSpec = {
  id: 'node.demote',
  label: 'Demote to worker',
  key: '-',
  command: 'demote',
  targets: 'node',
  mutating: true,
  dangerous: true,
  available: (state, target) => withNode(state, target, (n) => (n.role === 'manager' ? true : `${n.hostname} is not a manager`)),
  impact(state, target) {
    const node = findNode(state, target);
    const before = managerCounts(state);
    const wasReachable = node?.manager?.reachability === 'reachable' ? 1 : 0;
    const after = { total: before.total - 1, reachable: before.reachable - wasReachable };
    const lines = [`${nodeName(state, target)} leaves the Raft managers and becomes a worker.`, quorumLine(before, after)];
    if (node?.manager?.leader) lines.push(`${node.hostname} is the leader: the managers elect a new one.`);
    if (state.engine?.nodeId === target.id) lines.push('swarmtop is connected to this manager: as a worker it can no longer answer swarm queries (reconnect to another manager).');
    if (after.total <= 0) lines.push('It is the last manager: the swarm would have no manager left (the engine refuses this).');
    else if (after.reachable < quorumOf(after.total)) lines.push(`QUORUM LOST: ${after.reachable} reachable of ${after.total} managers, ${quorumOf(after.total)} needed. The swarm could not be managed any more.`);
    else if (toleratesNowOf(after.reachable, after.total) === 0) lines.push('Afterwards no manager may fail without losing quorum.');
    return lines;
  },
  confirmTwice: (state, target) => demotionLosesQuorum(state, target),
  run: (ctx, target) =>
    attempt(target, async () => {
      await updateNode(ctx.connection, target.id, target.version, { role: 'worker' });
      return `${target.name ?? target.id} demoted to worker`;
    }),
};

function availabilityAction(
  availability: NodeAvailability,
  spec: Pick<ActionSpec, 'id' | 'label' | 'key' | 'command' | 'dangerous' | 'impact'>,
): ActionSpec {
  return {
    ...spec,
    targets: 'node',
    mutating: true,
    available: (state, target) => withNode(state, target, (n) => (n.availability === availability ? `${n.hostname} is already ${availability}` : true)),
    run: (ctx, target) =>
      attempt(target, async () => {
        await updateNode(ctx.connection, target.id, target.version, { availability });
        return `${target.name ?? target.id} set to ${availability}`;
      }),
  };
}

/** Other nodes that could take tasks (ready and active). */
function otherActiveNodes(state: ClusterState, nodeId: string): number {
  let n = 0;
  for (const node of state.nodes.values()) if (node.id !== nodeId && node.state === 'ready' && node.availability === 'active') n++;
  return n;
}

export const drainNode = availabilityAction('drain', {
  id: 'node.drain',
  label: 'Drain',
  key: 'd',
  command: 'drain',
  dangerous: true,
  impact(state, target) {
    const name = nodeName(state, target);
    const tasks = liveTasksOnNode(state, target.id);
    const moving = tasks.filter((t) => t.slot !== null);
    const stopping = tasks.filter((t) => t.slot === null);
    const lines = [`${name} stops receiving tasks and its tasks are shut down.`];
    if (tasks.length === 0) lines.push('No task runs there: nothing moves.');
    if (moving.length > 0) lines.push(`${count(moving.length, 'task', 'moves', 'move')} to other nodes: ${listSome(moving.map((t) => taskLabel(state, t)))}`);
    if (stopping.length > 0) lines.push(`${count(stopping.length, 'global task', 'stops', 'stop')} (not replaced): ${listSome(stopping.map((t) => taskLabel(state, t)))}`);
    if (moving.length > 0 && otherActiveNodes(state, target.id) === 0) lines.push('No other node is ready and active: moved tasks will stay pending.');
    return lines;
  },
});

export const pauseNode = availabilityAction('pause', {
  id: 'node.pause',
  label: 'Pause',
  key: 'p',
  command: 'pause',
  dangerous: false,
  impact(state, target) {
    const n = liveTasksOnNode(state, target.id).length;
    return [`${nodeName(state, target)} receives no new tasks; its ${count(n, 'task', 'keeps', 'keep')} running (nothing moves).`];
  },
});

export const activateNode = availabilityAction('active', {
  id: 'node.activate',
  label: 'Activate',
  key: 'a',
  command: 'activate',
  dangerous: false,
  impact(state, target) {
    return [
      `${nodeName(state, target)} becomes eligible for tasks again.`,
      'Running tasks are not rebalanced onto it: new tasks, restarts and force updates will use it.',
    ];
  },
});

export const editNodeLabels: ActionSpec = {
  id: 'node.labels',
  label: 'Edit labels',
  key: 'e',
  command: 'label',
  targets: 'node',
  mutating: true,
  dangerous: false,
  available: (state, target) => withNode(state, target, () => true),
  input: {
    kind: 'text',
    prompt: 'labels (k=v,k2=v2,-k3 removes k3)',
    initial: (state, target) => formatLabels(findNode(state, target)?.labels ?? {}),
    validate(raw) {
      const edit = parseLabelEdit(raw);
      return typeof edit === 'string' ? edit : null;
    },
  },
  impact(state, target, input) {
    const edit = parseLabelEdit(input ?? '');
    if (typeof edit === 'string') return [edit];
    const lines = describeLabelEdit(findNode(state, target)?.labels ?? {}, edit);
    return lines.length > 0 ? [`Labels of ${nodeName(state, target)}:`, ...lines, 'Services constrained on these labels may move.'] : ['No label changes.'];
  },
  run: (ctx, target, input) =>
    attempt(target, async () => {
      const edit = parseLabelEdit(input ?? '');
      if (typeof edit === 'string') return { kind: 'refused', message: edit };
      await updateNode(ctx.connection, target.id, target.version, { editLabels: (raw) => applyLabelEdit(raw, edit) });
      return `labels of ${target.name ?? target.id} updated`;
    }),
};

export const removeDownNode: ActionSpec = {
  id: 'node.remove',
  label: 'Remove (down node)',
  key: 'X',
  command: 'rm-node',
  targets: 'node',
  mutating: true,
  dangerous: true,
  available: (state, target) =>
    withNode(state, target, (n) => {
      if (n.state !== 'down') return `${n.hostname} is ${n.state}: only a down node can be removed (stop its engine or run docker swarm leave there)`;
      if (n.role === 'manager') return `${n.hostname} is a manager: demote it first`;
      return true;
    }),
  impact(state, target) {
    const n = liveTasksOnNode(state, target.id).length;
    const lines = [`${nodeName(state, target)} is removed from the swarm for good.`];
    if (n > 0) lines.push(`${count(n, 'task', 'is', 'are')} still assigned to it: rescheduled elsewhere.`);
    lines.push('To come back, that machine must run docker swarm leave and join again with a token.');
    return lines;
  },
  run: (ctx, target) =>
    attempt(target, async () => {
      await removeNode(ctx.connection, target.id);
      return `${target.name ?? target.id} removed from the swarm`;
    }),
};

export const NODE_ACTIONS: readonly ActionSpec[] = [promoteNode, demoteNode, drainNode, pauseNode, activateNode, editNodeLabels, removeDownNode];
