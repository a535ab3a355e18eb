import type { SchemaName } from './args.js';

/** `swarmtop schema keys|theme`: the JSON schema a settings file is checked against, for an editor. */
export async function settingsSchema(name: SchemaName): Promise<object> {
  if (name === 'theme') return (await import('../ui/theme-schema.js')).THEME_SCHEMA;
  const [{ ACTIONS }, { keysSchema }] = await Promise.all([import('../actions/index.js'), import('../ui/keys/user.js')]);
  return keysSchema(ACTIONS);
}
