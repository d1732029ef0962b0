/**
 * The part of Go's text/template (with sprig's functions) that External
 * Secrets Operator's engine v2 runs on an ExternalSecret's
 * `spec.target.template.data` and that afc writes: text, and actions that
 * are one pipeline of a field `.key` or a string literal, piped through
 * `urlquery`, `replace OLD NEW` and `trim`. The data is every `spec.data`
 * entry's value as a string, and a missing key is an error (ESO parses with
 * `missingkey=error`). Anything else (comments, trim markers, variables,
 * control structures, other functions) is refused by name, never guessed at.
 */
export function renderTemplate(template: string, data: ReadonlyMap<string, string>, where: string): string {
  let out = '';
  let rest = template;
  for (;;) {
    const open = rest.indexOf('{{');
    if (open === -1) return out + rest;
    out += rest.slice(0, open);
    const { value, length } = action(rest.slice(open + 2), data, where);
    out += value;
    rest = rest.slice(open + 2 + length);
  }
}

type Token = { kind: 'field'; name: string } | { kind: 'string'; value: string } | { kind: 'word'; name: string } | { kind: 'pipe' } | { kind: 'close' };

/** One action after its `{{`: its value, and how many characters it took up to and with its `}}`. */
function action(text: string, data: ReadonlyMap<string, string>, where: string): { value: string; length: number } {
  const refuse = (what: string): never => {
    throw new Error(
      `${where}: the template action {{${text.slice(0, 60)}… uses ${what}; the harness renders text/template's fields, string literals, urlquery, replace and trim only`,
    );
  };
  if (/^-[ \t\r\n]/.test(text)) refuse('a trim marker "{{-"');
  if (text.startsWith('/*')) refuse('a comment');
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
    if (i >= text.length) throw new Error(`${where}: unclosed action {{${text.slice(0, 60)}`);
    const c = text[i]!;
    if (c === '-' && text.startsWith('}}', i + 1)) refuse('a trim marker "-}}"');
    if (text.startsWith('}}', i)) {
      tokens.push({ kind: 'close' });
      i += 2;
      break;
    }
    if (c === '|') {
      tokens.push({ kind: 'pipe' });
      i++;
    } else if (c === '.') {
      const match = /^\.([\p{L}_][\p{L}\p{Nd}_]*)/u.exec(text.slice(i));
      if (!match) refuse(`"${text.slice(i, i + 10)}"`);
      if (text[i + match![0].length] === '.') refuse('a chained field');
      tokens.push({ kind: 'field', name: match![1]! });
      i += match![0].length;
    } else if (c === '"' || c === '`') {
      const { value, length } = stringLiteral(text.slice(i), where);
      tokens.push({ kind: 'string', value });
      i += length;
    } else {
      const match = /^[\p{L}_][\p{L}\p{Nd}_]*/u.exec(text.slice(i));
      if (!match) refuse(`"${text.slice(i, i + 10)}"`);
      tokens.push({ kind: 'word', name: match![0] });
      i += match![0].length;
    }
  }

  // A pipeline: commands separated by "|"; each command's value goes to the next as its last argument.
  const commands: Token[][] = [[]];
  for (const token of tokens) {
    if (token.kind === 'close') break;
    if (token.kind === 'pipe') commands.push([]);
    else commands.at(-1)!.push(token);
  }
  if (commands.some((c) => c.length === 0)) refuse('an empty command');
  let value: string | undefined;
  for (const [index, command] of commands.entries()) {
    const [head, ...args] = command;
    if (head!.kind !== 'word') {
      if (args.length) refuse('arguments to a non-function');
      if (index > 0) refuse('a value that is not a function after "|"');
      if (head!.kind === 'string') value = head!.value;
      else if (head!.kind === 'field') {
        if (!data.has(head!.name)) throw new Error(`${where}: map has no entry for key "${head!.name}" (External Secrets renders with missingkey=error)`);
        value = data.get(head!.name)!;
      }
      continue;
    }
    const strings = args.map((a) =>
      a.kind === 'string'
        ? a.value
        : a.kind === 'field'
          ? refuse('a field as a function argument')
          : refuse(`"${(a as { name: string }).name}" as an argument`),
    );
    if (value !== undefined) strings.push(value);
    value = call(head!.name, strings, refuse);
  }
  return { value: value!, length: i };
}

function call(name: string, args: string[], refuse: (what: string) => never): string {
  const arity = (n: number) => {
    if (args.length !== n) throw new Error(`wrong number of args for ${name}: want ${n} got ${args.length}`);
  };
  switch (name) {
    case 'urlquery':
      // text/template's URLQueryEscaper: url.QueryEscape of its one string argument.
      if (args.length !== 1) refuse('urlquery with other than one argument');
      return queryEscape(args[0]!);
    case 'replace':
      // sprig: replace(old, new, src) = strings.Replace(src, old, new, -1).
      arity(3);
      return goReplaceAll(args[2]!, args[0]!, args[1]!);
    case 'trim':
      // sprig: strings.TrimSpace.
      arity(1);
      return args[0]!.replace(GO_SPACE_START, '').replace(GO_SPACE_END, '');
    default:
      return refuse(`the function "${name}"`);
  }
}

/**
 * Go's url.QueryEscape: every byte of the UTF-8 text but letters, digits and
 * `-_.~` as %XX (upper-case hex), a space as "+".
 */
export function queryEscape(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c)) out += c;
    else if (c === ' ') out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** strings.Replace(s, old, new, -1): with an empty `old`, `new` goes before every character and at the end. */
function goReplaceAll(s: string, old: string, replacement: string): string {
  if (old === '') return replacement + [...s].map((ch) => ch + replacement).join('');
  return s.split(old).join(replacement);
}

/** unicode.IsSpace, which strings.TrimSpace trims (JavaScript's trim() differs: it trims U+FEFF and keeps U+0085). */
const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000';
const GO_SPACE_START = new RegExp(`^[${GO_SPACE}]+`);
const GO_SPACE_END = new RegExp(`[${GO_SPACE}]+$`);

/** A Go string literal (interpreted "…" or raw `…`) at the start of `text`: its value and length. */
function stringLiteral(text: string, where: string): { value: string; length: number } {
  if (text[0] === '`') {
    const end = text.indexOf('`', 1);
    if (end === -1) throw new Error(`${where}: unterminated raw string in a template action`);
    return { value: text.slice(1, end).replace(/\r/g, ''), length: end + 1 };
  }
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92, '"': 34 };
  for (let i = 1; i < text.length; ) {
    const c = text[i]!;
    if (c === '"') return { value: Buffer.from(bytes).toString('utf8'), length: i + 1 };
    if (c === '\n') break;
    if (c !== '\\') {
      const code = text.codePointAt(i)!;
      bytes.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
      i += code > 0xffff ? 2 : 1;
      continue;
    }
    const e = text[i + 1] ?? '';
    if (e in simple) {
      bytes.push(simple[e]!);
      i += 2;
    } else if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
      bytes.push(parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
    } else if (/^[0-7]{3}$/.test(text.slice(i + 1, i + 4)) && parseInt(text.slice(i + 1, i + 4), 8) < 256) {
      bytes.push(parseInt(text.slice(i + 1, i + 4), 8));
      i += 4;
    } else if ((e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) || (e === 'U' && /^[0-9a-fA-F]{8}$/.test(text.slice(i + 2, i + 10)))) {
      const digits = e === 'u' ? 4 : 8;
      const code = parseInt(text.slice(i + 2, i + 2 + digits), 16);
      if (code > 0x10ffff || (code >= 0xd800 && code < 0xe000)) throw new Error(`${where}: invalid Unicode escape in a template string`);
      bytes.push(...Buffer.from(String.fromCodePoint(code), 'utf8'));
      i += 2 + digits;
    } else {
      throw new Error(`${where}: invalid escape "\\${e}" in a template string`);
    }
  }
  throw new Error(`${where}: unterminated string in a template action`);
}
