import type { ConfigModel } from '../../store/model.js';
import { id, labels, num, obj, stackOf, str, time } from './json.js';

/** GET /configs item; the config's Data is not kept (inspect reads it on demand). */
export function parseConfig(v: unknown): ConfigModel | null {
  const configId = id(v);
  if (configId === null) return null;
  const spec = obj(v, 'Spec');
  const l = labels(spec);
  return {
    id: configId,
    version: num(obj(v, 'Version'), 'Index'),
    createdAt: time(v, 'CreatedAt'),
    updatedAt: time(v, 'UpdatedAt'),
    name: str(spec, 'Name'),
    labels: l,
    stack: stackOf(l),
  };
}
