import type { NodeModel } from '../model.js';

/**
 * Placement constraints as swarmkit evaluates them (`key==value`, `key!=value`; values compared without
 * regard to case; a label that is not set compares as ""), so the console can say how many nodes meet
 * each one. Keys it does not know (node.ip with a CIDR, future ones) cannot be evaluated: null.
 */
export interface Constraint {
  text: string;
  key: string;
  equal: boolean;
  value: string;
}

export function parseConstraint(text: string): Constraint | null {
  const m = /^\s*([^=!\s]+)\s*(==|!=)\s*(.*?)\s*$/.exec(text);
  if (!m) return null;
  return { text: text.trim(), key: m[1] as string, equal: m[2] === '==', value: m[3] as string };
}

function nodeValue(n: NodeModel, key: string): string | null {
  switch (key) {
    case 'node.id': return n.id;
    case 'node.hostname': return n.hostname;
    case 'node.role': return n.role;
    case 'node.platform.os': return n.os;
    case 'node.platform.arch': return n.arch;
    default:
      if (key.startsWith('node.labels.')) return n.labels[key.slice('node.labels.'.length)] ?? '';
      if (key.startsWith('engine.labels.')) return n.engineLabels[key.slice('engine.labels.'.length)] ?? '';
      return null;
  }
}

/** Whether the node meets the constraint; null when the key is one this console cannot evaluate. */
export function meets(n: NodeModel, c: Constraint): boolean | null {
  const v = nodeValue(n, c.key);
  if (v === null) return null;
  const same = v.toLowerCase() === c.value.toLowerCase();
  return c.equal ? same : !same;
}

/** Whether the node meets every constraint it can evaluate (unknown keys are assumed met). */
export function meetsAll(n: NodeModel, constraints: readonly Constraint[]): boolean {
  return constraints.every((c) => meets(n, c) !== false);
}

export function parseConstraints(texts: readonly string[]): Constraint[] {
  return texts.map(parseConstraint).filter((c): c is Constraint => c !== null);
}
