/** A problem found in a spec: a value, collected and returned, never thrown. */
export type Severity = 'error' | 'warning';

export interface Position {
  line: number;
  column: number;
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  /** The spec's path as the user named it. */
  file: string;
  /** 1-based; a diagnostic about a whole file points at 1:1. */
  line: number;
  column: number;
  /** End of the offending text on `line`, for the code frame's underline. */
  endColumn?: number;
  hint?: string;
}

/** True when any problem or diagnostic is an error, not a warning. */
export function hasErrors(problems: readonly { severity: Severity }[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** Stable order for output: by file, position, then code. */
export function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
}
