/**
 * HCL (Terraform) from objects, written exactly as `terraform fmt` would:
 * `=` aligned across consecutive single-line attributes, a blank line before
 * each nested block and between top-level blocks, heredocs for multi-line
 * text, and every literal string quoted with `${` and `%{` escaped. Values
 * are plain data: `{ $expr: "aws_instance.host.id" }` is an expression and
 * `{ $heredoc: "…" }` multi-line text, so documents clone and patch like JSON.
 */
export type HclValue = string | number | boolean | null | HclExpression | HclHeredoc | HclValue[] | { [key: string]: HclValue };
export type HclExpression = { $expr: string };
export type HclHeredoc = { $heredoc: string };

export interface HclBlock {
  type: string;
  labels?: string[];
  /** Comment lines above the block (without `#`): why it is there. */
  comment?: string[];
  /** Attributes in the order written; nested blocks after them. */
  attributes?: Record<string, HclValue>;
  blocks?: HclBlock[];
}

export const expr = (code: string): HclExpression => ({ $expr: code });

export const heredoc = (text: string): HclHeredoc => ({ $heredoc: text });

/** A Terraform expression to interpolate into an {@link interpolated} string: `reference('data.aws_region.current.region')`. */
export interface HclReference {
  $ref: string;
}
export const reference = (code: string): HclReference => ({ $ref: code });

/**
 * A string template with Terraform interpolations, from a template literal,
 * the one way afc writes one: its own text and every interpolated string
 * value are literal (quoted, `${` and `%{` doubled, as in every plain string),
 * and only a {@link reference} becomes a `${…}`; another `interpolated`
 * string is spliced in as it is.
 * interpolated`arn:${reference(PARTITION)}:s3:::${bucket}/${prefix}/*`
 */
export function interpolated(template: TemplateStringsArray, ...values: (string | number | HclReference | HclExpression)[]): HclExpression {
  const literal = (text: string) => quote(text).slice(1, -1);
  const piece = (v: string | number | HclReference | HclExpression): string => {
    if (typeof v === 'string' || typeof v === 'number') return literal(String(v));
    if ('$ref' in v) return `\${${v.$ref}}`;
    if (!/^".*"$/s.test(v.$expr)) throw new Error(`not an interpolated string: ${v.$expr}`);
    return v.$expr.slice(1, -1);
  };
  return { $expr: `"${template.map((part, i) => literal(part) + (i < values.length ? piece(values[i]!) : '')).join('')}"` };
}

/**
 * Blocks keyed by their address (`resource.aws_instance.host`), for documents
 * that overrides can patch by name. `locals` blocks, one namespace, merge
 * into the first.
 */
export function byAddress(blocks: readonly HclBlock[]): Record<string, HclBlock> {
  const file: Record<string, HclBlock> = {};
  for (const b of blocks) {
    const address = [b.type, ...(b.labels ?? [])].join('.');
    const earlier = file[address];
    if (earlier && b.type === 'locals') {
      file[address] = { ...earlier, comment: [...(earlier.comment ?? []), ...(b.comment ?? [])], attributes: { ...earlier.attributes, ...b.attributes } };
    } else if (earlier) {
      throw new Error(`two blocks at ${address}`);
    } else {
      file[address] = b;
    }
  }
  return file;
}

const isExpression = (v: unknown): v is HclExpression =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && '$expr' in v;
const isHeredoc = (v: unknown): v is HclHeredoc => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && '$heredoc' in v;

export function toHcl(blocks: readonly HclBlock[], header: readonly string[] = []): string {
  const comments = header.map((line) => (line ? `# ${line}` : '#')).join('\n');
  const body = blocks.map((b) => block(b, '')).join('\n\n');
  return `${comments ? `${comments}\n\n` : ''}${body}\n`;
}

function block(b: HclBlock, indent: string): string {
  const head = [b.type, ...(b.labels ?? []).map((l) => quote(l))].join(' ');
  const inner = bodyLines(b.attributes ?? {}, b.blocks ?? [], `${indent}  `);
  const comment = (b.comment ?? []).map((line) => (line ? `${indent}# ${line}\n` : `${indent}#\n`)).join('');
  return inner.length === 0 ? `${comment}${indent}${head} {}` : `${comment}${indent}${head} {\n${inner.join('\n')}\n${indent}}`;
}

/** Attributes (aligned in runs of single-line ones), then nested blocks, each after a blank line. */
function bodyLines(attributes: Record<string, HclValue>, blocks: readonly HclBlock[], indent: string): string[] {
  const lines = alignedAttributes(Object.entries(attributes), indent, (k) => k);
  for (const nested of blocks) {
    if (lines.length) lines.push('');
    lines.push(block(nested, indent));
  }
  return lines;
}

function alignedAttributes(entries: [string, HclValue][], indent: string, key: (k: string) => string): string[] {
  const rendered = entries.map(([k, v]) => ({ key: key(k), value: value(v, indent) }));
  const lines: string[] = [];
  let run: typeof rendered = [];
  const flush = () => {
    const width = Math.max(...run.map((r) => r.key.length));
    for (const r of run) lines.push(`${indent}${r.key.padEnd(width)} = ${r.value}`);
    run = [];
  };
  for (const r of rendered) {
    if (r.value.startsWith('<<')) {
      // A heredoc's first line aligns with the run above it, and ends it.
      run.push(r);
      flush();
    } else if (r.value.includes('\n')) {
      if (run.length) flush();
      lines.push(`${indent}${r.key} = ${r.value}`);
    } else {
      run.push(r);
    }
  }
  if (run.length) flush();
  return lines;
}

function value(v: HclValue, indent: string): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean' || typeof v === 'number') return String(v);
  if (typeof v === 'string') return quote(v);
  if (isExpression(v)) return v.$expr;
  if (isHeredoc(v)) {
    const text = v.$heredoc.endsWith('\n') ? v.$heredoc : `${v.$heredoc}\n`;
    if (/^EOT$/m.test(text)) throw new Error('heredoc text holds its own end marker');
    return `<<EOT\n${escapeTemplate(text)}EOT`;
  }
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    const items = v.map((item) => value(item, inner));
    const inline = `[${items.join(', ')}]`;
    // Short lists of scalars stay on one line; a long one reads (and diffs) better an item a line.
    if (inline.length <= 100 && items.every((i) => !i.includes('\n')) && v.every((i) => typeof i !== 'object' || i === null || isExpression(i))) return inline;
    return `[\n${items.map((i) => `${inner}${i},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(v);
  if (entries.length === 0) return '{}';
  return `{\n${alignedAttributes(entries, inner, objectKey).join('\n')}\n${indent}}`;
}

/** An object key: bare when it is an identifier, quoted otherwise. */
function objectKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : quote(key);
}

/** A literal string: escapes, and template sequences made literal. */
export function quote(text: string): string {
  const escaped = text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what HCL must escape
    /[\\"\n\r\t]|[\u0000-\u001f]/g,
    (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escapeTemplate(escaped)}"`;
}

/** `${` and `%{` start template sequences in HCL strings and heredocs; doubling makes them literal. */
function escapeTemplate(text: string): string {
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}
