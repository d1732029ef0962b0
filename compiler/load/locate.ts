import { isMap, isPair, isScalar, isSeq, type LineCounter, type Node, type Document } from 'yaml';
import type { Position } from '../diagnostics/diagnostic.ts';

export type SpecPath = readonly (string | number)[];

export interface Span {
  start: Position;
  /** Column just past the node on its first line. */
  endColumn: number;
}

export interface Located {
  /** The key of the last path segment, when it is a map entry. */
  key?: Node;
  value?: Node;
  /** How many segments of the path were found; less than its length when the rest does not exist. */
  depth: number;
}

/** Walks a document along a data path, as far as the path exists. */
export function locate(doc: Document, path: SpecPath): Located {
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
  return depth === path.length ? { key, value, depth } : { key: depth > 0 ? key : undefined, value, depth };
}

export function spanOf(node: Node | undefined, lineCounter: LineCounter): Span {
  if (!node?.range) return { start: { line: 1, column: 1 }, endColumn: 2 };
  const [startOffset, valueEnd] = node.range;
  const start = lineCounter.linePos(startOffset);
  const end = lineCounter.linePos(Math.max(valueEnd, startOffset + 1));
  const endColumn = end.line === start.line ? end.col : start.col + 1;
  return { start: { line: start.line, column: start.col }, endColumn: Math.max(endColumn, start.col + 1) };
}

/** A path for people: `components.workers.queues[1]`. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out || '(top level)';
}
