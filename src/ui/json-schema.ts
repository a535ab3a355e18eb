import AjvModule, { type ErrorObject, type Options, type ValidateFunction } from 'ajv';

/**
 * The user's settings files (keys.yaml, themes/*.json) are checked against the JSON schemas that
 * `swarmtop schema keys|theme` prints, with ajv; the errors come back as one sentence per problem, each
 * with the dotted path of the value it is about.
 */

// ajv is CommonJS: under NodeNext its default export arrives as the module object.
const ajvExports = AjvModule as unknown as { default?: unknown };
const Ajv = (ajvExports.default ?? AjvModule) as new (opts: Options) => { compile(schema: object): ValidateFunction };

export function compileSchema(schema: object): ValidateFunction {
  return new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
}

export interface SchemaProblem {
  /** The value's path in the document (object keys and list indexes). */
  path: string[];
  /** For an unknown property: its name (its line is the key's, not its parent's). */
  property?: string;
  message: string;
}

function segments(instancePath: string): string[] {
  return instancePath === '' ? [] : instancePath.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function describe(e: ErrorObject): string {
  switch (e.keyword) {
    case 'additionalProperties': return `unknown name "${String(e.params.additionalProperty)}"`;
    case 'type': return `must be ${String(e.params.type)}`;
    case 'pattern': return `${JSON.stringify(e.data)} is not allowed here`;
    case 'enum': return `must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'required': return `"${String(e.params.missingProperty)}" is missing`;
    default: return e.message ?? e.keyword;
  }
}

/**
 * ajv's errors as problems, one per value. A value that fails every branch of an anyOf (a key or a list
 * of keys) is reported by the branch of its own type, or once as "must be one of the forms".
 */
export function schemaProblems(errors: readonly ErrorObject[] | null | undefined, explain: (e: ErrorObject) => string | null = () => null): SchemaProblem[] {
  const list = errors ?? [];
  const deeper = (path: string): boolean => list.some((o) => o.instancePath !== path && o.instancePath.startsWith(`${path}/`) && o.keyword !== 'anyOf');
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    const inAnyOf = e.schemaPath.includes('/anyOf/');
    if (e.keyword === 'anyOf') {
      const others = list.filter((o) => o.instancePath === e.instancePath && o !== e && o.keyword !== 'type' && o.keyword !== 'anyOf');
      if (others.length === 0 && !deeper(e.instancePath)) out.push({ path: segments(e.instancePath), message: explain(e) ?? 'must be a key or a list of keys' });
      continue;
    }
    // A branch that failed on the value's type says nothing the other branch does not say better.
    if (inAnyOf && e.keyword === 'type') continue;
    const property = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : undefined;
    const message = explain(e) ?? describe(e);
    const id = `${e.instancePath}|${property ?? ''}|${message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ path: segments(e.instancePath), ...(property === undefined ? {} : { property }), message });
  }
  return out;
}
