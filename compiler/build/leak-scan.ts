import type { OutputFile } from '../write/output-file.ts';

/**
 * Values this short would match by chance (a port, a word); they are not
 * scanned. A secret that short is not much of a secret either.
 */
const MIN_SCANNED_LENGTH = 6;

/** Paths of non-secret files that contain any of the values. Never returns a value. */
export function scanForLeaks(files: readonly OutputFile[], values: readonly string[]): string[] {
  const scanned = values.filter((v) => v.length >= MIN_SCANNED_LENGTH);
  return files.filter((f) => !f.secret && scanned.some((v) => f.content.includes(v))).map((f) => f.path);
}
