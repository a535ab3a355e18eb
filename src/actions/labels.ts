import { printable } from '../text/printable.js';

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

/**
 * What the operator changed, compared with the line the prompt started with (the labels as shown):
 * an item still as it was shown is no change, even where the line cannot hold the value exactly (a
 * value with a comma, text cleaned for display). Only what was really typed is ever written.
 */
export function effectiveLabelEdit(shown: Readonly<Record<string, string>>, edit: LabelEdit): LabelEdit {
  const start = parseLabelEdit(formatLabels(shown));
  const before = typeof start === 'string' ? {} : start.set;
  const set: Record<string, string> = {};
  for (const [k, v] of Object.entries(edit.set)) if (before[k] !== v) set[k] = v;
  return { set, remove: edit.remove };
}

/**
 * The engine's labels after an edit typed over their display form (`raw` as the engine holds them, read
 * fresh). Labels the operator did not change keep their exact raw value, whatever the display made of
 * it; a key typed as displayed names the raw key it was shown for.
 */
export function applyLabelEdit(raw: Readonly<Record<string, string>>, edit: LabelEdit): Record<string, string> {
  const rawKeyOf = new Map<string, string>();
  const shown: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = printable(k, 'line');
    if (!rawKeyOf.has(key)) rawKeyOf.set(key, k);
    shown[key] = printable(v, 'line');
  }
  const change = effectiveLabelEdit(shown, edit);
  const next: Record<string, string> = { ...raw };
  for (const k of change.remove) {
    for (const rk of Object.keys(raw)) if (rk === k || printable(rk, 'line') === k) delete next[rk];
  }
  for (const [k, v] of Object.entries(change.set)) next[k in raw ? k : (rawKeyOf.get(k) ?? k)] = v;
  return next;
}

/** "+ k=v" (new), "~ k: a → b" (changed), "- k" (removed); unchanged labels are not listed. */
export function describeLabelEdit(current: Readonly<Record<string, string>>, typed: LabelEdit): string[] {
  const lines: string[] = [];
  const edit = effectiveLabelEdit(current, typed);
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
