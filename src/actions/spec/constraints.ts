/**
 * Placement constraints in the engine's syntax (`node.labels.zone==a`, `node.role!=manager`): checked
 * before anything is sent, with the keys swarmkit knows, so a typo is a message here rather than tasks
 * pending forever on "no suitable node".
 */

const FIXED_KEYS = ['node.id', 'node.hostname', 'node.ip', 'node.role', 'node.platform.os', 'node.platform.arch'];
const LABEL_PREFIXES = ['node.labels.', 'engine.labels.'];
const VALUE = /^[A-Za-z0-9:\-._\s*()?+[\]\\^$|/]+$/;

export function checkConstraint(raw: string): string | null {
  const s = raw.trim();
  const m = /^(.*?)(==|!=)(.*)$/.exec(s);
  if (!m) return `constraint "${raw}": write KEY==VALUE or KEY!=VALUE (e.g. node.labels.zone==a)`;
  const key = (m[1] ?? '').trim();
  const value = (m[3] ?? '').trim();
  const known = FIXED_KEYS.includes(key) || LABEL_PREFIXES.some((p) => key.startsWith(p) && key.length > p.length);
  if (!known) return `constraint "${raw}": unknown key "${key}" (node.id, node.hostname, node.ip, node.role, node.platform.os, node.platform.arch, node.labels.NAME, engine.labels.NAME)`;
  if (value === '' || !VALUE.test(value)) return `constraint "${raw}": the value must not be empty or hold characters other than letters, digits and :-._*()?+[]\\^$|/`;
  if (key === 'node.role' && !['manager', 'worker'].includes(value.toLowerCase())) return `constraint "${raw}": node.role is manager or worker`;
  return null;
}

/** A placement preference as the CLI writes it: spread=node.labels.zone. */
export function checkPreference(raw: string): string | null {
  const m = /^spread=(.+)$/.exec(raw.trim());
  if (!m) return `placement preference "${raw}": write spread=node.labels.NAME`;
  const key = m[1] ?? '';
  if (!LABEL_PREFIXES.some((p) => key.startsWith(p) && key.length > p.length) && !FIXED_KEYS.includes(key)) return `placement preference "${raw}": spread over a node attribute or label, e.g. node.labels.zone`;
  return null;
}
