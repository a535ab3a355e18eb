import type { ActionSpec } from '../types.js';
import { createAction } from './create.js';
import { removeAction } from './remove.js';
import { rotateAction } from './rotate.js';

/** n create · X remove · R rotate, in the secrets pane and, alike, in the configs pane. */
export const SECRET_ACTIONS: readonly ActionSpec[] = (['secret', 'config'] as const).flatMap((kind) => [createAction(kind), removeAction(kind), rotateAction(kind)]);
