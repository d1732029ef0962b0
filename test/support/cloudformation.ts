import { spawnSync } from 'node:child_process';
import { parse } from 'yaml';

/** A CloudFormation YAML template as data, short tags read back into their long form. */
export function parseTemplate(text: string): Record<string, unknown> {
  const tag = (name: string, fn: string) => ({
    tag: `!${name}`,
    resolve: (value: unknown) => ({ [fn]: name === 'GetAtt' && typeof value === 'string' ? value.split(/\.(.*)/s, 2) : value }),
  });
  const names = ['Sub', 'GetAtt', 'Join', 'If', 'Equals', 'Not', 'Select', 'GetAZs', 'Base64', 'Split', 'FindInMap', 'ImportValue'];
  const customTags = [
    { tag: '!Ref', resolve: (value: unknown) => ({ Ref: value }) },
    ...names.flatMap((n) =>
      ['scalar', 'seq', 'map'].map((collection) => ({
        ...tag(n, `Fn::${n}`),
        ...(collection === 'scalar' ? {} : { collection: collection as 'seq' | 'map' }),
      })),
    ),
    ...['scalar', 'seq', 'map'].map((collection) => ({
      tag: '!Ref',
      resolve: (value: unknown) => ({ Ref: value }),
      ...(collection === 'scalar' ? {} : { collection: collection as 'seq' | 'map' }),
    })),
  ];
  return parse(text, { customTags: customTags as never }) as Record<string, unknown>;
}

/**
 * cfn-lint over several templates in one call (its start-up, about 1.4 s, is
 * paid once). Its exit code is a bitmask: 1 cfn-lint itself failed, 2 errors,
 * 4 warnings, 8 informational. The findings are returned per file, with the
 * rules `ignore` leaves out. A run that cannot be trusted throws, so that it
 * never reads as "no findings": cfn-lint that could not start, was killed by
 * a signal, exited with the 1 bit set, or exited non-zero without printing
 * one line in its parseable format.
 */
export function cfnLint(files: readonly string[], ignore: readonly string[] = []): Record<string, string[]> {
  const args = ['--format', 'parseable', ...(ignore.length ? ['--ignore-checks', ...ignore] : []), '--', ...files];
  const result = spawnSync('cfn-lint', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const output = () => `${result.stderr}${result.stdout}`.trim().slice(-2000);
  if (result.error) throw new Error(`cfn-lint could not run: ${result.error.message}`);
  if (result.status === null) throw new Error(`cfn-lint was killed by ${result.signal}: ${output()}`);
  if ((result.status & 1) === 1) throw new Error(`cfn-lint failed to run (exit ${result.status}): ${output()}`);
  // <file>:<line>:<column>:<end line>:<end column>:<rule>:<message>
  const lines = result.stdout.split('\n').filter(Boolean);
  if (result.status !== 0 && !lines.some((line) => /:\d+:\d+:\d+:\d+:[EWI]\d+:/.test(line)))
    throw new Error(`cfn-lint exited ${result.status} without a finding it could name: ${output()}`);
  const found: Record<string, string[]> = Object.fromEntries(files.map((f) => [f, []]));
  for (const line of lines) {
    const file = files.find((f) => line.startsWith(`${f}:`));
    const key = file ?? '?';
    found[key] = [...(found[key] ?? []), line.slice((file?.length ?? 0) + 1)];
  }
  return found;
}
