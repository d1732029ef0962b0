import { describe, expect, it } from 'vitest';
import { queryEscape, renderTemplate } from './go-template.ts';

/** What Go's text/template (go1.26) printed for each case, with sprig's replace and trim. */
const NASTY = ` $HOME'"%s{{x}}\\ é+plus&amp=/?#~-_.!*()'; \t\n\u0085\u00a0\ufeff🙂`;
const data = new Map(Object.entries({ a: NASTY, b: '  padded\n', c: '', d: 'x y+z' }));
const render = (template: string) => renderTemplate(template, data, 'test');

describe('External Secrets templates (Go text/template subset)', () => {
  it('prints fields and text as they are', () => {
    expect(render('{{ .a }}')).toBe(NASTY);
    expect(render('{{.a}}{{.d}}')).toBe(`${NASTY}x y+z`);
    expect(render('plain text only')).toBe('plain text only');
  });

  it('urlquery is url.QueryEscape: a space as "+", everything but letters, digits and -_.~ as upper-case %XX of the UTF-8 bytes', () => {
    expect(render('pre {{ .a | urlquery }} post')).toBe(
      'pre +%24HOME%27%22%25s%7B%7Bx%7D%7D%5C+%C3%A9%2Bplus%26amp%3D%2F%3F%23~-_.%21%2A%28%29%27%3B+%09%0A%C2%85%C2%A0%EF%BB%BF%F0%9F%99%82 post',
    );
    expect(render('{{ .c | urlquery }}')).toBe('');
    expect(queryEscape('a b+c')).toBe('a+b%2Bc');
  });

  it('afc\'s database URL: urlquery then replace "+" "%20" gives RFC 3986 percent-encoding', () => {
    expect(render('db+postgresql://u:{{ .d | urlquery | replace "+" "%20" }}@h:5432/x?sslmode=require')).toBe(
      'db+postgresql://u:x%20y%2Bz@h:5432/x?sslmode=require',
    );
    expect(render('{{ .a | urlquery | replace "+" "%20" }}')).toBe(
      '%20%24HOME%27%22%25s%7B%7Bx%7D%7D%5C%20%C3%A9%2Bplus%26amp%3D%2F%3F%23~-_.%21%2A%28%29%27%3B%20%09%0A%C2%85%C2%A0%EF%BB%BF%F0%9F%99%82',
    );
    expect(render('{{ .a|urlquery|urlquery }}')).toMatch(/^%2B%2524HOME%2527/);
  });

  it('trim is strings.TrimSpace (U+0085 is space, U+FEFF is not)', () => {
    expect(render('{{ .b | trim }}\n')).toBe('padded\n');
    expect(render('{{ .a | trim }}')).toBe(NASTY.slice(1));
    expect(renderTemplate('{{ .s | trim }}', new Map([['s', '\u0085 x\u3000\u2028']]), 'test')).toBe('x');
    expect(renderTemplate('{{ .s | trim }}', new Map([['s', '\ufeffx\ufeff']]), 'test')).toBe('\ufeffx\ufeff');
  });

  it('replace with an empty old string puts the new one around every character', () => {
    expect(render('{{ .d | replace "" "-" }}')).toBe('-x- -y-+-z-');
    expect(render('{{ "x" | replace "x" "y" }}')).toBe('y');
  });

  it('string literals, interpreted and raw, print their value: afc quotes text that looks like an action', () => {
    expect(render('{{ "{{ literal }}" }}')).toBe('{{ literal }}');
    expect(render('{{ "\\u00e9\\x41\\101\\n\\t\\"" }}')).toBe('éAA\n\t"');
    expect(render('{{ `raw {{ x }}` }}')).toBe('raw {{ x }}');
  });

  it('errors where Go errors', () => {
    expect(() => render('{{ .missing }}')).toThrow(/no entry for key "missing"/);
    expect(() => render('{{ replace "a" "b" }}')).toThrow(/want 3 got 2/);
    expect(() => render('a {{ .a')).toThrow(/unclosed action/);
    expect(() => render('{{ "a\\qb" }}')).toThrow(/invalid escape/);
    expect(() => render('{{ "\\ud800" }}')).toThrow(/invalid Unicode escape/);
    expect(() => render('{{ .a .b }}')).toThrow(/non-function/);
  });

  it('refuses, by name, what Go accepts but the harness does not render', () => {
    expect(() => render('{{- .a }}')).toThrow(/trim marker "\{\{-"/);
    expect(() => render('{{ .a -}}')).toThrow(/trim marker "-\}\}"/);
    expect(() => render('{{/* c */}}')).toThrow(/comment/);
    expect(() => render('{{ $x := 1 }}')).toThrow(/renders text\/template's fields/);
    expect(() => render('{{ if .a }}x{{ end }}')).toThrow(/renders text\/template's fields/);
    expect(() => render('{{ .a | b64enc }}')).toThrow(/the function "b64enc"/);
    expect(() => render('{{ .a.b }}')).toThrow(/chained field/);
  });
});
