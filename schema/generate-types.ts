import { compile, type JSONSchema } from 'json-schema-to-typescript';

/** TypeScript types of a spec, generated from the schema (titles name the interfaces). */
export async function specTypesSource(schema: JSONSchema): Promise<string> {
  return compile(schema, 'AirflowSpec', {
    bannerComment: '// Generated from schema/airflow.schema.json by `npm run generate`; do not edit.',
    additionalProperties: false,
    unreachableDefinitions: false,
    declareExternallyReferenced: true,
    format: true,
    style: { singleQuote: true, printWidth: 120 },
    cwd: new URL('.', import.meta.url).pathname,
  });
}
