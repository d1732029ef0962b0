import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from './diagnostic.ts';
import type { Problem, SpecPath } from './problem.ts';

/**
 * What problems are located against: the spec file and as much of it as was
 * read. A merged environment is its own document over the same text.
 */
export interface SpecText {
  /** The spec's path as the user named it. */
  file: string;
  /** The decoded text, when there was one, for code frames (lossy for a file that is not UTF-8). */
  source?: string;
  /** The parsed document, for problems with a path. */
  document?: Document;
  /** Line starts of the decoded text, for offsets. */
  lineCounter?: LineCounter;
  /** The raw bytes of a file that is not text, for a byte offset. */
  bytes?: Uint8Array;
}

/**
 * The one place a problem becomes `file:line:col`: an offset through the
 * line counter (or the bytes of a file that is not text), a path through the
 * document's nodes. A problem with neither, or in a file with no document,
 * is about the whole file: 1:1.
 */
export function locateProblem(problem: Problem, text: SpecText): Diagnostic {
  const { code, severity, message, hint } = problem;
  return { code, severity, message, file: text.file, ...position(problem, text), ...(hint ? { hint } : {}) };
}

/** Each problem at its `file:line:col` in `text`, in the order given. */
export function locateProblems(problems: readonly Problem[], text: SpecText): Diagnostic[] {
  return problems.map((p) => locateProblem(p, text));
}

/** The line a problem (or a bare path) is on, for messages that point at another place ("first defined on line 3"). */
export function lineOf(text: SpecText, where: Pick<Problem, 'path' | 'at' | 'offset' | 'end'>): number {
  return position({ code: 'AFC1099', severity: 'error', message: '', ...where }, text).line;
}

/** How a scalar at `path` is written in the source (`08` where the data says 8); undefined when it is not a scalar. */
export function writtenAt(text: SpecText & { source: string }, path: SpecPath): string | undefined {
  const node = text.document && nodesAt(text.document, path).value;
  return isScalar(node) && node.range ? text.source.slice(node.range[0], node.range[1]) : undefined;
}

function position(problem: Problem, text: SpecText): Pick<Diagnostic, 'line' | 'column' | 'endColumn'> {
  if (problem.offset !== undefined) {
    if (text.lineCounter) {
      if (problem.end === undefined) {
        const start = text.lineCounter.linePos(problem.offset);
        return { line: start.line, column: start.col };
      }
      return span(problem.offset, problem.end, text.lineCounter);
    }
    if (text.bytes) return bytePosition(text.bytes, problem.offset);
  }
  if (!text.document || !text.lineCounter || problem.offset !== undefined) return { line: 1, column: 1 };
  const found = nodesAt(text.document, problem.path);
  const at = problem.at ?? 'key';
  const node =
    at === 'key' ? (found.key ?? found.value) : at === 'value' ? (found.value ?? found.key) : isScalar(found.value) ? found.value : (found.key ?? found.value);
  if (!node?.range) return { line: 1, column: 1, endColumn: 2 };
  return span(node.range[0], node.range[1], text.lineCounter);
}

/** From a start offset to the column just past the text on its first line (at least one column). */
function span(startOffset: number, endOffset: number, lineCounter: LineCounter): Pick<Diagnostic, 'line' | 'column' | 'endColumn'> {
  const start = lineCounter.linePos(startOffset);
  const end = lineCounter.linePos(Math.max(endOffset, startOffset + 1));
  const endColumn = end.line === start.line ? end.col : start.col + 1;
  return { line: start.line, column: start.col, endColumn: Math.max(endColumn, start.col + 1) };
}

/** 1-based line and column of a byte offset. */
function bytePosition(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

interface Nodes {
  /** The key of the last path segment, when it is a map entry. */
  key?: Node;
  value?: Node;
}

/** Walks a document along a data path, as far as the path exists; past that, the deepest node found. */
function nodesAt(doc: Document, path: SpecPath): Nodes {
  let node: unknown = doc.contents;
  let key: Node | undefined;
  let depth = 0;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      key = pair.key as Node;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      key = undefined;
      node = node.items[segment];
    } else {
      break;
    }
    depth++;
  }
  const value = node && typeof node === 'object' && 'range' in node ? (node as Node) : undefined;
  return { key: depth > 0 ? key : undefined, value };
}
