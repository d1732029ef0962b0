import { relative } from 'node:path';
import { compareOutput } from '../../write/compare-output.ts';
import { foreignFiles, outputFolderProblem, writeOutput } from '../../write/write-output.ts';
import { writing } from '../file-system-error.ts';
import { UsageError } from '../usage-error.ts';
import { BUILD_OPTIONS, failureCode, runBuild } from '../build-options.ts';
import { type CommandDefinition, type OptionDefinitions, usageText } from '../command.ts';

const definition = {
  name: 'build',
  synopsis: '<spec> --target NAME [options]',
  description: `Validates the spec (as \`afc validate --target\` does), renders the target, and
replaces the output folder as a whole: all files or none. Files afc wrote
before and no longer writes are removed; files it did not write are kept,
and a build that would replace one stops, naming it (unless --force).`,
  options: {
    ...BUILD_OPTIONS,
    check: {
      type: 'boolean',
      description: ['write nothing; exit 1 and name the files that differ from', 'what is on disk (secret files are not compared)'],
    },
    stdout: { type: 'boolean', description: ['write nothing; print the files (secret ones redacted)'] },
    force: { type: 'boolean', description: ['replace files in the output folder that afc did not write'] },
  },
  exitCodes: '0 built (or current), 1 invalid spec or output not current, 2 usage or environment error.',
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

export async function run(argv: string[]): Promise<number> {
  const { file, result, values } = await runBuild(definition, argv);
  if (!result.ok) return failureCode(result.diagnostics) ?? 1;
  const shown = relative(process.cwd(), result.outDir) || '.';
  if (values.stdout) {
    for (const file of result.files) {
      process.stdout.write(`# ==> ${file.path} <==\n${file.secret ? `<redacted: ${Buffer.byteLength(file.content)} bytes>\n` : file.content}`);
    }
    return 0;
  }
  if (values.check) {
    const changes = compareOutput(result.outDir, result.files);
    if (changes.length === 0) {
      process.stdout.write(`${shown} is current\n`);
      return 0;
    }
    process.stdout.write(
      `${shown} is not current (run \`afc build\` and commit the result):\n${changes.map((c) => `  ${c.kind.padEnd(7)} ${c.path}\n`).join('')}`,
    );
    return 1;
  }
  const problem = outputFolderProblem(result.outDir, file);
  if (problem) throw new UsageError(problem, 'choose a folder of its own with -o, such as out/<name>/<target>');
  const foreign = values.force ? [] : foreignFiles(result.outDir, result.files);
  if (foreign.length > 0)
    throw new UsageError(
      `${shown} holds files afc did not write, which this build would replace: ${foreign.join(', ')}`,
      'move them away, choose another folder with -o, or pass --force to replace them',
    );
  writing(shown, () => writeOutput(result.outDir, result.files, { force: values.force === true }));
  const secrets = result.files.filter((f) => f.secret).length;
  process.stdout.write(`wrote ${shown}: ${result.files.length} files${secrets ? ` (${secrets} with secret values, mode 0600, git-ignored)` : ''}\n`);
  return 0;
}
