import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

export interface WrittenFile {
  path: string;
  permissions: string;
  content: string;
}

/** A #cloud-config document as data. */
export function cloudConfigOf(text: string): { write_files: WrittenFile[]; runcmd: string[][]; packages: string[] } {
  if (!text.startsWith('#cloud-config\n')) throw new Error('user data does not start with #cloud-config');
  return parse(text) as never;
}

/** cloud-init's own schema check of a cloud-config file. */
export function cloudInitSchema(file: string): { status: number | null; output: string } {
  const result = spawnSync('cloud-init', ['schema', '--config-file', file], { encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
