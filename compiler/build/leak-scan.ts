import { uriComponent } from '../airflow/settings.ts';
import type { Problem } from '../diagnostics/problem.ts';
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

/**
 * An error for each non-secret file that contains any of the values, in any
 * form they are written in, naming the file and never the value. A leak has
 * no place in the spec: it points at the spec as a whole.
 */
export function scanForLeaks(files: readonly OutputFile[], values: readonly string[]): Problem[] {
  const scanned = values.filter((v) => v.length >= MIN_SCANNED_LENGTH).flatMap(writtenForms);
  return files
    .filter((f) => !f.secret && scanned.some((v) => f.content.includes(v)))
    .map((f) => ({
      code: 'AFC4010',
      severity: 'error',
      path: [],
      at: 'value',
      message: `a secret value appears in ${f.path}, which is not a secret file`,
      hint: 'a secret must reach only 0600 secret files; check where the target or an override writes it',
    }));
}
