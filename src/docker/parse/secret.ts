import type { SecretModel } from '../../store/model.js';
import { id, labels, num, obj, stackOf, str, time } from './json.js';

/** GET /secrets item (the API never returns secret data; we would not keep it anyway). */
export function parseSecret(v: unknown): SecretModel | null {
  const secretId = id(v);
  if (secretId === null) return null;
  const spec = obj(v, 'Spec');
  const l = labels(spec);
  return {
    id: secretId,
    version: num(obj(v, 'Version'), 'Index'),
    createdAt: time(v, 'CreatedAt'),
    updatedAt: time(v, 'UpdatedAt'),
    name: str(spec, 'Name'),
    labels: l,
    driver: str(obj(spec, 'Driver'), 'Name'),
    stack: stackOf(l),
  };
}
