import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { buildOutput } from '../../compiler/build/build.ts';
import { TargetRegistry } from '../../compiler/targets/registry.ts';
import { writeOutput } from '../../compiler/write/write-output.ts';
import { readCompose } from '../runtime/readers/compose.ts';
import { COMPOSE_CONFIG } from '../runtime/translation.ts';
import { REPO } from '../support/cli.ts';
import { HOSTILE_STRINGS } from '../support/hostile.ts';

/** Variable keys for the hostile strings, in order: AIRFLOW_VAR_HOSTILE_0 … */
const variables = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`hostile_${i}`, s]));
const expectedVariables = Object.fromEntries(HOSTILE_STRINGS.map((s, i) => [`AIRFLOW_VAR_HOSTILE_${i}`, s]));

/** A copy of examples/NAME with `edit` applied to its spec (through a YAML document, so the spec's own quoting is right). */
function hostileCopy(example: string, edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), `afc-hostile-${example}-`));
  cpSync(join(REPO, 'examples', example), dir, { recursive: true, filter: (source) => !source.startsWith(join(REPO, 'examples', example, 'out')) });
  const doc = parseDocument(readFileSync(join(dir, 'airflow.yaml'), 'utf8'));
  edit(doc);
  writeFileSync(join(dir, 'airflow.yaml'), doc.toString());
  return join(dir, 'airflow.yaml');
}

async function build(spec: string, targetName: string, options: { offline?: boolean } = {}) {
  const target = (await new TargetRegistry().get(targetName))!;
  const outDir = join(spec, '..', 'out');
  const result = await buildOutput({ file: spec, target, outDir, ...options });
  assert(result.ok, result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  writeOutput(outDir, result.files);
  return outDir;
}

describe('hostile values reach each platform unchanged', () => {
  it.skipIf(!existsSync(COMPOSE_CONFIG))('compose: as Compose reads the bundle (interpolation, env files)', async () => {
    const spec = hostileCopy('local', (doc) => {
      doc.setIn(['variables'], doc.createNode(variables));
      doc.setIn(['airflow', 'env', 'HOSTILE_ENV'], HOSTILE_STRINGS.join('|'));
      doc.setIn(['airflow', 'image'], doc.createNode({ repository: 'registry.example.com:5000/team/air-flow__x', tag: 'v1.2_x-y' }));
    });
    const plan = await readCompose(await build(spec, 'compose'));
    const scheduler = plan.pods.find((p) => p.name === 'airflow-scheduler')!.containers[0]!;
    expect(scheduler.env).toMatchObject({ ...expectedVariables, HOSTILE_ENV: HOSTILE_STRINGS.join('|') });
    expect(scheduler.image).toBe('registry.example.com:5000/team/air-flow__x:v1.2_x-y');
  });
});
