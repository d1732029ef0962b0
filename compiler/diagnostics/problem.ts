import type { Code } from './codes.ts';
import type { Severity } from './diagnostic.ts';

/** A path into the spec's data, as keys and list indexes: `['components', 'workers', 'queues', 1]`. */
export type SpecPath = readonly (string | number)[];

/** afc's own codes, and the AFC3xxx range a target (a plugin's included) reports in. */
export type ProblemCode = Code | `AFC3${number}`;

/**
 * A problem found by any stage (load, schema, rules, target check, secret
 * resolution, render, overrides, leak scan): a value, collected and returned,
 * never thrown. It says where in the spec, not where in the file:
 * `diagnostics/locate.ts` turns it into a `Diagnostic` (file:line:col), the
 * one place that maps paths and offsets to positions.
 */
export interface Problem {
  code: ProblemCode;
  severity: Severity;
  /** Where in the spec's data; `[]` for the spec as a whole. */
  path: SpecPath;
  message: string;
  hint?: string;
  /**
   * Which node of `path` to point at: its `key` (the default; the value when
   * it has none, as a list item), its `value` (the key when the path ends in
   * a missing key), or the value when it is a `scalar`, else the key.
   */
  at?: 'key' | 'value' | 'scalar';
  /**
   * For a problem in the text rather than the data (a syntax error, a
   * duplicate key, a file that is not UTF-8): where it starts, as an offset
   * into the decoded text (into the bytes when the file is not text), and
   * where it ends, when the code frame underlines it. Wins over `path`.
   */
  offset?: number;
  end?: number;
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
