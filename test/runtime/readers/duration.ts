/** A Go-style duration as compose writes them (`30s`, `1m30s`, `500ms`), in seconds. */
export function durationSeconds(text: string): number {
  const units: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };
  let total = 0;
  let rest = text.trim();
  if (/^\d+$/.test(rest)) return Number(rest);
  while (rest) {
    const match = /^(\d+(?:\.\d+)?)(h|ms|m|s|us)/.exec(rest);
    if (!match) throw new Error(`not a duration: ${JSON.stringify(text)}`);
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  return total;
}
