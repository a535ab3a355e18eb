/**
 * The JSON schema of a theme file (themes/*.json, bundled or the user's in $XDG_CONFIG_HOME/swarmtop/themes),
 * as `swarmtop schema theme` prints it. Kept apart from theme.ts so the schema needs no file system.
 */

export const THEME_TOKENS = [
  'text', 'muted', 'accent', 'title', 'border', 'key', 'ok', 'warn', 'error', 'info', 'leader',
  'stale', 'readOnly', 'insecureFg', 'insecureBg', 'danger', 'match', 'dialogBorder', 'header',
] as const;

export const NAMED_COLOURS = [
  'black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white', 'gray', 'grey',
  'blackBright', 'redBright', 'greenBright', 'yellowBright', 'blueBright', 'magentaBright', 'cyanBright', 'whiteBright',
] as const;

export const HEX_COLOUR = '^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$';

export const THEME_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://github.com/swarmtop/swarmtop/schemas/theme.json',
  title: 'swarmtop theme',
  description: 'Semantic tokens (what a colour means) over a palette (the colours). The file name, without .json, is the name --theme takes.',
  type: 'object',
  required: ['name', 'palette', 'tokens'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    palette: {
      type: 'object',
      description: 'name → colour: "none" (the terminal\'s own), a named ANSI colour, #rgb or #rrggbb, or a number 0-255 (the 256-colour palette)',
      additionalProperties: {
        anyOf: [
          { type: 'string', enum: ['none', ...NAMED_COLOURS] },
          { type: 'string', pattern: HEX_COLOUR },
          { type: 'integer', minimum: 0, maximum: 255 },
        ],
      },
    },
    tokens: {
      type: 'object',
      description: 'token → palette entry',
      required: [...THEME_TOKENS],
      additionalProperties: false,
      properties: Object.fromEntries(THEME_TOKENS.map((t) => [t, { type: 'string' }])),
    },
  },
} as const;
