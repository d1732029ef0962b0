import type { Diagnostic } from './diagnostic.ts';

/**
 * The lines around a diagnostic, with a marker on its line and a caret
 * underline below the offending text:
 *
 *    11 |   webserver:
 *  > 12 |     replica: 2
 *       |     ^^^^^^^
 */
export function codeFrame(source: string, diagnostic: Diagnostic, context = 1): string {
  const all = source.split(/\r?\n/);
  // A very long marked line (minified, or thousands of brackets) shows a window of the frame around the column.
  const long = (all[diagnostic.line - 1]?.length ?? 0) > FRAME_WIDTH;
  const shift = long ? Math.max(0, diagnostic.column - 1 - FRAME_WIDTH / 2) : 0;
  const lines = long ? all.map((line) => (line.length > FRAME_WIDTH || (shift > 0 && line.length > shift) ? cut(line, shift) : line)) : all;
  if (shift > 0)
    diagnostic = {
      ...diagnostic,
      column: diagnostic.column - shift,
      ...(diagnostic.endColumn ? { endColumn: Math.min(diagnostic.endColumn - shift, FRAME_WIDTH + 2) } : {}),
    };
  const index = diagnostic.line - 1;
  if (index < 0 || index >= lines.length) return '';
  const first = Math.max(0, index - context);
  const last = Math.min(lines.length - 1, index + context);
  const width = String(last + 1).length;
  const out: string[] = [];
  for (let i = first; i <= last; i++) {
    const number = String(i + 1).padStart(width);
    out.push(`${i === index ? '>' : ' '} ${number} | ${printable(lines[i]!)}`.trimEnd());
    if (i === index) {
      const start = Math.max(1, diagnostic.column);
      const end = Math.max(start + 1, diagnostic.endColumn ?? start + 1);
      out.push(`  ${' '.repeat(width)} | ${' '.repeat(start - 1)}${'^'.repeat(end - start)}`);
    }
  }
  return out.join('\n');
}

/** The widest part of a line a frame shows, in characters. */
const FRAME_WIDTH = 120;

/** `…` + the window of `line` from `shift`, + `…` where it goes on: the `…` before stands in for the column it hides. */
function cut(line: string, shift: number): string {
  const window = line.slice(shift, shift + FRAME_WIDTH);
  return `${shift > 0 ? '…' : ''}${shift > 0 ? window.slice(1) : window}${line.length > shift + FRAME_WIDTH ? '…' : ''}`;
}

/** Control characters (a stray NUL, say) as U+FFFD, one column each, so the frame stays readable and the caret lined up. */
function printable(line: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
  return line.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '\ufffd');
}
