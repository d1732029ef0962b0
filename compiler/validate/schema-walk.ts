import schema from '../../schema/airflow.schema.json' with { type: 'json' };
import type { SpecPath } from '../diagnostics/problem.ts';

/** The subset of JSON Schema that airflow.schema.json uses. */
export interface SchemaNode {
  $ref?: string;
  type?: string;
  title?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  patternProperties?: Record<string, SchemaNode>;
  additionalProperties?: boolean | SchemaNode;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  enum?: unknown[];
  pattern?: string;
  minProperties?: number;
  maxProperties?: number;
  default?: unknown;
  examples?: unknown[];
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}

export const rootSchema = schema as SchemaNode;

export function resolveRef(node: SchemaNode): SchemaNode {
  let current = node;
  while (current.$ref) {
    // Only local JSON Pointers occur in this schema.
    const target = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((at, part) => (at as Record<string, unknown>)[part.replace(/~1/g, '/').replace(/~0/g, '~')], schema);
    // A $ref's sibling description and default describe this use; they win over the target's.
    const { $ref: _, ...siblings } = current;
    current = { ...(target as SchemaNode), ...siblings };
  }
  return current;
}

export function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

export function typeMatches(type: string | undefined, value: unknown): boolean {
  if (type === undefined) return true;
  const actual = typeOf(value);
  return type === actual || (type === 'number' && actual === 'integer');
}

/** For an anyOf, the branch the value can belong to (by type), if any. */
export function branchFor(node: SchemaNode, value: unknown): SchemaNode | undefined {
  if (!node.anyOf) return node;
  for (const branch of node.anyOf) {
    const resolved = resolveRef(branch);
    if (typeMatches(resolved.type, value)) return resolved;
  }
  return undefined;
}

/** The schema of the child `key` of an object schema. */
export function childSchema(node: SchemaNode, key: string | number): SchemaNode | undefined {
  if (typeof key === 'number') return node.items ? resolveRef(node.items) : undefined;
  const property = node.properties?.[key];
  if (property) return resolveRef(property);
  for (const [pattern, sub] of Object.entries(node.patternProperties ?? {})) {
    if (new RegExp(pattern, 'u').test(key)) return resolveRef(sub);
  }
  return typeof node.additionalProperties === 'object' ? resolveRef(node.additionalProperties) : undefined;
}

/**
 * The schema that describes the value at `path` of `data`, following anyOf
 * by the data's type; with `pickBranch` false, the last anyOf stays whole.
 */
export function schemaAt(path: SpecPath, data: unknown, pickBranch = true): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolveRef(rootSchema);
  let value: unknown = data;
  for (const segment of path) {
    node = node && branchFor(node, value);
    if (!node) return undefined;
    node = childSchema(node, segment);
    value = value === null || typeof value !== 'object' ? undefined : (value as Record<string | number, unknown>)[segment];
  }
  return node && (pickBranch ? branchFor(node, value) : node);
}

/** How a schema's expected value is named in messages. */
export function describeExpected(node: SchemaNode): string {
  if (node.anyOf) {
    const names = node.anyOf.map((b) => describeExpected(resolveRef(b)));
    return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names.join('');
  }
  if (node.title === 'SecretRef') return 'a secret reference ({ ssm | env | file | value: … })';
  switch (node.type) {
    case 'object':
      return 'a mapping';
    case 'array':
      return 'a list';
    case 'integer':
      return 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'string':
      return 'a string';
    default:
      return 'a value';
  }
}
