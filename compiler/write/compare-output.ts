import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { GITIGNORE, type OutputFile } from './output-file.ts';
import { ownedFiles } from './write-output.ts';

export interface OutputChange {
  path: string;
  kind: 'added' | 'changed' | 'removed';
  secret: boolean;
}

/**
 * What a write would change in `dir`. Secret files are left out: they are
 * git-ignored, so a clean checkout never has them, and their content is not
 * for comparing in the open.
 */
export function compareOutput(dir: string, files: readonly OutputFile[]): OutputChange[] {
  const changes: OutputChange[] = [];
  const wanted = new Set(files.map((f) => f.path));
  for (const file of files) {
    if (file.secret) continue;
    const path = join(dir, file.path);
    if (!existsSync(path)) changes.push({ path: file.path, kind: 'added', secret: false });
    else if (readFileSync(path, 'utf8') !== file.content) changes.push({ path: file.path, kind: 'changed', secret: false });
  }
  const secretPaths = new Set(files.filter((f) => f.secret).map((f) => f.path));
  for (const path of ownedFiles(dir)) {
    if (!wanted.has(path) && !secretPaths.has(path) && existsSync(join(dir, path))) changes.push({ path, kind: 'removed', secret: false });
  }
  return changes.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** A unified diff of what a write would change; a secret file shows only its size. */
export function diffOutput(dir: string, files: readonly OutputFile[], label: string): string {
  const patches: string[] = [];
  const wanted = new Map(files.map((f) => [f.path, f]));
  const paths = [...new Set([...wanted.keys(), ...ownedFiles(dir)])].sort();
  const wasSecret = secretFilesOnDisk(dir);
  for (const path of paths) {
    const file = wanted.get(path);
    const onDisk = join(dir, path);
    const before = existsSync(onDisk) ? readFileSync(onDisk, 'utf8') : undefined;
    const after = file?.content;
    if (before === after) continue;
    // A file on disk that a build no longer writes was secret if afc listed it so, or only its owner may read it.
    const secret = file?.secret || (before !== undefined && wasSecret.has(path)) || (before !== undefined && (statSync(onDisk).mode & 0o077) === 0);
    const show = (text: string | undefined) => (text === undefined ? '' : secret ? `<redacted: ${Buffer.byteLength(text)} bytes>\n` : text);
    patches.push(
      createTwoFilesPatch(
        before === undefined ? '/dev/null' : `a/${label}/${path}`,
        after === undefined ? '/dev/null' : `b/${label}/${path}`,
        show(before),
        show(after),
        undefined,
        undefined,
        { context: 3 },
      ).replace(/^=+\n/, ''),
    );
  }
  return patches.join('');
}

/** The secret files the output on disk lists in afc's .gitignore (`/path` lines). */
function secretFilesOnDisk(dir: string): Set<string> {
  const gitignore = join(dir, GITIGNORE);
  if (!existsSync(gitignore)) return new Set();
  return new Set(
    readFileSync(gitignore, 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('/'))
      .map((line) => line.slice(1)),
  );
}
