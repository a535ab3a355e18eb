import { LineCounter, isNode, parseDocument, stringify, type Document } from 'yaml';
import { pathText, validateServiceSpec, type Path, type Problem } from './validate.js';

/**
 * A service spec as the operator edits it: YAML of the spec exactly as the engine returned it, under a
 * few comment lines (which the parser ignores). Read back, errors point at a line and column.
 */

export type Spec = Record<string, unknown>;

const ERROR_MARK = '# error: ';

export function specToYaml(spec: Spec, header: readonly string[]): string {
  const comments = header.map((l) => `# ${l}`.trimEnd()).join('\n');
  return `${comments}\n${stringify(spec, { lineWidth: 0 })}`;
}

/** The same text with the problems on top as comments (earlier ones removed), for re-opening the editor. */
export function withErrors(text: string, problems: readonly string[]): string {
  const kept = text.split('\n').filter((l) => !l.startsWith(ERROR_MARK)).join('\n');
  return `${problems.map((p) => `${ERROR_MARK}${p.replace(/\n/g, ' ')}`).join('\n')}\n${kept}`;
}

/** True when the text holds nothing but comments and blank lines (the operator emptied it: cancel). */
export function isBlank(text: string): boolean {
  return text.split('\n').every((l) => l.trim() === '' || l.trimStart().startsWith('#'));
}

export type ParsedSpec = { ok: true; spec: Spec } | { ok: false; problems: string[] };

function where(lines: LineCounter, doc: Document, path: Path): string {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) {
      const { line, col } = lines.linePos(node.range[0]);
      return `line ${line}, column ${col}`;
    }
  }
  return 'line 1, column 1';
}

/** Parses and validates the operator's text against the spec it started from. */
export function parseSpecYaml(text: string, before: Spec | null): ParsedSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        const msg = e.message.split('\n')[0] ?? e.message;
        return `line ${pos.line}, column ${pos.col}: invalid YAML: ${msg.replace(/ at line \d+, column \d+:?$/, '')}`;
      }),
    };
  }
  const spec: unknown = doc.toJS({ maxAliasCount: 100 });
  const problems: Problem[] = validateServiceSpec(spec, before);
  if (problems.length > 0) return { ok: false, problems: problems.map((p) => `${where(lines, doc, p.path)}: ${p.message}`) };
  return { ok: true, spec: spec as Spec };
}

export { pathText };
