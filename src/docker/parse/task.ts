import { TASK_STATES, type TaskModel } from '../../store/model.js';
import { id, isObj, num, obj, oneOf, optNum, optStr, str, time } from './json.js';

/** GET /tasks item. Null without an ID or a ServiceID (tasks are grouped by service). */
export function parseTask(v: unknown): TaskModel | null {
  const taskId = id(v);
  const serviceId = id(v, 'ServiceID');
  if (taskId === null || serviceId === null || !isObj(v)) return null;
  const status = obj(v, 'Status');
  const container = obj(status, 'ContainerStatus');
  const slot = optNum(v, 'Slot');
  return {
    id: taskId,
    version: num(obj(v, 'Version'), 'Index'),
    createdAt: time(v, 'CreatedAt'),
    updatedAt: time(v, 'UpdatedAt'),
    serviceId,
    // Global tasks have no slot (the engine reports 0 or omits it).
    slot: slot !== null && slot > 0 ? slot : null,
    nodeId: optStr(v, 'NodeID'),
    desiredState: oneOf(v, 'DesiredState', TASK_STATES, 'new'),
    state: oneOf(status, 'State', TASK_STATES, 'new'),
    stateSince: time(status, 'Timestamp'),
    message: str(status, 'Message'),
    err: str(status, 'Err'),
    image: str(obj(v, 'Spec', 'ContainerSpec'), 'Image'),
    containerId: optStr(container, 'ContainerID'),
    exitCode: isObj(status['ContainerStatus']) ? optNum(container, 'ExitCode') : null,
  };
}
