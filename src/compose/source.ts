import { readFile } from 'node:fs/promises';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type ScalarTag } from 'yaml';
import { ComposeError, type Dict } from './model.js';

/**
 * One compose file as read: its parsed content and a way back from a path inside it
 * (services.api.deploy.replicas) to the line it was written on, for every later error.
 */
export interface ComposeSource {
  /** As the operator named it (messages use this). */
  file: string;
  content: Dict;
  lineOf(path: readonly (string | number)[]): number | null;
}

/**
 * A leading-zero integer is octal, as Go's YAML decoder reads it (`mode: 0440`): the YAML 1.2 core
 * schema alone would read 440 and a secret would be mounted with the wrong permissions.
 */
const legacyOctal: ScalarTag = {
  tag: 'tag:yaml.org,2002:int',
  default: true,
  test: /^0[0-7]+$/,
  resolve: (s: string) => parseInt(s, 8),
  identify: () => false,
};

/** Parses YAML text; syntax errors carry the file, line and column. */
export function parseComposeText(file: string, text: string): ComposeSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, customTags: (tags) => [legacyOctal, ...tags], prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const pos = lineCounter.linePos(first.pos[0]);
    const what = first.message.split('\n')[0] ?? first.message;
    throw new ComposeError(`YAML error at line ${pos.line}, column ${pos.col}: ${what}`, file, pos.line);
  }
  const content: unknown = doc.toJS({ maxAliasCount: 10_000 });
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    throw new ComposeError('top-level object must be a mapping', file, 1);
  }
  return { file, content: content as Dict, lineOf: (path) => lineOf(doc, lineCounter, path) };
}

function lineOf(doc: Document, lc: LineCounter, path: readonly (string | number)[]): number | null {
  // The deepest node that exists along the path: an error about a missing key points at its parent.
  for (let n = path.length; n >= 0; n--) {
    const node: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.range) return lc.linePos(node.range[0]).line;
  }
  return null;
}

/** Reads and parses one file; a missing or unreadable file is a ComposeError naming it. */
export async function readComposeFile(file: string, read: (f: string) => Promise<string> = (f) => readFile(f, 'utf8')): Promise<ComposeSource> {
  let text: string;
  try {
    text = await read(file);
  } catch (err) {
    throw new ComposeError(fileError(err), file);
  }
  return parseComposeText(file, text);
}

/** "no such file", "permission denied": the system's reason in words. */
export function fileError(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied (cannot read the file)';
  if (code === 'EISDIR') return 'is a directory, not a file';
  return err instanceof Error ? err.message : String(err);
}
