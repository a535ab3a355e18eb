/** Writes the README "Keys" section from the keymap and the action declarations: npx tsx scripts/docs-keys.ts */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDeclaredActions, renderKeysMarkdown, withKeysSection } from '../src/ui/keysDoc.js';

const readmePath = join(import.meta.dirname, '..', 'README.md');
const actions = await loadDeclaredActions();
const before = readFileSync(readmePath, 'utf8');
const after = withKeysSection(before, renderKeysMarkdown(actions));
if (after === before) {
  process.stdout.write('README Keys section is up to date\n');
} else {
  writeFileSync(readmePath, after);
  process.stdout.write(`README Keys section written (${actions.length} action keys)\n`);
}
