import type { Document, LineCounter } from 'yaml';
import validate, { type AjvError } from '../../schema/generated/validate.js';
import type { Code } from '../diagnostics/codes.ts';
import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { locateProblem, writtenAt } from '../diagnostics/locate.ts';
import { formatPath, type Problem, type SpecPath } from '../diagnostics/problem.ts';
import { childSchema, describeExpected, schemaAt, typeOf, type SchemaNode } from './schema-walk.ts';

/** What the document under check is: the parsed file, or a merged environment of it. */
export interface CheckTarget {
  file: string;
  source: string;
  document: Document;
  lineCounter: LineCounter;
  data: unknown;
}

/**
 * Runs the precompiled JSON Schema validator and turns its errors into one
 * problem per position in the file: the offending node (the parent for a
 * missing key), a message naming the path, and a hint where one helps.
 */
export function checkSchema(target: CheckTarget): Problem[] {
  if (validate(target.data)) return [];
  const errors = collapseAnyOf(validate.errors ?? [], target.data);
  return onePerLocation(
    errors.map((error) => toProblem(error, target)),
    target,
  );
}

interface Issue {
  keyword: string;
  path: (string | number)[];
  params: Record<string, unknown>;
}

function parsePointer(pointer: string, data: unknown): (string | number)[] {
  const path: (string | number)[] = [];
  let value = data;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const segment = Array.isArray(value) ? Number(part) : part;
    path.push(segment);
    value = value === null || typeof value !== 'object' ? undefined : (value as Record<string | number, unknown>)[segment];
  }
  return path;
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let value = data;
  for (const segment of path) value = value === null || typeof value !== 'object' ? undefined : (value as Record<string | number, unknown>)[segment];
  return value;
}

function isUnder(path: string, parent: string): boolean {
  return path === parent || path.startsWith(`${parent}/`);
}

/**
 * ajv reports every branch of a failed anyOf. The only anyOf in the schema
 * is "a scalar or a secret reference", whose branches differ by type: keep
 * the errors of the branch the value's type selects, or say which types fit.
 */
function collapseAnyOf(errors: AjvError[], data: unknown): Issue[] {
  const out: (Issue & { pointer: string })[] = [];
  for (const error of errors) {
    const path = parsePointer(error.instancePath, data);
    if (error.keyword !== 'anyOf') {
      out.push({ keyword: error.keyword, path, params: error.params, pointer: error.instancePath });
      continue;
    }
    let start = out.length;
    while (start > 0 && isUnder(out[start - 1]!.pointer, error.instancePath)) start--;
    const branchErrors = out.splice(start);
    const matching = branchErrors.filter((e) => !(e.keyword === 'type' && e.pointer === error.instancePath));
    if (matching.length > 0) out.push(...matching);
    else out.push({ keyword: 'anyOfType', path, params: {}, pointer: error.instancePath });
  }
  return out;
}

const PRIORITY = ['anyOfType', 'type', 'required', 'additionalProperties', 'minProperties', 'maxProperties', 'enum', 'pattern'];

/** Several keywords can fail at one node (a wrong type and a pattern): the most telling one stays. */
function onePerLocation(problems: (Problem & { keyword: string })[], target: CheckTarget): Problem[] {
  const rank = (k: string) => (PRIORITY.includes(k) ? PRIORITY.indexOf(k) : PRIORITY.length);
  const byLocation = new Map<string, Problem & { keyword: string }>();
  for (const p of problems) {
    const located = locateProblem(p, target);
    const where = `${located.line}:${located.column}`;
    const existing = byLocation.get(where);
    if (!existing || rank(p.keyword) < rank(existing.keyword)) byLocation.set(where, p);
  }
  return [...byLocation.values()].map(({ keyword: _, ...p }) => p);
}

function toProblem(issue: Issue, target: CheckTarget): Problem & { keyword: string } {
  const { path, params } = issue;
  const data = target.data;
  const here = formatPath(path);
  const value = valueAt(data, path);
  const node = schemaAt(path, data) ?? {};
  const at = (code: Code, nodePath: SpecPath, which: 'key' | 'value', message: string, hint?: string) => ({
    keyword: issue.keyword,
    code,
    severity: 'error' as const,
    path: nodePath,
    at: which,
    message,
    ...(hint ? { hint } : {}),
  });

  switch (issue.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(node.properties ?? {});
      const patterns = Object.keys(node.patternProperties ?? {});
      const guess = didYouMean(key, known);
      // A map of names (connection ids, config sections) that also has a fixed key or two: a name that is not
      // close to a fixed key is an invalid name, not an unknown key.
      if (patterns.length > 0 && !guess && (known.length === 0 || !patterns.some((p) => p.startsWith('^x-')))) {
        const fixed = suggestKey(key, patterns);
        const shown = patterns.map((p) => p.replace(/\(\?![^)]*\)/g, ''));
        return at(
          'AFC1010',
          [...path, key],
          'key',
          `invalid key "${key}" in ${here}: keys must match ${shown.join(' or ')}`,
          fixed ? `did you mean "${fixed}"?` : undefined,
        );
      }
      const where = path.length === 0 ? 'at the top level' : `in ${here}`;
      const hint = guess
        ? `did you mean "${guess}"?`
        : known.length > 0
          ? `allowed keys: ${known.join(', ')}${patterns.length ? ` (or a key matching ${patterns.join(', ')})` : ''}`
          : `${here} takes no keys`;
      return at('AFC1001', [...path, key], 'key', `unknown key "${key}" ${where}`, hint);
    }
    case 'required': {
      const missing = String(params.missingProperty);
      const property = childSchema(node, missing);
      const sample = property && exampleOf(property);
      const hint = [property?.description, sample !== undefined ? `For example: ${missing}: ${JSON.stringify(sample)}` : undefined].filter(Boolean).join(' ');
      const where = path.length === 0 ? 'at the top level' : `in ${here}`;
      return at('AFC1002', path, 'key', `missing required key "${missing}" ${where}`, hint || undefined);
    }
    case 'type':
    case 'anyOfType': {
      const expected = describeExpected(
        issue.keyword === 'type' ? (node.type === params.type ? node : { type: String(params.type) }) : (schemaAt(path, data, false) ?? {}),
      );
      const found = describeFound(value);
      const written = writtenAt(target, path) ?? String(value);
      let hint = node.description;
      if (expected === 'a string' && (typeof value === 'number' || typeof value === 'boolean')) {
        const fits = !node.pattern || new RegExp(node.pattern, 'u').test(written);
        const example = node.examples?.[0];
        hint =
          fits || example === undefined
            ? `quote it to keep it text: "${written}"`
            : `quote it, and write it in full, like ${JSON.stringify(example)}: YAML reads ${written} as the number ${String(value)}`;
      } else if (
        (params.type === 'number' || params.type === 'integer') &&
        typeof value === 'string' &&
        value.trim() !== '' &&
        Number.isFinite(Number(value))
      ) {
        hint = `remove the quotes: ${value}`;
      } else if (value === null) {
        hint = 'the value is empty; give one, or remove the key';
      }
      return at('AFC1003', path, 'value', `${here} must be ${expected}, found ${found}`, hint);
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]) ?? node.enum ?? [];
      const guess = typeof value === 'string' ? didYouMean(value, allowed.map(String)) : typeof value === 'number' ? nearest(value, allowed) : undefined;
      const list = allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
      return at(
        'AFC1004',
        path,
        'value',
        `${here} must be one of ${list}; found ${JSON.stringify(value)}`,
        guess !== undefined ? `did you mean ${JSON.stringify(guess)}?` : undefined,
      );
    }
    case 'pattern': {
      const pattern = String(params.pattern);
      const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
      const hint = lower !== undefined && lower !== value && new RegExp(pattern, 'u').test(lower) ? `did you mean "${lower}"?` : node.description;
      return at('AFC1005', path, 'value', `${here} ${JSON.stringify(value)} does not match ${pattern}`, hint);
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const op = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' }[issue.keyword];
      return at('AFC1006', path, 'value', `${here} must be ${op} ${String(params.limit)}, found ${JSON.stringify(value)}`, node.description);
    }
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const unit = issue.keyword.endsWith('Length') ? 'characters' : 'items';
      const size = Array.isArray(value) ? value.length : typeof value === 'string' ? [...value].length : 0;
      const bound = issue.keyword.startsWith('min') ? 'at least' : 'at most';
      return at('AFC1007', path, 'value', `${here} must have ${bound} ${String(params.limit)} ${unit}, found ${size}`, node.description);
    }
    case 'minProperties':
    case 'maxProperties': {
      const options = Object.keys(node.properties ?? {});
      const present = value && typeof value === 'object' ? Object.keys(value) : [];
      if (node.minProperties === 1 && node.maxProperties === 1) {
        const message = `${here} must have exactly one of ${options.join(', ')}; found ${present.length === 0 ? 'none' : present.join(' and ')}`;
        return present.length > 1
          ? at('AFC1008', [...path, present[1]!], 'key', message, `keep one of ${present.join(', ')}`)
          : at('AFC1008', path, 'key', message, node.description);
      }
      return at('AFC1099', path, 'key', `${here} has the wrong number of keys`, node.description);
    }
    case 'uniqueItems': {
      const later = Math.max(Number(params.i), Number(params.j));
      const earlier = Math.min(Number(params.i), Number(params.j));
      const item = Array.isArray(value) ? value[later] : undefined;
      return at(
        'AFC1009',
        [...path, later],
        'value',
        `duplicate item ${JSON.stringify(item)} in ${here} (same as item ${earlier + 1})`,
        'remove the duplicate',
      );
    }
    default:
      return at('AFC1099', path, 'value', `${here} is not valid (${issue.keyword})`, node.description);
  }
}

function describeFound(value: unknown): string {
  switch (typeOf(value)) {
    case 'null':
      return 'nothing';
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'string':
      return `the string ${JSON.stringify(value)}`;
    case 'boolean':
      return `the boolean ${String(value)}`;
    default:
      return `the number ${String(value)}`;
  }
}

function exampleOf(node: SchemaNode): unknown {
  return node.examples?.[0] ?? node.default;
}

function nearest(value: number, allowed: unknown[]): number | undefined {
  const numbers = allowed.filter((v): v is number => typeof v === 'number');
  return numbers.reduce<number | undefined>((best, n) => (best === undefined || Math.abs(n - value) < Math.abs(best - value) ? n : best), undefined);
}

/** A key that would be valid: `my-conn` → `my_conn`, `Core` → `core`. */
function suggestKey(key: string, patterns: string[]): string | undefined {
  const candidates = [key.replace(/[^A-Za-z0-9_]/g, '_'), key.toLowerCase(), key.toLowerCase().replace(/[^a-z0-9_]/g, '_')];
  return candidates.find((c) => c !== key && patterns.some((p) => new RegExp(p, 'u').test(c)));
}
