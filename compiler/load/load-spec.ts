import { readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, LineCounter, parseAllDocuments, visit, type Document, type Node } from 'yaml';
import type { Code } from '../diagnostics/codes.ts';
import { lineOf, type SpecText } from '../diagnostics/locate.ts';
import type { Problem } from '../diagnostics/problem.ts';
import { decodeUtf8 } from './decode.ts';

/** A spec file parsed with positions; what every later stage works from. */
export interface LoadedSpec extends SpecText {
  source: string;
  document: Document;
  lineCounter: LineCounter;
  /** The document as plain data. */
  data: Record<string, unknown>;
}

/**
 * A parsed spec, or why there is none. Problems point into the text by
 * offset; `text` (the spec itself when it loaded) is what they are located against.
 */
export type LoadResult = { ok: true; spec: LoadedSpec; problems: Problem[] } | { ok: false; text: SpecText; problems: Problem[] };

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
    return failed({ file }, fileProblem('AFC0001', `cannot read ${file}: ${reason}`));
  }
  return loadSpec(file, bytes);
}

export function loadSpec(file: string, bytes: Uint8Array): LoadResult {
  if (bytes.length > MAX_BYTES) {
    return failed({ file }, fileProblem('AFC0109', `file is ${bytes.length} bytes; a spec may have at most ${MAX_BYTES}`));
  }
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) {
    return failed(
      // A lossy decoding, only to show the line in the code frame; UTF-16 text would show as noise.
      { file, bytes, ...(decoded.offset > 0 ? { source: Buffer.from(bytes).toString('utf8') } : {}) },
      { ...fileProblem('AFC0101', `file is not UTF-8 text: ${decoded.reason}`), offset: decoded.offset, hint: 'save the file as UTF-8' },
    );
  }
  const source = decoded.text;
  const lineCounter = new LineCounter();
  const text: SpecText = { file, source, lineCounter };
  const documents = parseAllDocuments(source, { lineCounter, merge: true, uniqueKeys: false, prettyErrors: false, strict: true });

  // A document with no content at all: nothing, or only `---` (an empty node whose range is empty).
  const blank = (d: Document) =>
    d.errors.length === 0 && (d.contents === null || (isScalar(d.contents) && d.contents.value === null && d.contents.range?.[0] === d.contents.range?.[1]));
  if (!Array.isArray(documents) || documents.length === 0 || documents.every(blank)) {
    return failed(text, {
      ...fileProblem('AFC0102', 'file is empty: a spec needs at least apiVersion, name and airflow'),
      hint: 'run `afc init` to write a starter spec',
    });
  }
  if (documents.length > 1) {
    const second = documents[1]!;
    return failed(text, { ...fileProblem('AFC0107', `file holds ${documents.length} YAML documents; a spec is exactly one`), offset: second.range[0] });
  }
  const document = documents[0]!;
  const problems: Problem[] = [];
  for (const error of document.errors) {
    // The parser recurses per level of nesting; past what the stack holds it reports the engine's RangeError.
    if (/Maximum call stack size exceeded/.test(error.message)) problems.push({ ...tooDeep(), offset: error.pos[0] });
    else problems.push({ ...fileProblem('AFC0103', yamlMessage(error.message)), offset: error.pos[0] });
  }
  for (const warning of document.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      const tag = /(![^\s:]*)/.exec(warning.message)?.[1] ?? 'tag';
      problems.push({
        ...fileProblem('AFC0108', `unsupported tag ${tag}: a spec is plain YAML, without custom tags`),
        offset: warning.pos[0],
        hint: "remove the tag; afc writes the target's own syntax (such as CloudFormation's !Ref) itself",
      });
    }
  }
  if (problems.length > 0) return failed(text, ...problems);

  problems.push(...duplicateKeys(document, text), ...unsafeIntegers(document));
  if (!isMap(document.contents)) {
    const found = document.contents === null ? 'nothing' : isScalar(document.contents) ? 'a single value' : 'a list';
    problems.push(
      nodeProblem(document.contents ?? undefined, 'AFC0106', `the top level must be a mapping of keys (apiVersion, name, airflow, …), found ${found}`),
    );
  }
  if (problems.length > 0) return failed(text, ...problems);

  let data: unknown;
  try {
    data = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof RangeError) return failed(text, tooDeep());
    if (!(error instanceof ReferenceError)) throw error;
    let firstAlias: Node | undefined;
    visit(document, {
      Alias: (_, node) => {
        firstAlias = node;
        return visit.BREAK;
      },
    });
    return failed(text, {
      ...nodeProblem(firstAlias, 'AFC0105', 'aliases expand to too much data (a "billion laughs" YAML bomb?)'),
      hint: `aliases may expand to at most ${MAX_ALIAS_COUNT} nodes in all; do not nest aliases of aliases`,
    });
  }
  return { ok: true, spec: { file, source, document, lineCounter, data: data as Record<string, unknown> }, problems };
}

/**
 * Integers a JavaScript number cannot hold exactly (beyond 2^53 - 1): read as
 * numbers, they would reach the output with other digits
 * (`12345678901234567890` becomes `12345678901234567000`).
 */
function unsafeIntegers(document: Document): Problem[] {
  const problems: Problem[] = [];
  visit(document, {
    Scalar(_, node) {
      if (typeof node.value === 'number' && Number.isInteger(node.value) && !Number.isSafeInteger(node.value))
        problems.push({
          ...nodeProblem(node, 'AFC0111', `${node.source ?? String(node.value)} is too large to be read exactly as a number (more than 2^53 - 1)`),
          hint: 'quote it to keep it as text: "…"',
        });
    },
  });
  return problems;
}

/** A document nested deeper than the parser's recursion reaches (thousands of levels): a spec nests a handful. */
function tooDeep(): Problem {
  return {
    ...fileProblem('AFC0110', 'values nest too deeply to be read (a spec nests a few levels; this one nests thousands)'),
    hint: 'look for a long run of [ or { (or of indented "- ")',
  };
}

function failed(text: SpecText, ...problems: Problem[]): LoadResult {
  return { ok: false, text, problems };
}

function duplicateKeys(document: Document, text: SpecText): Problem[] {
  const found: Problem[] = [];
  visit(document, {
    Map(_, map) {
      const seen = new Map<string, Node>();
      for (const pair of map.items) {
        if (!isPair(pair) || !isScalar(pair.key) || isAlias(pair.key)) continue;
        const name = String(pair.key.value);
        if (name === '<<') continue;
        const first = seen.get(name);
        if (first) {
          const line = lineOf(text, nodeProblem(first, 'AFC0104', ''));
          found.push({
            ...nodeProblem(pair.key, 'AFC0104', `duplicate key "${name}" (first defined on line ${line})`),
            hint: 'YAML keeps only one of them; remove or merge the duplicate',
          });
        } else {
          seen.set(name, pair.key);
        }
      }
    },
  });
  return found;
}

/** A problem with the file as a whole, or (with an offset) with its text. */
function fileProblem(code: Code, message: string): Problem {
  return { code, severity: 'error', path: [], message };
}

/** A problem with the text a node spans; a missing node stands for the file's first character. */
function nodeProblem(node: Node | undefined, code: Code, message: string): Problem {
  const [offset, end] = node?.range ?? [0, 1];
  return { ...fileProblem(code, message), offset, end };
}

/** yaml's messages sometimes carry their own "at line x" suffix; positions are ours. */
function yamlMessage(message: string): string {
  return message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim();
}
