/**
 * Kubernetes label selectors (`a=b,c!=d,e,!f,g in (h,i),j notin (k)`) and
 * field selectors (`metadata.name=x,status.phase!=Running`), as the API
 * server parses them for list and watch requests.
 */
export type Matcher = (labels: Readonly<Record<string, string>>) => boolean;

export function labelSelector(text: string): Matcher {
  const requirements: Matcher[] = [];
  for (const part of splitTopLevel(text)) {
    const term = part.trim();
    if (!term) continue;
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const [, key, op, list] = set;
      const values = new Set(list!.split(',').map((v) => v.trim()));
      requirements.push(op === 'in' ? (l) => key! in l && values.has(l[key!]!) : (l) => !(key! in l) || !values.has(l[key!]!));
      continue;
    }
    const equality = /^([^\s!=]+)\s*(==|=|!=)\s*([^\s,]*)$/.exec(term);
    if (equality) {
      const [, key, op, value] = equality;
      requirements.push(op === '!=' ? (l) => l[key!] !== value : (l) => l[key!] === value);
      continue;
    }
    const exists = /^(!?)([^\s!=]+)$/.exec(term);
    if (exists) {
      const [, not, key] = exists;
      requirements.push(not ? (l) => !(key! in l) : (l) => key! in l);
      continue;
    }
    throw new Error(`unable to parse requirement: ${JSON.stringify(term)}`);
  }
  return (labels) => requirements.every((r) => r(labels));
}

/** A field selector over the fields the API server allows for pods. */
export function fieldSelector(text: string): (fields: (path: string) => string | undefined) => boolean {
  const requirements = splitTopLevel(text)
    .map((t) => t.trim())
    .filter(Boolean)
    .map((term) => {
      const match = /^([^!=]+)(==|=|!=)(.*)$/.exec(term);
      if (!match) throw new Error(`invalid field selector ${JSON.stringify(term)}`);
      const [, path, op, value] = match;
      return { path: path!, negate: op === '!=', value: value! };
    });
  return (fields) =>
    requirements.every(({ path, negate, value }) => {
      const actual = fields(path);
      if (actual === undefined) throw new Error(`field label not supported: ${path}`);
      return negate ? actual !== value : actual === value;
    });
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}
