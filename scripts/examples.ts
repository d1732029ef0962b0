// Rebuilds out/<example>/<target>/ for every example and every target it supports: `npm run examples`.
// test/examples/outputs.test.ts fails when the committed output is stale.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildOutput } from '../compiler/build/build.ts';
import { TargetRegistry } from '../compiler/targets/registry.ts';
import { writeOutput } from '../compiler/write/write-output.ts';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Which example builds for which target. Committed output is built
 * --offline: it never depends on access to AWS, so an example whose secrets
 * are in SSM is committed only for targets that reference them.
 */
export const EXAMPLE_OUTPUTS: readonly { example: string; target: string }[] = [
  { example: 'local', target: 'compose' },
  { example: 'ec2-host', target: 'ec2' },
  { example: 'eks-rds', target: 'eks' },
  { example: 'eks-celery', target: 'eks' },
  { example: 'ecs-celery', target: 'ecs' },
];

export async function buildExample(example: string, targetName: string) {
  const target = await new TargetRegistry().get(targetName);
  if (!target) throw new Error(`no target ${targetName}`);
  const outDir = join(root, 'out', example, targetName);
  return { outDir, result: await buildOutput({ file: join(root, 'examples', example, 'airflow.yaml'), target, outDir, offline: true }) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const { example, target } of EXAMPLE_OUTPUTS) {
    const { outDir, result } = await buildExample(example, target);
    if (!result.ok) throw new Error(`${example} --target ${target}: ${result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ')}`);
    writeOutput(outDir, result.files);
    console.log(`wrote out/${example}/${target}`);
  }
}
