import { codeFrame } from './code-frame.ts';
import type { Diagnostic } from './diagnostic.ts';

export type OutputFormat = 'text' | 'json' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'github'];

/** Source text of each file, for code frames. */
export type Sources = ReadonlyMap<string, string>;

export function formatDiagnostics(diagnostics: readonly Diagnostic[], format: OutputFormat, sources: Sources): string {
  switch (format) {
    case 'json':
      return formatJson(diagnostics);
    case 'github':
      return diagnostics.map(formatGithub).join('');
    case 'text':
      return diagnostics.map((d) => formatText(d, sources.get(d.file))).join('');
  }
}

export function formatText(d: Diagnostic, source?: string): string {
  let out = `${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`;
  const frame = source === undefined ? '' : codeFrame(source, d);
  if (frame) out += `${frame}\n`;
  if (d.hint) out += `  hint: ${d.hint}\n`;
  return out;
}

function formatJson(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const summary = { errors, warnings: diagnostics.length - errors };
  return `${JSON.stringify({ diagnostics, summary }, null, 2)}\n`;
}

// https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function formatGithub(d: Diagnostic): string {
  const command = d.severity === 'error' ? 'error' : 'warning';
  const props = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`];
  if (d.endColumn !== undefined) props.push(`endColumn=${d.endColumn}`);
  props.push(`title=${escapeProperty(d.code)}`);
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${command} ${props.join(',')}::${escapeData(message)}\n`;
}

export function summaryLine(diagnostics: readonly Diagnostic[], files: number): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(files, 'file')} checked: ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}
