import { describe, expect, it } from 'vitest';
import { parseCommand, usageText } from '../../compiler/cli/command.ts';
import { UsageError } from '../../compiler/cli/usage-error.ts';

const definition = {
  name: 'demo',
  synopsis: '<spec> [options]',
  description: 'Does a demo.',
  options: {
    target: { type: 'string', short: 't', value: 'NAME', description: ['the target'] },
    check: { type: 'boolean', description: ['write nothing;', 'exit 1 on drift'] },
  },
  exitCodes: '0 ok, 1 drift, 2 usage error.',
} as const;

describe('command definitions', () => {
  it('generate the usage text from the option table the parser uses', () => {
    expect(usageText(definition)).toBe(`Usage: afc demo <spec> [options]

Does a demo.

Options:
  -t, --target NAME  the target
      --check        write nothing;
                     exit 1 on drift
  -h, --help         show this help

Exit codes: 0 ok, 1 drift, 2 usage error.
`);
  });

  it('parse exactly the options the usage text lists', () => {
    expect(parseCommand(definition, ['x.yaml', '-t', 'eks', '--check'])).toMatchObject({ values: { target: 'eks', check: true }, positionals: ['x.yaml'] });
    expect(() => parseCommand(definition, ['--chek'])).toThrow(UsageError);
  });
});
