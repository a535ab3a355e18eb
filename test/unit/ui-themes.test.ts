import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  THEME_TOKENS, isValidColour, listThemes, loadTheme, resolveThemeName, themesDir, validateTheme,
} from '../../src/ui/theme.js';

describe('themes', () => {
  const names = listThemes();

  it('ships at least the five required themes', () => {
    expect(names).toEqual(expect.arrayContaining(['default', 'light', 'solarized-dark', 'production', 'no-color']));
  });

  it.each(names)('%s defines every token with a valid colour', (name) => {
    const raw: unknown = JSON.parse(readFileSync(join(themesDir(), `${name}.json`), 'utf8'));
    expect(validateTheme(raw)).toEqual([]);
    const theme = loadTheme(name);
    expect(theme.name).toBe(name);
    for (const token of THEME_TOKENS) {
      const c = theme.color(token);
      if (c !== undefined) expect(isValidColour(c)).toBe(true);
    }
  });

  it('no-color has no colour at all', () => {
    const t = loadTheme('no-color');
    expect(t.monochrome).toBe(true);
    expect(THEME_TOKENS.map((tok) => t.color(tok)).filter((c) => c !== undefined)).toEqual([]);
  });

  it('production uses red accents', () => {
    expect(loadTheme('production').color('accent')).toMatch(/red/i);
  });

  it('reports invalid themes precisely', () => {
    expect(validateTheme({ name: 'x', palette: { a: '#12345' }, tokens: { text: 'a', bogus: 'a' } })).toEqual(expect.arrayContaining([
      'palette.a: invalid colour "#12345"', 'token muted missing', 'unknown token bogus',
    ]));
    expect(() => loadTheme('does-not-exist')).toThrow(/^unknown theme "does-not-exist" \(available: .*default/);
    expect(() => loadTheme('does-not-exist')).not.toThrow(/ENOENT/);
    expect(() => loadTheme('../etc/passwd')).toThrow(/invalid theme name/);
  });

  it('NO_COLOR wins, then --theme, then the context theme', () => {
    expect(resolveThemeName({ cli: 'light', context: 'production', env: { NO_COLOR: '1' } })).toBe('no-color');
    expect(resolveThemeName({ cli: 'light', context: 'production', env: {} })).toBe('light');
    expect(resolveThemeName({ cli: null, context: 'production', env: { NO_COLOR: '' } })).toBe('production');
    expect(resolveThemeName({ cli: null, context: null, env: {} })).toBe('default');
  });
});
