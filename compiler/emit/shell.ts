/**
 * A word for bash (and POSIX sh): left bare when every character is plain,
 * otherwise single-quoted, with a quote inside written as '\''.
 */
export function shellWord(text: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
