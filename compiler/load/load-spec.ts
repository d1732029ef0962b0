import { readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import type { Code } from '../diagnostics/codes.ts';
import type { Diagnostic, Severity } from '../diagnostics/diagnostic.ts';
import { bytePosition, decodeUtf8 } from './decode.ts';
import { spanOf } from './locate.ts';

/** A spec file parsed with positions; what every later stage works from. */
export interface LoadedSpec {
  file: string;
  source: string;
  document: Document;
  lineCounter: LineCounter;
  /** The document as plain data. */
  data: Record<string, unknown>;
}

export interface LoadResult {
  spec?: LoadedSpec;
  /** The decoded text, when there was one, for code frames. */
  source?: string;
  diagnostics: Diagnostic[];
}

const MAX_BYTES = 1024 * 1024;
/**
 * Aliases are useful for sharing a block, even hundreds of times; a YAML bomb
 * ("billion laughs") nests them so they expand exponentially. yaml stops when
 * uses of an anchor times the size of what it expands to exceeds this.
 */
export const MAX_ALIAS_COUNT = 10_000;

export function readSpec(file: string): LoadResult {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as NodeJS.ErrnoException).code === 'EISDIR'
          ? 'it is a directory'
          : (error as Error).message;
    return { diagnostics: [fileDiagnostic(file, 'AFC0001', `cannot read ${file}: ${reason}`)] };
  }
  return loadSpec(file, bytes);
}

export function loadSpec(file: string, bytes: Uint8Array): LoadResult {
  if (bytes.length > MAX_BYTES) {
    return { diagnostics: [fileDiagnostic(file, 'AFC0109', `file is ${bytes.length} bytes; a spec may have at most ${MAX_BYTES}`)] };
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    const at = bytePosition(bytes, decoded.offset);
    return {
      // A lossy decoding, only to show the line in the code frame; UTF-16 text would show as noise.
      ...(decoded.offset > 0 ? { source: Buffer.from(bytes).toString('utf8') } : {}),
      diagnostics: [{ ...fileDiagnostic(file, 'AFC0101', `file is not UTF-8 text: ${decoded.reason}`), ...at, hint: 'save the file as UTF-8' }],
    };
  }
  const source = decoded.text;
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: false, strict: true });
  const at = (node: Node | undefined, code: Code, message: string, severity: Severity = 'error', hint?: string): Diagnostic => {
    const span = spanOf(node, lineCounter);
    return { code, severity, message, file, ...span.start, endColumn: span.endColumn, ...(hint ? { hint } : {}) };
  };
  const atOffset = (offset: number, code: Code, message: string): Diagnostic => {
    const pos = lineCounter.linePos(offset);
    return { code, severity: 'error', message, file, line: pos.line, column: pos.col };
  };

  // A document with no content at all: nothing, or only `---` (an empty node whose range is empty).
  const blank = (d: Document) =>
    d.errors.length === 0 && (d.contents === null || (isScalar(d.contents) && d.contents.value === null && d.contents.range?.[0] === d.contents.range?.[1]));
  if (!Array.isArray(documents) || documents.length === 0 || documents.every(blank)) {
    return {
      source,
      diagnostics: [
        {
          ...fileDiagnostic(file, 'AFC0102', 'file is empty: a spec needs at least apiVersion, name and airflow'),
          hint: 'run `afc init` to write a starter spec',
        },
      ],
    };
  }
  if (documents.length > 1) {
    const second = documents[1]!;
    return { source, diagnostics: [atOffset(second.range[0], 'AFC0107', `file holds ${documents.length} YAML documents; a spec is exactly one`)] };
  }
  const document = documents[0]!;
  const diagnostics: Diagnostic[] = [];
  for (const error of document.errors) {
    diagnostics.push(atOffset(error.pos[0], 'AFC0103', yamlMessage(error.message)));
  }
  for (const warning of document.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      const tag = /(![^\s:]*)/.exec(warning.message)?.[1] ?? 'tag';
      diagnostics.push({
        ...atOffset(warning.pos[0], 'AFC0108', `unsupported tag ${tag}: a spec is plain YAML, without custom tags`),
        hint: "remove the tag; afc writes the target's own syntax (such as CloudFormation's !Ref) itself",
      });
    }
  }
  if (diagnostics.length > 0) return { source, diagnostics };

  diagnostics.push(...duplicateKeys(document, at));
  if (!isMap(document.contents)) {
    const found = document.contents === null ? 'nothing' : isScalar(document.contents) ? 'a single value' : 'a list';
    diagnostics.push(at(document.contents ?? undefined, 'AFC0106', `the top level must be a mapping of keys (apiVersion, name, airflow, …), found ${found}`));
  }
  if (diagnostics.length > 0) return { source, diagnostics };

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error;
    let firstAlias: Node | undefined;
    visit(document, {
      Alias: (_, node) => {
        firstAlias = node;
        return visit.BREAK;
      },
    });
    return {
      source,
      diagnostics: [
        at(
          firstAlias,
          'AFC0105',
          'aliases expand to too much data (a "billion laughs" YAML bomb?)',
          'error',
          `aliases may expand to at most ${MAX_ALIAS_COUNT} nodes in all; do not nest aliases of aliases`,
        ),
      ],
    };
  }
  return { spec: { file, source, document, lineCounter, data: data as Record<string, unknown> }, source, diagnostics };
}

function duplicateKeys(
  document: Document,
  at: (node: Node | undefined, code: Code, message: string, severity?: Severity, hint?: string) => Diagnostic,
): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key) || isAlias(pair.key)) continue;
        const name = String(pair.key.value);
        if (name === '<<') continue;
        const first = seen.get(name);
        if (first) {
          const line = at(first, 'AFC0104', '').line;
          found.push(
            at(
              pair.key,
              'AFC0104',
              `duplicate key "${name}" (first defined on line ${line})`,
              'error',
              'YAML keeps only one of them; remove or merge the duplicate',
            ),
          );
        } else {
          seen.set(name, pair.key);
        }
      }
    },
  });
  return found;
}

function fileDiagnostic(file: string, code: Code, message: string): Diagnostic {
  return { code, severity: 'error', message, file, line: 1, column: 1 };
}

/** yaml's messages sometimes carry their own "at line x" suffix; positions are ours. */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}
