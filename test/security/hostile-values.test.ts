import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
import { goYamlLoad, HOSTILE_STRINGS, haveGo } from '../support/hostile.ts';
import { expand } from '../runtime/readers/kubernetes/expansion.ts';

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

  it.skipIf(!haveGo())('eks: args and env values as the kubelet expands them, read with go-yaml', async () => {
    const firstName = HOSTILE_STRINGS.join('|');
    const spec = hostileCopy('eks-rds', (doc) => {
      doc.setIn(['variables'], doc.createNode(variables));
      doc.setIn(['secrets', 'adminUser', 'firstName'], firstName);
      doc.setIn(['secrets', 'adminUser', 'lastName'], '$(AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)');
    });
    const outDir = await build(spec, 'eks', { offline: true });
    const objects = readdirSync(outDir)
      .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
      .flatMap((f) => goYamlLoad(readFileSync(join(outDir, f), 'utf8'))) as { kind: string; spec?: { template?: { spec: PodSpec } } }[];
    type Container = { name: string; command?: string[]; args?: string[]; env?: { name: string; value?: string }[] };
    type PodSpec = { containers: Container[]; initContainers?: Container[] };
    // Any $(NAME) left unescaped would become this: the kubelet knows every variable of the container.
    const expanded = (text: string) => expand(text, () => 'EXPANDED-BY-KUBELET');
    const containers = objects.flatMap((o) => (o.spec?.template ? [...o.spec.template.spec.containers, ...(o.spec.template.spec.initContainers ?? [])] : []));
    const createUser = containers.find((c) => c.name === 'create-user')!;
    const args = createUser.args!.map(expanded);
    expect(args[args.indexOf('--firstname') + 1]).toBe(firstName);
    expect(args[args.indexOf('--lastname') + 1]).toBe('$(AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)');
    // The password is the one reference afc means.
    expect(args.at(-1)).toBe('EXPANDED-BY-KUBELET');
    // Each variable, wherever it is (a container's env, expanded; a ConfigMap, read as is), is the spec's string.
    const seen: [string, string][] = [
      ...containers.flatMap((c) => (c.env ?? []).filter((e) => e.value !== undefined).map((e): [string, string] => [e.name, expanded(e.value!)])),
      ...objects.filter((o) => o.kind === 'ConfigMap').flatMap((o) => Object.entries((o as { data?: Record<string, string> }).data ?? {})),
    ].filter(([name]) => name.startsWith('AIRFLOW_VAR_HOSTILE_'));
    expect(new Set(seen.map(([name]) => name))).toEqual(new Set(Object.keys(expectedVariables)));
    for (const [name, value] of seen) expect(value, name).toBe(expectedVariables[name]);
  });
});
