import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const AFC_BIN = fileURLToPath(new URL('../../bin/afc.cjs', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `afc` as a user would. */
export function afc(args: string[], options: SpawnSyncOptions = {}): CliResult {
  const result = spawnSync(process.execPath, [AFC_BIN, ...args], { encoding: 'utf8', cwd: REPO, ...options });
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/**
 * Copies examples/<name> to `dest` as committed: without the out/ folder that
 * the README's quick start writes beside the spec (git-ignored), which would
 * otherwise make a test's fresh build find an output already there.
 */
export function copyExample(name: string, dest: string): void {
  const out = join(REPO, 'examples', name, 'out');
  cpSync(join(REPO, 'examples', name), dest, { recursive: true, filter: (source) => source !== out && !source.startsWith(`${out}/`) });
}
