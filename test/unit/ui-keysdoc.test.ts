import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysSectionOf, loadDeclaredActions, renderKeysMarkdown, withKeysSection } from '../../src/ui/keysDoc.js';

describe('README Keys section', () => {
  it('matches the keymap (regenerate with: npx tsx scripts/docs-keys.ts)', async () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    const expected = renderKeysMarkdown(await loadDeclaredActions());
    expect(keysSectionOf(readme)).toBe(expected);
  });

  it('documents action keys from their declarations', () => {
    const md = renderKeysMarkdown([{ id: 'svc.scale', key: 's', label: 'Scale service', targets: 'service', command: 'scale' }]);
    expect(md).toContain('| `s` | Scale service | services | `main.scale` |');
    expect(md).toContain('`:scale`');
    expect(md).toContain('| `q` | quit |  | `main.quit` |');
  });

  it('replaces only its own section', () => {
    const doc = 'intro\n\n<!-- keys:start -->\nold\n<!-- keys:end -->\n\nrest\n';
    expect(withKeysSection(doc, '<!-- keys:start -->\nnew\n<!-- keys:end -->')).toBe('intro\n\n<!-- keys:start -->\nnew\n<!-- keys:end -->\n\nrest\n');
    expect(withKeysSection('intro\n', 'S')).toBe('intro\n\nS\n');
  });
});
