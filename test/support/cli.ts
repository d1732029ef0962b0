import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
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
