import { UsageError } from './usage-error.ts';

const WHY: Record<string, string> = {
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

/**
 * Runs a write; a file-system failure the user can act on (a path in the
 * way, permissions, a full disk) becomes one line, exit 2, without a stack
 * trace. Anything else is afc's bug and stays as it is.
 */
export function writing<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (error) {
    const why = WHY[(error as NodeJS.ErrnoException | undefined)?.code ?? ''];
    if (!why) throw error;
    throw new UsageError(`cannot write ${path}: ${why}`);
  }
}
