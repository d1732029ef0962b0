import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assert } from 'vitest';
import { parseDocument } from 'yaml';
import { buildOutput } from '../../compiler/build/build.ts';
import { TargetRegistry } from '../../compiler/targets/registry.ts';
import { writeOutput } from '../../compiler/write/write-output.ts';
import { REPO } from './cli.ts';

/** A copy of examples/NAME with `edit` applied to its spec (through a YAML document, so the spec's own quoting is right). */
export function hostileCopy(example: string, edit: (doc: ReturnType<typeof parseDocument>) => void): string {
  const dir = mkdtempSync(join(tmpdir(), `afc-hostile-${example}-`));
  cpSync(join(REPO, 'examples', example), dir, { recursive: true, filter: (source) => !source.startsWith(join(REPO, 'examples', example, 'out')) });
  const doc = parseDocument(readFileSync(join(dir, 'airflow.yaml'), 'utf8'));
  edit(doc);
  // Never folded: the yaml library's folding of a double-quoted string writes other text when a
  // line break escape is followed by a space ("\n \n" came back as "\n\\\n"), which every reader then reads.
  writeFileSync(join(dir, 'airflow.yaml'), doc.toString({ lineWidth: 0, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY }));
  return join(dir, 'airflow.yaml');
}

export async function build(spec: string, targetName: string, options: { offline?: boolean } = {}) {
  const target = (await new TargetRegistry().get(targetName))!;
  const outDir = join(spec, '..', 'out');
  const result = await buildOutput({ file: spec, target, outDir, ...options });
  assert(result.ok, result.diagnostics.map((d) => `${d.code} ${d.message}`).join('; '));
  writeOutput(outDir, result.files);
  return outDir;
}
