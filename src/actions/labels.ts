/**
 * The label edit line: `k=v,k2=v2,-k3` sets k and k2 and removes k3. The prompt starts with the
 * node's current labels, so leaving them as they are changes nothing.
 */
export interface LabelEdit {
  set: Record<string, string>;
  remove: string[];
}

const KEY = /^[^\s=,]+$/;

export function parseLabelEdit(raw: string): LabelEdit | string {
  const edit: LabelEdit = { set: {}, remove: [] };
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    if (item.startsWith('-')) {
      const key = item.slice(1).trim();
      if (!KEY.test(key)) return `"${item}": write -key to remove a label`;
      edit.remove.push(key);
      continue;
    }
    const eq = item.indexOf('=');
    const key = (eq < 0 ? item : item.slice(0, eq)).trim();
    if (!KEY.test(key)) return `"${item}": a label key cannot be empty or contain spaces`;
    const value = eq < 0 ? '' : item.slice(eq + 1).trim();
    if (key in edit.set || edit.remove.includes(key)) return `"${key}" appears twice`;
    edit.set[key] = value;
  }
  for (const k of edit.remove) if (k in edit.set) return `"${k}" is both set and removed`;
  return edit;
}

export function formatLabels(labels: Readonly<Record<string, string>>): string {
  return Object.keys(labels)
    .sort()
    .map((k) => (labels[k] === '' ? k : `${k}=${labels[k]}`))
    .join(',');
}

/** "+ k=v" (new), "~ k: a → b" (changed), "- k" (removed); unchanged labels are not listed. */
export function describeLabelEdit(current: Readonly<Record<string, string>>, edit: LabelEdit): string[] {
  const lines: string[] = [];
  for (const [k, v] of Object.entries(edit.set)) {
    const old = current[k];
    if (old === undefined) lines.push(`+ ${k}=${v}`);
    else if (old !== v) lines.push(`~ ${k}: ${old} → ${v}`);
  }
  for (const k of edit.remove) {
    if (k in current) lines.push(`- ${k}`);
    else lines.push(`(${k} is not set: nothing to remove)`);
  }
  return lines;
}
