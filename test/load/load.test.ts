import { describe, expect, it } from 'vitest';
import { locateProblems } from '../../compiler/diagnostics/locate.ts';
import { loadSpec } from '../../compiler/load/load-spec.ts';

/** What loading says, located as `afc validate` prints it; and the data, when it loaded. */
const load = (text: string | Uint8Array) => {
  const result = loadSpec('spec.yaml', typeof text === 'string' ? Buffer.from(text) : text);
  return { diagnostics: locateProblems(result.problems, result.ok ? result.spec : result.text), spec: result.ok ? result.spec : undefined };
};
const codes = (text: string | Uint8Array) => load(text).diagnostics.map((d) => `${d.code}@${d.line}:${d.column}`);

describe('loadSpec', () => {
  it('parses a mapping with positions', () => {
    const result = load('apiVersion: afc/v1\nname: x\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.data).toEqual({ apiVersion: 'afc/v1', name: 'x' });
  });

  it('strips a UTF-8 byte order mark', () => {
    expect(load(Buffer.from('\ufeffname: x\n')).spec?.data).toEqual({ name: 'x' });
  });

  it('rejects bytes that are not UTF-8, at their position', () => {
    expect(codes(Buffer.from([0x61, 0x3a, 0x0a, 0x62, 0x3a, 0x20, 0xff, 0x0a]))).toEqual(['AFC0101@2:4']);
    expect(codes(Buffer.from([0xff, 0xfe, 0x61, 0x00]))).toEqual(['AFC0101@1:1']);
    expect(codes(Buffer.from('a: 1\n\0'))).toEqual(['AFC0101@2:1']);
  });

  it('refuses a file over 1 MiB before parsing it', () => {
    const huge = `name: x\n${'# padding\n'.repeat(110_000)}`;
    expect(load(huge).diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['AFC0109', `file is ${Buffer.byteLength(huge)} bytes; a spec may have at most 1048576`],
    ]);
  });

  it('rejects empty and comment-only files', () => {
    expect(codes('')).toEqual(['AFC0102@1:1']);
    expect(codes('# nothing here\n\n')).toEqual(['AFC0102@1:1']);
    expect(codes('---\n')).toEqual(['AFC0102@1:1']);
    expect(codes('~\n')).toEqual(['AFC0106@1:1']);
  });

  it('rejects duplicate keys at the second occurrence, naming the first line', () => {
    const result = load('name: a\nairflow:\n  version: "3.1.3"\nname: b\n');
    expect(result.diagnostics.map((d) => [d.code, d.line, d.column, d.message])).toEqual([['AFC0104', 4, 1, 'duplicate key "name" (first defined on line 1)']]);
  });

  it('rejects a top level that is not a mapping, and several documents', () => {
    expect(codes('- a\n- b\n')).toEqual(['AFC0106@1:1']);
    expect(codes('just a string\n')).toEqual(['AFC0106@1:1']);
    expect(codes('a: 1\n---\nb: 2\n')).toEqual(['AFC0107@2:1']);
  });

  it('rejects custom tags and syntax errors', () => {
    expect(codes('a: !Ref b\n')).toEqual(['AFC0108@1:4']);
    expect(codes('a: {b: 1\n')[0]).toMatch(/^AFC0103@/);
  });

  it('stops a billion-laughs alias bomb quickly', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const name = String.fromCharCode(97 + i);
      levels.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    const started = performance.now();
    const result = load(`${levels.join('\n')}\n`);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['AFC0105']);
    expect(result.diagnostics[0]!.line).toBe(2);
  });

  it('allows a few aliases and merge keys', () => {
    const result = load('base: &base { cpu: 1 }\nother:\n  <<: *base\n  memory: 1Gi\n');
    expect(result.diagnostics).toEqual([]);
    expect(result.spec?.data.other).toEqual({ cpu: 1, memory: '1Gi' });
  });
});
