/**
 * `env_file:` files as the docker CLI reads them (KEY=value lines, # comments, the value passed through
 * untrimmed and unquoted; a bare KEY takes its value from the environment or is left out), and the `.env`
 * file beside the first compose file, whose values may be quoted as the Compose Specification allows.
 */

export class EnvFileError extends Error {}

export function parseEnvFile(text: string, lookup: (name: string) => string | undefined): [string, string][] {
  const out: [string, string][] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (/\s/.test(name)) throw new EnvFileError(`variable '${name}' contains whitespaces`);
    if (name === '') throw new EnvFileError(`no variable name on line '${line}'`);
    if (eq >= 0) out.push([name, line.slice(eq + 1)]);
    else {
      const v = lookup(name);
      if (v !== undefined) out.push([name, v]);
    }
  }
  return out;
}

/** `.env`: the same lines, with one pair of matching surrounding quotes removed from a value. */
export function parseDotEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of parseEnvFile(text, () => undefined)) {
    const trimmed = v.trim();
    const quoted = trimmed.length >= 2 && (trimmed[0] === '"' || trimmed[0] === "'") && trimmed.endsWith(trimmed[0]);
    out.set(k.replace(/^export\s+/, ''), quoted ? trimmed.slice(1, -1) : v);
  }
  return out;
}
