import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { MANIFEST, parseManifest, type OutputFile } from './output-file.ts';

/** Files in `dir` that afc wrote last time, from its manifest. */
export function ownedFiles(dir: string): string[] {
  try {
    return parseManifest(readFileSync(join(dir, MANIFEST), 'utf8'));
  } catch {
    return [];
  }
}

/**
 * Replaces the output folder as a whole: the new files are written into a
 * temporary folder beside it, together with every file afc does not own
 * (copied over untouched), and the folders are then swapped by rename. A
 * failure before the swap leaves the previous output as it was.
 */
export function writeOutput(dir: string, files: readonly OutputFile[]): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.afc-new-`));
  try {
    chmodSync(staging, 0o755);
    if (existsSync(dir)) {
      const owned = new Set(ownedFiles(dir));
      for (const path of listFiles(dir)) {
        if (!owned.has(path)) cpSync(join(dir, path), join(staging, path), { preserveTimestamps: true });
      }
    }
    for (const file of files) {
      const target = join(staging, file.path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, file.content, { mode: file.secret ? 0o600 : 0o644 });
      // The mode given to writeFileSync is filtered by the umask; set it exactly.
      chmodSync(target, file.secret ? 0o600 : 0o644);
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (!existsSync(dir)) {
    renameSync(staging, dir);
    return;
  }
  const previous = `${staging.replace('.afc-new-', '.afc-old-')}`;
  renameSync(dir, previous);
  try {
    renameSync(staging, dir);
  } catch (error) {
    renameSync(previous, dir);
    throw error;
  }
  rmSync(previous, { recursive: true, force: true });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}
