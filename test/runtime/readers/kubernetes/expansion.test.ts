import { describe, expect, it } from 'vitest';
import { expand } from './expansion.ts';

const vars: Record<string, string> = { VAR_A: 'A', VAR_B: 'B', EMPTY: '', DOLLAR: '$(VAR_A)', 'odd name': 'odd' };
const lookup = (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined);

/** Cases from Kubernetes's own tests (third_party/forked/golang/expansion/expand_test.go), same inputs and outputs. */
describe('Kubernetes $(VAR) expansion', () => {
  const cases: [string, string][] = [
    ['$(VAR_A)', 'A'],
    ['___$(VAR_B)___', '___B___'],
    ['$(VAR_A)-$(VAR_B)', 'A-B'],
    ['$(VAR_A)$(VAR_B)', 'AB'],
    ['$(EMPTY)', ''],
    ['$(UNKNOWN)', '$(UNKNOWN)'],
    ['$$(VAR_A)', '$(VAR_A)'],
    ['$$$(VAR_A)', '$A'],
    ['$$$$(VAR_A)', '$$(VAR_A)'],
    ['f000-$$VAR_A', 'f000-$VAR_A'],
    ['$$', '$'],
    ['$$$', '$$'],
    ['$', '$'],
    ['foo$', 'foo$'],
    ['$VAR_A', '$VAR_A'],
    ['${VAR_A}', '${VAR_A}'],
    ['$(VAR_A', '$(VAR_A'],
    ['$(', '$('],
    ['$()', '$()'],
    ['$(VAR_A)$(', 'A$('],
    ['$(odd name)', 'odd'],
    ['$(DOLLAR)', '$(VAR_A)'],
    ['$(VAR_A$(VAR_B))', '$(VAR_A$(VAR_B))'],
    ['$(VAR_A)$$(VAR_B)$(VAR_B)', 'A$(VAR_B)B'],
    ['é$(VAR_A)é', 'éAé'],
    ['no variables', 'no variables'],
    ['', ''],
  ];
  for (const [input, output] of cases) it(`${JSON.stringify(input)} → ${JSON.stringify(output)}`, () => expect(expand(input, lookup)).toBe(output));

  it('expands only once: a value that holds a reference stays as it is', () => {
    expect(expand('$(DOLLAR)-$(VAR_B)', lookup)).toBe('$(VAR_A)-B');
  });

  it('refuses a "$" before a non-ASCII character, which Kubernetes turns into other bytes', () => {
    expect(() => expand('price $é', lookup)).toThrow(/non-ASCII/);
  });
});
