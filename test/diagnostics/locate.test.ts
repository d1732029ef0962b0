import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { locateProblem, type SpecText } from '../../compiler/diagnostics/locate.ts';
import type { Problem } from '../../compiler/diagnostics/problem.ts';
import { REPO } from '../support/cli.ts';

const TEXT = 'name: a\ncomponents:\n  workers:\n    replicas: 2\n  queues: [a, b]\n';

function specText(source = TEXT): SpecText {
  const lineCounter = new LineCounter();
  return { file: 'spec.yaml', source, document: parseDocument(source, { lineCounter }), lineCounter };
}

const problem = (fields: Partial<Problem>): Problem => ({ code: 'AFC2001', severity: 'error', path: [], message: 'm', ...fields });
const where = (fields: Partial<Problem>, text = specText()) => {
  const d = locateProblem(problem(fields), text);
  return d.endColumn === undefined ? `${d.line}:${d.column}` : `${d.line}:${d.column}-${d.endColumn}`;
};

describe('locateProblem', () => {
  it('points at a key, a value, or a scalar value else the key', () => {
    expect(where({ path: ['components', 'workers', 'replicas'] })).toBe('4:5-13');
    expect(where({ path: ['components', 'workers', 'replicas'], at: 'value' })).toBe('4:15-16');
    expect(where({ path: ['components', 'workers', 'replicas'], at: 'scalar' })).toBe('4:15-16');
    expect(where({ path: ['components', 'workers'], at: 'scalar' })).toBe('3:3-10');
    expect(where({ path: ['components', 'queues', 1] })).toBe('5:15-16');
  });

  it('points at the deepest node found when the path goes on past the document', () => {
    expect(where({ path: ['components', 'workers', 'cpu'] })).toBe('3:3-10');
    expect(where({ path: ['components', 'workers', 'cpu'], at: 'value' })).toBe('4:5-6');
  });

  it('places offsets through the line counter, or the bytes of a file that is not text', () => {
    expect(where({ offset: 10 })).toBe('2:3');
    expect(where({ offset: 8, end: 18 })).toBe('2:1-11');
    expect(where({ offset: 5 }, { file: 'spec.yaml', bytes: Buffer.from('a: 1\nb: \xff') })).toBe('2:1');
  });

  it('puts a problem with the whole spec at its top-level mapping, or at 1:1 with no underline without a document', () => {
    expect(where({})).toBe('1:1-2');
    expect(where({}, { file: 'spec.yaml' })).toBe('1:1');
    expect(locateProblem(problem({ hint: 'h' }), { file: 'x.yaml' })).toEqual({
      code: 'AFC2001',
      severity: 'error',
      message: 'm',
      file: 'x.yaml',
      line: 1,
      column: 1,
      hint: 'h',
    });
  });
});

describe('one locator', () => {
  const sources = (dir: string): string[] =>
    readdirSync(join(REPO, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.ts'))
      .map((e) => relative(REPO, join(e.parentPath, e.name)));

  it('is the only code that turns a path or an offset into a line and column', () => {
    const outside = [...sources('compiler'), ...sources('targets')].filter((f) => !f.startsWith('compiler/diagnostics/'));
    const offenders = outside.filter((f) => /\blinePos\(|\bspanOf\b|\bnodesAt\b|\bbytePosition\b|\blocate\(/.test(readFileSync(join(REPO, f), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
