import type { ActionSpec } from '../actions/types.js';
import { commandWords } from './commands.js';
import { buildKeymap, helpSections } from './keymap.js';

/** The README "Keys" section is generated from the keymap (and the action declarations), never typed. */
export const KEYS_START = '<!-- keys:start -->';
export const KEYS_END = '<!-- keys:end -->';

const cell = (s: string): string => s.replace(/\|/g, '\\|');
const keyCell = (keys: string): string => keys.split(' ').map((k) => `\`${k === '`' ? "'`'" : k}\``).join(' ');

export function renderKeysMarkdown(actions: readonly Pick<ActionSpec, 'id' | 'key' | 'label' | 'targets' | 'command'>[]): string {
  const keymap = buildKeymap(actions);
  const out: string[] = [
    KEYS_START,
    '## Keys',
    '',
    'Generated from `src/ui/keymap.ts` and the action declarations by `npm run docs:keys` (a unit test checks it); the `?` help in the console shows the same table with your own keys.',
    '',
    'Rebind any of them in `$XDG_CONFIG_HOME/swarmtop/keys.yaml` (default `~/.config/swarmtop/keys.yaml`) by the name in the',
    '"keys.yaml" column: the keys you list replace the command\'s keys in that context. `aliases:` adds `:` commands.',
    'A key two commands would share, an unknown name or a bad key stops the console before it connects, naming the line;',
    '`swarmtop schema keys` prints the JSON schema the file is checked against (for an editor).',
    '',
    '```yaml',
    'keys:',
    '  main:',
    '    down: [j, down, ctrl-n]',
    '    drain: D',
    '  input:',
    '    cancel: [esc, ctrl-g]',
    'aliases:',
    '  dr: drain',
    '```',
    '',
  ];
  for (const s of helpSections(keymap)) {
    out.push(`### ${s.title}`, '', '| keys | what | where | keys.yaml |', '| --- | --- | --- | --- |');
    for (const r of s.rows) out.push(`| ${keyCell(r.keys)} | ${cell(r.help)} | ${cell(r.where)} | \`${r.context}.${r.name}\` |`);
    out.push('');
  }
  out.push('### Commands', '', commandWords(actions).map((c) => `\`${c}\``).join(' · '), '');
  if (keymap.conflicts.length > 0) {
    out.push('### Key conflicts', '', ...keymap.conflicts.map((c) => `- ${cell(c)}`), '');
  }
  out.push(KEYS_END);
  return out.join('\n');
}

/** README with its Keys section replaced (or appended when it has none yet). */
export function withKeysSection(readme: string, section: string): string {
  const start = readme.indexOf(KEYS_START);
  const end = readme.indexOf(KEYS_END);
  if (start >= 0 && end > start) return readme.slice(0, start) + section + readme.slice(end + KEYS_END.length);
  return `${readme.replace(/\n*$/, '')}\n\n${section}\n`;
}

/** The README's current Keys section, or null. */
export function keysSectionOf(readme: string): string | null {
  const start = readme.indexOf(KEYS_START);
  const end = readme.indexOf(KEYS_END);
  return start >= 0 && end > start ? readme.slice(start, end + KEYS_END.length) : null;
}

function isActionSpecList(x: unknown): x is ActionSpec[] {
  return Array.isArray(x) && x.every((a) => a !== null && typeof a === 'object' && typeof (a as ActionSpec).key === 'string' && typeof (a as ActionSpec).id === 'string');
}

/**
 * The actions declared in src/actions/index.ts (ACTIONS), loaded by path so the docs and their test work
 * on a branch where the actions module does not exist yet (then: no action keys).
 */
export async function loadDeclaredActions(): Promise<readonly ActionSpec[]> {
  const specifier = '../actions/index.js';
  let mod: unknown;
  try {
    mod = await import(specifier);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    const message = err instanceof Error ? err.message : String(err);
    if (code === 'ERR_MODULE_NOT_FOUND' || /cannot find module|failed to load url|does not exist/i.test(message)) return [];
    throw err;
  }
  const actions = (mod as { ACTIONS?: unknown }).ACTIONS;
  if (!isActionSpecList(actions)) throw new Error('src/actions/index.ts does not export ACTIONS: ActionSpec[]');
  return actions;
}
