import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`, one level at a time: Node's recursive mkdir never returns for
 * some paths (under /proc), and a failure here names the level that failed.
 */
export function makeDirectory(path: string): void {
  const missing: string[] = [];
  for (let current = resolve(path); !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const dir of missing) mkdirSync(dir);
}

/** A file-system failure as one line for a person: what could not be done, where, and why. */
export function fileSystemProblem(action: string, path: string, error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    ENOENT: 'a folder on the way does not exist',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EEXIST: 'a file is in the way',
    EISDIR: 'it is a folder',
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EBUSY: 'it is busy (a mount point, or in use)',
    EXDEV: 'it is on another file system',
  };
  return code && why[code] ? `cannot ${action} ${path}: ${why[code]}` : undefined;
}
