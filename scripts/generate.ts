// Regenerates what is derived from schema/airflow.schema.json and committed:
// the TypeScript types and docs/spec.md. test/schema/schema.test.ts fails when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { specTypesSource } from '../schema/generate-types.ts';
import { specReferenceMarkdown } from '../schema/generate-docs.ts';

const root = new URL('..', import.meta.url);
const schema = JSON.parse(readFileSync(new URL('schema/airflow.schema.json', root), 'utf8'));

export async function generatedFiles(): Promise<Record<string, string>> {
  return {
    'schema/generated/types.ts': await specTypesSource(schema),
    'docs/spec.md': specReferenceMarkdown(schema),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [path, content] of Object.entries(await generatedFiles())) {
    writeFileSync(new URL(path, root), content);
    console.log(`wrote ${path}`);
  }
}
