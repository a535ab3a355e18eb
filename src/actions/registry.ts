import { execTask } from './exec.js';
import { NODE_ACTIONS } from './nodes.js';
import { SECRET_ACTIONS } from './secrets/index.js';
import { SERVICE_ACTIONS } from './services.js';
import { SERVICE_CHANGE_ACTIONS } from './service-changes.js';
import { createService } from './service-create.js';
import { editService } from './service-edit.js';
import { STACK_ACTIONS } from './stacks.js';
import { SWARM_ACTIONS } from './swarm.js';
import type { ActionSpec, TargetKind } from './types.js';

/** Every operation, declared once: keys, `:` commands, help and the audit log all come from here. */
export const ACTIONS: readonly ActionSpec[] = [...NODE_ACTIONS, ...SERVICE_ACTIONS, ...SERVICE_CHANGE_ACTIONS, editService, createService, ...SWARM_ACTIONS, ...STACK_ACTIONS, ...SECRET_ACTIONS, execTask];

export function actionsFor(kind: TargetKind, actions: readonly ActionSpec[] = ACTIONS): readonly ActionSpec[] {
  return actions.filter((a) => a.targets === kind);
}

export function actionByKey(kind: TargetKind, key: string, actions: readonly ActionSpec[] = ACTIONS): ActionSpec | undefined {
  return actions.find((a) => a.targets === kind && a.key === key);
}

export function actionByCommand(command: string, actions: readonly ActionSpec[] = ACTIONS): ActionSpec | undefined {
  return actions.find((a) => a.command === command);
}
