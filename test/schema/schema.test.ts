import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { generatedFiles } from '../../scripts/generate.ts';
import { REPO } from '../support/cli.ts';

const schema = JSON.parse(readFileSync(`${REPO}/schema/airflow.schema.json`, 'utf8'));

interface Walked {
  pointer: string;
  node: Record<string, unknown>;
}

/** Every subschema, with its JSON Pointer. */
function walk(node: unknown, pointer = '#'): Walked[] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [];
  const out: Walked[] = [{ pointer, node: node as Record<string, unknown> }];
  const record = node as Record<string, unknown>;
  for (const key of ['properties', 'patternProperties', 'definitions']) {
    for (const [name, child] of Object.entries((record[key] as Record<string, unknown>) ?? {})) out.push(...walk(child, `${pointer}/${key}/${name}`));
  }
  for (const key of ['items', 'additionalProperties']) if (typeof record[key] === 'object') out.push(...walk(record[key], `${pointer}/${key}`));
  for (const [i, branch] of ((record.anyOf as unknown[]) ?? []).entries()) out.push(...walk(branch, `${pointer}/anyOf/${i}`));
  return out;
}

describe('airflow.schema.json', () => {
  it('compiles in ajv as draft-07 with strict mode on', () => {
    const ajv = new Ajv({ strict: true });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe('https://afc.dev/schema/airflow/v1.json');
  });

  it('closes every mapping with additionalProperties: false', () => {
    const open = walk(schema).filter(
      ({ node }) => node.type === 'object' && (node.properties || node.patternProperties) && node.additionalProperties !== false,
    );
    expect(open.map((w) => w.pointer)).toEqual([]);
  });

  it('describes every property (directly or through its $ref)', () => {
    const resolve = (ref: string) =>
      ref
        .slice(2)
        .split('/')
        .reduce<Record<string, unknown>>((at, p) => at[p] as Record<string, unknown>, schema);
    const undocumented = walk(schema)
      .filter(({ pointer }) => /\/(properties|patternProperties)\/[^/]+$/.test(pointer))
      .filter(({ node }) => !node.description && !(typeof node.$ref === 'string' && resolve(node.$ref).description));
    expect(undocumented.map((w) => w.pointer)).toEqual([]);
  });

  it('defines secret references once, as exactly one of ssm, env, file, value', () => {
    const secretRef = schema.definitions.secretRef;
    expect(Object.keys(secretRef.properties)).toEqual(['ssm', 'env', 'file', 'value']);
    expect([secretRef.minProperties, secretRef.maxProperties]).toEqual([1, 1]);
    const inlineCopies = walk(schema).filter(
      ({ pointer, node }) =>
        pointer !== '#/definitions/secretRef' &&
        node.properties &&
        'ssm' in (node.properties as object) &&
        !(node.properties as Record<string, { $ref?: string }>).ssm!.$ref,
    );
    expect(inlineCopies.map((w) => w.pointer)).toEqual([]);
  });

  it('keeps the generated types and docs/spec.md current (run `npm run generate`)', async () => {
    for (const [path, content] of Object.entries(await generatedFiles())) {
      expect(readFileSync(`${REPO}/${path}`, 'utf8'), `${path} is stale: run npm run generate`).toBe(content);
    }
  });
});
