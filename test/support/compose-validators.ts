import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { parse } from 'yaml';

/** The compose-spec JSON schema shipped in the dclint package (its exports do not list it, so by path). */
const schema = JSON.parse(readFileSync(new URL('../../node_modules/dclint/schemas/compose.schema.json', import.meta.url), 'utf8'));
// The schema names its meta-schema by https, which ajv does not bundle; it uses no formats.
const validateCompose = new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(schema);

export function composeSchemaErrors(text: string): string[] {
  if (validateCompose(parse(text))) return [];
  return (validateCompose.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Debian's docker-compose 1.29: `config -q` resolves .env, env_file, volumes and depends_on. */
export function dockerComposeConfig(dir: string): { status: number | null; output: string } {
  const result = spawnSync('docker-compose', ['config', '-q'], { cwd: dir, encoding: 'utf8', env: { ...process.env, AIRFLOW_UID: '50000' } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
