import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { makeDirectory } from './make-directory.ts';
import { checkOutputPath, MANIFEST, parseManifest, type OutputFile } from './output-file.ts';

/**
 * Files in `dir` that afc wrote last time, from its manifest. A line that
 * leaves the folder (`../secrets/key`, an absolute path) is not afc's: the
 * manifest is a file anyone can edit, and diff would show it.
 */
export function ownedFiles(dir: string): string[] {
  try {
    return parseManifest(readFileSync(join(dir, MANIFEST), 'utf8')).filter((path) => checkOutputPath(path) === undefined);
  } catch {
    return [];
  }
}

/**
 * Why `dir` cannot be an output folder, if it cannot: afc replaces the folder
 * whole, so it must be a folder of its own, not the current folder or one of
 * its parents, and not the spec's.
 */
export function outputFolderProblem(dir: string, spec: string): string | undefined {
  const out = resolve(dir);
  const inside = (path: string) => {
    const rel = relative(out, resolve(path));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  if (existsSync(out) && !statSync(out).isDirectory()) return `${dir} is a file, not a folder`;
  if (inside(process.cwd())) return `the output folder ${dir} is the current folder or holds it; afc replaces its output folder as a whole`;
  if (inside(spec)) return `the output folder ${dir} holds the spec; afc replaces its output folder as a whole`;
  return undefined;
}

/**
 * The files a write would replace that afc did not write: each of `files`
 * that is on disk in `dir` (as a file, folder or link) and not in the
 * folder's manifest. A folder without a manifest owns nothing, so a
 * hand-written `main.tf` where afc writes one is foreign.
 */
export function foreignFiles(dir: string, files: readonly OutputFile[]): string[] {
  if (!existsSync(dir)) return [];
  const owned = new Set(ownedFiles(dir));
  return files
    .map((f) => f.path)
    .filter((path) => path !== MANIFEST && !owned.has(path) && lstatOrUndefined(join(dir, path)) !== undefined)
    .sort();
}

/** A write that would replace files afc did not write (see {@link foreignFiles}). */
export class ForeignFilesError extends Error {
  constructor(
    readonly dir: string,
    readonly paths: readonly string[],
  ) {
    super(`${dir} holds files afc did not write, which this build would replace: ${paths.join(', ')}`);
  }
}

export interface WriteOptions {
  /** Replace files afc did not write, too (`afc build --force`). */
  force?: boolean;
}

/**
 * Replaces the output folder as a whole: the new files are written into a
 * temporary folder beside it, together with every file afc does not own
 * (copied over untouched), and the folders are then swapped by rename. A
 * failure before the swap leaves the previous output as it was. A file
 * afc did not write is never replaced unless `force` says so: it throws
 * {@link ForeignFilesError} before touching anything.
 */
export function writeOutput(dir: string, files: readonly OutputFile[], options: WriteOptions = {}): void {
  if (!options.force) {
    const foreign = foreignFiles(dir, files);
    if (foreign.length > 0) throw new ForeignFilesError(dir, foreign);
  }
  const parent = dirname(dir);
  makeDirectory(parent);
  const staging = mkdtempSync(join(parent, `.${basename(dir)}.afc-new-`));
  try {
    chmodSync(staging, 0o755);
    if (existsSync(dir)) {
      const owned = new Set(ownedFiles(dir));
      for (const path of listFiles(dir)) {
        if (!owned.has(path)) cpSync(join(dir, path), join(staging, path), { preserveTimestamps: true });
      }
      // afc never makes an empty folder: one that is there is someone else's.
      for (const path of emptyFolders(dir)) mkdirSync(join(staging, path), { recursive: true });
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

function lstatOrUndefined(path: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

function emptyFolders(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isDirectory() && readdirSync(join(entry.parentPath, entry.name)).length === 0)
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
}
