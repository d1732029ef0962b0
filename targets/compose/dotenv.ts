/**
 * A .env file compose reads both for `env_file:` and for `${VAR}` in the
 * compose file. Values are single-quoted when they hold anything but plain
 * characters, so that compose takes them literally (no `$` expansion).
 */
export function dotenv(entries: readonly [string, string][]): string {
  return entries.map(([name, value]) => `${name}=${quote(name, value)}\n`).join('');
}

function quote(name: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`${name}: a value with a line break cannot go into .env`);
  if (/^[A-Za-z0-9_./:@+=,-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\$/g, '\\$')}"`;
}
