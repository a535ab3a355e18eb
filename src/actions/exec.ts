import { shellSplit } from '../compose/shell-split.js';
import { DEFAULT_SHELL, execInteractive } from '../docker/api/exec.js';
import { listTasks } from '../docker/api/read.js';
import type { TaskModel } from '../store/model.js';
import type { ClusterState } from '../store/state.js';
import { foreground } from './foreground.js';
import { taskLabel } from './lookup.js';
import type { ActionSpec, ActionTarget } from './types.js';

function findTask(state: ClusterState, id: string): TaskModel | undefined {
  for (const tasks of state.tasksByService.values()) {
    const t = tasks.get(id);
    if (t) return t;
  }
  return undefined;
}

/** The words to run: the operator's (split as a shell would) or a shell, bash where the image has one. */
export function execCommand(input: string | null): string[] {
  const text = input?.trim() ?? '';
  return text === '' ? DEFAULT_SHELL : shellSplit(text);
}

/** What the audit log and the messages call the command (the default shell by name, not its script). */
function commandName(input: string | null): string {
  const text = input?.trim() ?? '';
  return text === '' ? 'a shell (bash, else sh)' : text;
}

function where(state: ClusterState, task: TaskModel): string {
  const node = task.nodeId === null ? null : state.nodes.get(task.nodeId);
  return `${taskLabel(state, task)} (container ${task.containerId?.slice(0, 12) ?? '?'}) on ${node?.hostname ?? task.nodeId ?? 'no node'}`;
}

/**
 * `docker exec -it` into a task's container, on whatever node it runs: the node's own engine is reached
 * (the context's nodes: map, or its defaults), the console lends the terminal and takes it back as it
 * was. It gives a shell inside the cluster, so it is refused in read-only mode, and audited (the
 * container and the command, never what is typed).
 */
export const execTask: ActionSpec = {
  id: 'task.exec',
  label: 'Exec a shell in the task\'s container',
  key: 'x',
  command: 'exec',
  targets: 'task',
  mutating: true,
  dangerous: false,
  takesArgument: true,
  available(state, target) {
    const task = findTask(state, target.id);
    if (!task) return 'the task is no longer in the swarm';
    if (task.state !== 'running') return `the task is ${task.state}: only a running task has a container to exec into`;
    if (task.containerId === null || task.nodeId === null) return 'the task reports no container yet';
    return true;
  },
  impact(state, target, input) {
    const task = findTask(state, target.id);
    return [`runs ${commandName(input)} in ${task ? where(state, task) : target.id}`];
  },
  async run(ctx, target: ActionTarget, input) {
    // The task as the manager knows it now: where it runs and in which container.
    let task: TaskModel | undefined;
    try {
      task = (await listTasks(ctx.connection, { id: [target.id] })).find((t) => t.id === target.id);
    } catch (err) {
      return { kind: 'failed', message: `the task could not be read (${err instanceof Error ? err.message : String(err)}): nothing was run` };
    }
    const containerId = task?.containerId ?? null;
    const nodeId = task?.nodeId ?? null;
    if (!task || task.state !== 'running' || containerId === null || nodeId === null) return { kind: 'failed', message: 'the task has no running container any more: nothing was run' };
    const place = `${target.name ?? target.id} (container ${containerId.slice(0, 12)})`;
    let argv: string[];
    try {
      argv = execCommand(input);
    } catch (err) {
      return { kind: 'failed', message: `the command cannot be read (${err instanceof Error ? err.message : String(err)}): nothing was run` };
    }
    if (argv.length === 0) argv = DEFAULT_SHELL;
    if (!ctx.nodes) return { kind: 'failed', message: `no way to reach ${place}'s node: nothing was run` };
    let conn;
    try {
      conn = await ctx.nodes.connect(nodeId);
    } catch (err) {
      return { kind: 'failed', message: `${err instanceof Error ? err.message : String(err)}: nothing was run` };
    }
    try {
      const r = await foreground(ctx, (terminal) => execInteractive(conn, containerId, argv, terminal ?? { stdin: process.stdin, stdout: process.stdout }));
      const status = r.exitCode === null ? 'its exit status is unknown' : `exit status ${r.exitCode}`;
      return { kind: 'done', message: `${commandName(input)} in ${place} via ${conn.endpoint} ended (${status})` };
    } catch (err) {
      return { kind: 'failed', message: `${commandName(input)} in ${place} via ${conn.endpoint}: ${err instanceof Error ? err.message : String(err)}` };
    }
  },
};
