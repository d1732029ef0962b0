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
    ...names.flatMap((n) => ['scalar', 'seq', 'map'].map((collection) => ({ ...tag(n, `Fn::${n}`), ...(collection === 'scalar' ? {} : { collection: collection as 'seq' | 'map' }) }))),
    ...['scalar', 'seq', 'map'].map((collection) => ({ tag: '!Ref', resolve: (value: unknown) => ({ Ref: value }), ...(collection === 'scalar' ? {} : { collection: collection as 'seq' | 'map' }) })),
  ];
  return parse(text, { customTags: customTags as never }) as Record<string, unknown>;
}

/**
 * cfn-lint over several templates in one call (it is slow to start). Its exit
 * code is a bitmask (2 errors, 4 warnings, 8 informational); the findings are
 * returned per file, with the rules `ignore` leaves out.
 */
export function cfnLint(files: readonly string[], ignore: readonly string[] = []): Record<string, string[]> {
  const args = ['--format', 'parseable', ...(ignore.length ? ['--ignore-checks', ...ignore] : []), '--', ...files];
  const result = spawnSync('cfn-lint', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== null && (result.status & 1) === 1) throw new Error(`cfn-lint failed to run: ${result.stderr || result.stdout}`);
  const found: Record<string, string[]> = Object.fromEntries(files.map((f) => [f, []]));
  for (const line of result.stdout.split('\n').filter(Boolean)) {
    const file = files.find((f) => line.startsWith(`${f}:`));
    (found[file ?? '?'] ??= []).push(line.slice((file?.length ?? 0) + 1));
  }
  return found;
}
