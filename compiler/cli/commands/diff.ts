import { relative } from 'node:path';
import { diffOutput } from '../../write/compare-output.ts';
import { BUILD_OPTIONS, failureCode, runBuild } from '../build-options.ts';
import { type CommandDefinition, type OptionDefinitions, usageText } from '../command.ts';

const definition = {
  name: 'diff',
  synopsis: '<spec> --target NAME [options]',
  description: `Prints a unified diff between the output folder on disk and what \`afc build\`
would write. Secret values are never shown: a secret file that changes
appears as <redacted: N bytes>.`,
  options: BUILD_OPTIONS,
  exitCodes: '0 no difference, 1 different (or invalid spec), 2 usage or environment error.',
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

export async function run(argv: string[]): Promise<number> {
  const { result } = await runBuild(definition, argv);
  if (!result.ok) return failureCode(result.diagnostics) ?? 1;
  const patch = diffOutput(result.outDir, result.files, relative(process.cwd(), result.outDir) || '.');
  process.stdout.write(patch);
  return patch ? 1 : 0;
}
