import { closeSync, constants, fstatSync, openSync, readSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * The largest `{ file: }` secret afc reads, in bytes: 64 KiB, the size of the
 * largest secret value any store afc's targets hand secrets to accepts
 * (AWS Secrets Manager, 65,536 bytes; an SSM advanced parameter holds 8 KB,
 * a Kubernetes Secret 1 MiB as a whole). A key, a password, a connection
 * URI or a PEM key is far below it; anything bigger is not a secret value.
 */
export const SECRET_FILE_MAX_BYTES = 65_536;

/**
 * Pseudo file systems whose "files" are the running process's or the
 * machine's state (`/proc/self/environ` holds the builder's environment,
 * `/dev/zero` never ends): never a secret file, whatever the opt-in says.
 */
const PSEUDO = ['/proc', '/sys', '/dev'];

/** Why a `{ file: }` secret cannot be read: a message and a hint, for AFC4002/AFC4003. */
export interface SecretFileRefusal {
  /** AFC4002: the file is not there or not readable; AFC4003: afc refuses to read it. */
  code: 'AFC4002' | 'AFC4003';
  reason: string;
  hint: string;
}

export interface SecretFileOptions {
  /** The spec; relative paths are resolved against its folder, and files must be inside it. */
  specFile: string;
  /** More folders (besides the spec's) whose files may be read: `--secret-files-from DIR`. */
  allowedFolders?: readonly string[];
}

/**
 * Reads one `{ file: }` secret: the value (UTF-8, one trailing line break
 * dropped), or why not. Only a regular file is read, after its path is
 * resolved through every symbolic link: it must then lie inside the spec's
 * folder or an allowed folder, outside /proc, /sys and /dev, and hold at
 * most {@link SECRET_FILE_MAX_BYTES} bytes (read through the opened file, so
 * a file that grows meanwhile is cut off, never read whole).
 */
export function readSecretFile(file: string, options: SecretFileOptions): { value: string } | SecretFileRefusal {
  const specDir = dirname(resolve(options.specFile));
  const asked = resolve(specDir, file);
  let real: string;
  try {
    real = realpathSync(asked);
  } catch (error) {
    return errnoRefusal(error);
  }
  const pseudo = PSEUDO.find((root) => inside(root, real));
  if (pseudo)
    return {
      code: 'AFC4003',
      reason: `${real} is under ${pseudo}, a view of the machine's state, not a file`,
      hint: 'keep the secret in a regular file beside the spec',
    };
  const folders = [specDir, ...(options.allowedFolders ?? []).map((f) => resolve(f))].map(realFolder);
  if (!folders.some((folder) => inside(folder, real)))
    return {
      code: 'AFC4003',
      reason: `${real === asked ? real : `${asked} (${real})`} is outside the spec's folder ${specDir}`,
      hint: 'move the file beside the spec, or allow its folder with --secret-files-from DIR',
    };
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    fd = openSync(real, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    return errnoRefusal(error);
  }
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { code: 'AFC4002', reason: 'it is a directory', hint: 'paths are relative to the spec' };
    if (!stat.isFile()) return { code: 'AFC4003', reason: `${real} is not a regular file (a device, pipe or socket)`, hint: 'a secret file is a regular file' };
    const buffer = Buffer.alloc(SECRET_FILE_MAX_BYTES + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > SECRET_FILE_MAX_BYTES)
        return {
          code: 'AFC4003',
          reason: `${real} holds more than ${SECRET_FILE_MAX_BYTES} bytes`,
          hint: `a secret value is at most ${SECRET_FILE_MAX_BYTES} bytes (64 KiB)`,
        };
    }
    return {
      value: buffer
        .subarray(0, length)
        .toString('utf8')
        .replace(/\r?\n$/, ''),
    };
  } catch (error) {
    return errnoRefusal(error);
  } finally {
    closeSync(fd);
  }
}

function realFolder(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return folder;
  }
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function errnoRefusal(error: unknown): SecretFileRefusal {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : code === 'ELOOP'
            ? 'too many symbolic links'
            : (error as Error).message;
  return { code: 'AFC4002', reason, hint: 'paths are relative to the spec' };
}
