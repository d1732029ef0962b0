import { uriComponent } from '../airflow/settings.ts';
import type { OutputFile } from '../write/output-file.ts';

/**
 * Values this short would match by chance (a port, a word); they are not
 * scanned. A secret that short is not much of a secret either.
 */
const MIN_SCANNED_LENGTH = 6;

/**
 * The forms a value takes in the files afc writes: as it is, escaped in a
 * JSON or YAML double-quoted string, with compose's `$$`, percent-encoded in
 * a URL, and in base64 (a Kubernetes Secret's data).
 */
function writtenForms(value: string): string[] {
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    value.replace(/\$/g, '$$$$'),
    uriComponent(value),
    encodeURIComponent(value),
    Buffer.from(value).toString('base64'),
  ];
  return [...new Set(forms)];
}

/** Paths of non-secret files that contain any of the values, in any form they are written in. Never returns a value. */
export function scanForLeaks(files: readonly OutputFile[], values: readonly string[]): string[] {
  const scanned = values.filter((v) => v.length >= MIN_SCANNED_LENGTH).flatMap(writtenForms);
  return files.filter((f) => !f.secret && scanned.some((v) => f.content.includes(v))).map((f) => f.path);
}
