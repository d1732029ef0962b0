import { mkdtempSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildOutput, type BuildRequest } from '../../compiler/build/build.ts';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic.ts';
import type { Target } from '../../compiler/targets/target.ts';
import { writeOutput } from '../../compiler/write/write-output.ts';

/**
 * A testing helper for target authors: writes a spec (and files beside it)
 * into a fresh folder, builds it with a target, writes the output, and
 * returns what was written.
 */
export async function buildInTemp(
  target: Target,
  spec: string,
  files: Record<string, string> = {},
  environment?: string,
  options: Pick<BuildRequest, 'offline' | 'openSsm'> = {},
) {
  const dir = specFolder(target.name, spec, files);
  const outDir = join(dir, 'out');
  const result = await buildOutput({ file: join(dir, 'airflow.yaml'), target, outDir, ...(environment ? { environment } : {}), ...options });
  const errors = result.diagnostics.filter((d: Diagnostic) => d.severity === 'error');
  if (result.ok) writeOutput(outDir, result.files);
  return { dir, outDir, result, errors, read: (path: string) => readFileSync(join(outDir, path), 'utf8'), tree: () => snapshotTree(outDir) };
}

/** A fresh folder with `airflow.yaml` holding `spec`, and `files` beside it. */
export function specFolder(name: string, spec: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `afc-${name}-`));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  writeFileSync(join(dir, 'airflow.yaml'), spec);
  return dir;
}

/** Every file of a folder with its mode and bytes, to compare two builds. */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[relative(dir, path)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path, 'utf8')}`;
  }
  return out;
}
