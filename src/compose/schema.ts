import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AjvModule, { type ErrorObject, type Format, type Options, type ValidateFunction } from 'ajv-draft-04';
import { ComposeError, type Dict } from './model.js';
import { isValidPortSpec } from './ports.js';
import { type ComposeSource } from './source.js';
import { parseDuration } from './units.js';

/**
 * Validation against the compose v3 schemas the docker CLI itself uses for `docker stack deploy`
 * (vendored in schemas/compose, Apache-2.0): a file without `version:` is checked as 3.13, as there.
 * Every error is reported (not only the first), each with its file, line and dotted path.
 */

export const DEFAULT_VERSION = '3.13';

/** schemas/ sits two levels above this file both in src/compose and in dist/compose. */
export function schemasDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas', 'compose');
}

/** The file's `version:` as the docker CLI reads it ("3" and none mean the newest 3.x). */
export function composeVersion(content: Dict): string {
  const v = content.version;
  if (v === undefined || v === null) return DEFAULT_VERSION;
  const s = typeof v === 'string' || typeof v === 'number' ? `${v}` : JSON.stringify(v);
  return s === '' || s === '3' ? DEFAULT_VERSION : s;
}

// ajv-draft-04 is CommonJS: under NodeNext its default export arrives as the module object.
interface AjvInstance {
  addFormat(name: string, format: Format): AjvInstance;
  compile(schema: object): ValidateFunction;
}
const ajvExports = AjvModule as unknown as { default?: unknown };
const Ajv = (ajvExports.default ?? AjvModule) as new (opts: Options) => AjvInstance;

const validators = new Map<string, ValidateFunction>();

function validatorFor(version: string, file: string): ValidateFunction {
  const cached = validators.get(version);
  if (cached) return cached;
  let text: string;
  try {
    text = readFileSync(join(schemasDir(), `config_schema_v${version}.json`), 'utf8');
  } catch {
    throw new ComposeError(`unsupported Compose file version: ${version}`, file);
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addFormat('duration', { type: 'string', validate: (s: string) => parseDuration(s) !== null });
  ajv.addFormat('ports', { type: 'string', validate: isValidPortSpec });
  ajv.addFormat('ports', { type: 'number', validate: (n: number) => isValidPortSpec(String(n)) });
  // The docker CLI registers no checker for "expose": any value of the right type passes.
  ajv.addFormat('expose', true);
  const validate = ajv.compile(JSON.parse(text) as object);
  validators.set(version, validate);
  return validate;
}

function segments(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const TYPE_WORDS: Readonly<Record<string, string>> = { object: 'mapping', array: 'list' };

function typeWords(t: unknown): string {
  const list = (Array.isArray(t) ? t : [t]).map((x) => TYPE_WORDS[String(x)] ?? String(x));
  return list.length > 1 ? `${list.slice(0, -1).join(', ')} or ${list[list.length - 1]}` : (list[0] ?? '');
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'type':
      return `must be ${typeWords(e.params.type)}`;
    case 'additionalProperties':
      return `additional property '${String(e.params.additionalProperty)}' is not allowed`;
    case 'enum':
      return `must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'format':
      return `must be a valid ${String(e.params.format)} (${JSON.stringify(e.data)})`;
    default:
      return e.message ?? 'is invalid';
  }
}

/**
 * ajv reports each failed branch of a oneOf: keep the errors deeper inside the branch that matched the
 * value's shape, or, when none went deeper, one line listing the accepted types.
 */
interface SchemaProblem {
  path: string[];
  message: string;
  /** Where to point in the file (an unknown key: the key itself, not its parent). */
  at?: string[];
}

function mostSpecific(errors: readonly ErrorObject[]): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  const dropped = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword !== 'oneOf' && e.keyword !== 'anyOf') continue;
    const inside = errors.filter((x) => x !== e && x.schemaPath.startsWith(`${e.schemaPath}/`));
    const deeper = inside.filter((x) => x.instancePath.startsWith(`${e.instancePath}/`));
    const here = inside.filter((x) => x.instancePath === e.instancePath);
    for (const x of here) dropped.add(x);
    if (deeper.length > 0) dropped.add(e);
    else if (here.length > 0 && here.every((x) => x.keyword === 'type')) {
      dropped.add(e);
      out.push({ path: segments(e.instancePath), message: `must be ${typeWords(here.map((x) => x.params.type as unknown).flat())}` });
    }
  }
  for (const e of errors) {
    if (dropped.has(e)) continue;
    const path = segments(e.instancePath);
    const extra = e.keyword === 'additionalProperties' ? [String(e.params.additionalProperty)] : [];
    out.push({ path, message: describe(e), at: [...path, ...extra] });
  }
  const seen = new Set<string>();
  return out.filter((x) => {
    const key = `${x.path.join('.')}|${x.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every schema error of one (interpolated) file; empty when it is valid. */
export function validateCompose(source: ComposeSource, content: Dict, version: string): ComposeError[] {
  const validate = validatorFor(version, source.file);
  if (validate(content)) return [];
  return mostSpecific(validate.errors ?? [])
    .map((e) => new ComposeError(e.message, source.file, source.lineOf(e.at ?? e.path), e.path.join('.')))
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}
