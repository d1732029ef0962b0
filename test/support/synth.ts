import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { synth } from 'afc/testing';
import type { Target } from 'afc/target';
import { writeOutput } from '../../compiler/write/write-output.ts';
import { snapshotTree, specFolder } from './build.ts';

/**
 * Builds a spec with a target through `afc/testing` (what plugin authors
 * use), with `files` beside the spec, and writes the output to disk for the
 * ecosystem validators. SSM is offline, or as the SDK finds it (moto).
 */
export async function synthInTemp(target: Target, spec: string, files: Record<string, string> = {}, environment?: string, options: { offline?: boolean } = {}) {
  const dir = specFolder(target.name, spec, files);
  const outDir = join(dir, 'out');
  const result = await synth(target, spec, {
    file: join(dir, 'airflow.yaml'),
    ...(environment ? { environment } : {}),
    ...(options.offline ? {} : { ssm: 'aws' }),
  });
  if (result.ok) writeOutput(outDir, result.files);
  const errors = result.problems.filter((d) => d.severity === 'error');
  return { dir, outDir, result, errors, read: (path: string) => readFileSync(join(outDir, path), 'utf8'), tree: () => snapshotTree(outDir) };
}
