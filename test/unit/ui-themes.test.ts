import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  THEME_TOKENS, isValidColour, listThemes, loadTheme, resolveThemeName, themeDirs, themesDir, validateTheme,
} from '../../src/ui/theme.js';
import { themeResolver } from '../../src/ui/run.js';
import { compileSchema } from '../../src/ui/json-schema.js';
import { THEME_SCHEMA } from '../../src/ui/theme-schema.js';

describe('themes', () => {
  const names = listThemes(themesDir());

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
      'palette.a: invalid colour "#12345"', expect.stringMatching(/^tokens missing: muted, accent, /), 'unknown token bogus',
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

describe('user themes', () => {
  const defaultFile = JSON.parse(readFileSync(join(themesDir(), 'default.json'), 'utf8')) as { palette: Record<string, unknown>; tokens: Record<string, string> };
  function userConfig(themes: Record<string, unknown>): Record<string, string> {
    const home = mkdtempSync(join(tmpdir(), 'swarmtop-themes-'));
    mkdirSync(join(home, 'swarmtop', 'themes'), { recursive: true });
    for (const [name, body] of Object.entries(themes)) writeFileSync(join(home, 'swarmtop', 'themes', `${name}.json`), typeof body === 'string' ? body : JSON.stringify(body));
    return { XDG_CONFIG_HOME: home };
  }

  it('sit beside the bundled ones, with 256-colour numbers and hex colours', () => {
    const env = userConfig({ mine: { name: 'mine', palette: { ...defaultFile.palette, cyan: 51, fg: '#eee', red: '#ff0000' }, tokens: defaultFile.tokens } });
    expect(listThemes(themeDirs(env))).toEqual(expect.arrayContaining(['mine', 'default', 'light']));
    const t = loadTheme('mine', themeDirs(env));
    expect(t.color('accent')).toBe('ansi256(51)');
    expect(t.color('text')).toBe('#eee');
    expect(isValidColour(t.color('accent'))).toBe(true);
    expect(validateTheme({ name: 'x', palette: { a: 256, b: 1.5, c: '#ggg' }, tokens: {} })).toEqual(expect.arrayContaining([
      'palette.a: invalid colour 256', 'palette.b: invalid colour 1.5', 'palette.c: invalid colour "#ggg"',
    ]));
  });

  it('an invalid one falls back to the default with the reason; a typo lists every name', () => {
    const env = userConfig({ broken: { name: 'broken', palette: { a: 'chartreuse' }, tokens: {} }, notjson: '{' });
    const resolve = themeResolver({ theme: 'broken', contextThemes: {} }, env);
    const first = resolve('default');
    expect(first.name).toBe('default');
    expect(first.problem).toMatch(/^theme broken \(.*broken.json\) is invalid: palette.a: invalid colour "chartreuse"; .*using the default theme$/);
    // The same theme object each time: the console shows its problem once, as it switches to it.
    expect(resolve('default')).toBe(first);
    expect(themeResolver({ theme: 'notjson', contextThemes: {} }, env)('x').problem).toMatch(/is not JSON/);
    expect(() => themeResolver({ theme: 'brokn', contextThemes: {} }, env)('x')).toThrow(/unknown theme "brokn" \(available: broken, default, .*notjson/);
  });

  it('the schema swarmtop schema theme prints accepts every bundled theme', () => {
    const validate = compileSchema(THEME_SCHEMA);
    for (const name of listThemes(themesDir())) {
      if (name === 'no-color') continue;
      expect(validate(JSON.parse(readFileSync(join(themesDir(), `${name}.json`), 'utf8'))), name).toBe(true);
    }
  });
});
