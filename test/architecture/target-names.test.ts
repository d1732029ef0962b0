import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_TARGETS } from '../../targets/built-in.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const NAMES = BUILT_IN_TARGETS.map((t) => t.manifest.name);

/** A token of TypeScript source that can name something: an identifier, or the text of a string or template literal. */
interface Token {
  kind: 'identifier' | 'string';
  text: string;
  line: number;
}

/**
 * The identifiers and string texts of TypeScript source, comments left out:
 * enough of a lexer for this test (a `/` starts a regular expression where
 * an operand is expected, as in the code afc writes).
 */
function tokens(source: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  let last = '';
  // Open template literals: the brace depth at which each `${` returns to its template's text.
  const templates: number[] = [];
  let depth = 0;
  const advance = (to: number) => {
    for (; i < to; i++) if (source[i] === '\n') line++;
  };
  const templateText = () => {
    const start = i;
    const startLine = line;
    while (i < source.length && source[i] !== '`' && !(source[i] === '$' && source[i + 1] === '{')) advance(source[i] === '\\' ? i + 2 : i + 1);
    out.push({ kind: 'string', text: source.slice(start, i), line: startLine });
    if (source[i] === '`') i++;
    else {
      i += 2;
      templates.push(depth++);
    }
    last = 'string';
  };
  while (i < source.length) {
    const c = source[i]!;
    const rest = source.slice(i, i + 2);
    if (rest === '//') advance(source.indexOf('\n', i) === -1 ? source.length : source.indexOf('\n', i));
    else if (rest === '/*') advance(source.indexOf('*/', i + 2) + 2);
    else if (c === "'" || c === '"') {
      const start = ++i;
      const startLine = line;
      while (source[i] !== c) advance(source[i] === '\\' ? i + 2 : i + 1);
      out.push({ kind: 'string', text: source.slice(start, i), line: startLine });
      i++;
      last = 'string';
    } else if (c === '`') {
      i++;
      templateText();
    } else if (c === '{') {
      depth++;
      i++;
      last = c;
    } else if (c === '}') {
      depth--;
      i++;
      if (templates.at(-1) === depth) {
        templates.pop();
        templateText();
      } else last = c;
    } else if (c === '/' && (last === '' || /[(,=:[!&|?{};]|return|typeof/.test(last))) {
      // A regular expression: skip it, classes included.
      i++;
      let inClass = false;
      while (source[i] !== '/' || inClass) {
        if (source[i] === '\\') i++;
        else if (source[i] === '[') inClass = true;
        else if (source[i] === ']') inClass = false;
        i++;
      }
      i++;
      while (/[a-z]/.test(source[i] ?? '')) i++;
      last = 'regex';
    } else if (/[A-Za-z_$]/.test(c)) {
      const start = i;
      while (i < source.length && /[\w$]/.test(source[i]!)) i++;
      const text = source.slice(start, i);
      out.push({ kind: 'identifier', text, line });
      last = text;
    } else {
      if (c === '\n') line++;
      if (!/\s/.test(c)) last = c;
      i++;
    }
  }
  return out;
}

/** How a token names a built-in target, if it does. */
function naming(token: Token): string | undefined {
  for (const name of NAMES) {
    if (token.text === name) return `${token.kind} ${JSON.stringify(name)}`;
    if (token.kind !== 'string') continue;
    // A target's settings, overrides or folder: `targets.eks.roleArn`, `overrides.ecs`, `../../targets/compose/index.ts`.
    if (new RegExp(`\\b(?:targets|overrides)\\.${name}\\b|\\btargets/${name}\\b`).test(token.text)) return `a string about ${name}: ${token.text}`;
  }
  return undefined;
}

/**
 * What may still name one: a word of Airflow's own that a target happens to
 * be named after, where it means Airflow's. Each entry must still be needed.
 */
const ALLOWED: { file: string; token: string; why: string }[] = [
  { file: 'compiler/airflow/owned-options.ts', token: 'string "kubernetes"', why: "Airflow's [kubernetes] configuration section, renamed kubernetes_executor" },
];

function compilerFiles(): string[] {
  return readdirSync(join(ROOT, 'compiler'), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('compiler', f))
    .sort();
}

describe('compiler/ names no built-in target', () => {
  it('the lexer finds identifiers and string texts, not comments or regular expressions', () => {
    const source = "// ecs\nconst a = /['ecs]/g; /* eks */ if (t === 'compose') x.ec2 = `a ${`targets.eks.x`} b`;\nreturn /x/.test(y) / 2;";
    expect(tokens(source).map((t) => `${t.kind}:${t.text}@${t.line}`)).toEqual([
      'identifier:const@2',
      'identifier:a@2',
      'identifier:if@2',
      'identifier:t@2',
      'string:compose@2',
      'identifier:x@2',
      'identifier:ec2@2',
      'string:a @2',
      'string:targets.eks.x@2',
      'string: b@2',
      'identifier:return@3',
      'identifier:test@3',
      'identifier:y@3',
    ]);
    expect(tokens(source).map(naming).filter(Boolean)).toEqual(['string "compose"', 'identifier "ec2"', 'a string about eks: targets.eks.x']);
  });

  it('in code: no built-in target name as an identifier or a string, and no import of one', () => {
    const found: string[] = [];
    const allowed = new Set<string>();
    for (const file of compilerFiles()) {
      for (const token of tokens(readFileSync(join(ROOT, file), 'utf8'))) {
        const what = naming(token);
        if (!what) continue;
        const exemption = ALLOWED.find((a) => a.file === file.split('\\').join('/') && a.token === what);
        if (exemption) allowed.add(`${exemption.file} ${exemption.token}`);
        else found.push(`${file}:${token.line}: ${what}`);
      }
    }
    expect(found).toEqual([]);
    expect([...allowed].sort()).toEqual(ALLOWED.map((a) => `${a.file} ${a.token}`).sort());
  });
});
