import { CODES, type Code } from '../diagnostics/codes.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { formatDiagnostics, OUTPUT_FORMATS, type OutputFormat } from '../diagnostics/format.ts';
import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { buildOutput, type BuildResult } from '../build/build.ts';
import { UnknownEnvironmentError } from '../validate/validate-spec.ts';
import { oneOf } from './args.ts';
import { type CommandDefinition, type OptionDefinition, type OptionDefinitions, PLUGIN_OPTION, parseCommand } from './command.ts';
import { registryWith, selectTarget } from './select-target.ts';
import { UsageError } from './usage-error.ts';

/** `{ file: }` secrets may be read from these folders too; the spec's own folder always. */
export const SECRET_FILES_FROM_OPTION = {
  type: 'string',
  multiple: true,
  value: 'DIR',
  description: ['`{ file: }` secrets may also be read from DIR', "(repeatable; the spec's folder always)"],
} as const satisfies OptionDefinition;

/** Options `build` and `diff` share, in the order `--help` lists them. */
export const BUILD_OPTIONS = {
  target: { type: 'string', short: 't', value: 'NAME', description: ['target (`afc targets` lists them)'] },
  env: { type: 'string', short: 'e', value: 'NAME', description: ["merge this environment's overlay first"] },
  out: { type: 'string', short: 'o', value: 'DIR', description: ['output folder (default: out/<name>/<target> beside the spec)'] },
  offline: { type: 'boolean', description: ['make no network call (secrets that need one fail)'] },
  'secret-files-from': SECRET_FILES_FROM_OPTION,
  format: { type: 'string', short: 'f', value: 'FORMAT', description: ['diagnostics as text, json or github'] },
  plugin: PLUGIN_OPTION,
} as const satisfies OptionDefinitions;

export interface BuildCommand {
  /** The spec, as named on the command line. */
  file: string;
  result: BuildResult;
  format: OutputFormat;
  values: Record<string, unknown>;
}

/** Parses the arguments, runs the build in memory, and prints its diagnostics. */
export async function runBuild(definition: CommandDefinition<typeof BUILD_OPTIONS & OptionDefinitions>, argv: string[]): Promise<BuildCommand> {
  const command = definition.name;
  const parsed = parseCommand(definition, argv);
  const values = parsed.values as Record<string, unknown>;
  const positionals = parsed.positionals;
  const format = oneOf('format', values.format as string | undefined, OUTPUT_FORMATS) ?? 'text';
  if (positionals.length !== 1) throw new UsageError(`afc ${command} takes one spec file`, `afc ${command} airflow.yaml --target compose`);
  if (typeof values.target !== 'string') throw new UsageError(`afc ${command} needs --target`, 'run `afc targets` for the list');
  const registry = await registryWith((values.plugin as string[] | undefined) ?? []);
  const target = await selectTarget(registry, values.target);
  const file = positionals[0]!;
  let result: BuildResult;
  try {
    result = await buildOutput({
      file,
      target,
      ...(typeof values.env === 'string' ? { environment: values.env } : {}),
      ...(typeof values.out === 'string' ? { outDir: values.out } : {}),
      offline: values.offline === true,
      secretFilesFrom: (values['secret-files-from'] as string[] | undefined) ?? [],
    });
  } catch (error) {
    if (!(error instanceof UnknownEnvironmentError)) throw error;
    const guess = didYouMean(error.environment, error.known);
    throw new UsageError(
      `${file}: unknown environment "${error.environment}"; ${error.known.length ? `the spec defines ${error.known.join(', ')}` : 'the spec defines no environments'}`,
      guess ? `did you mean --env ${guess}?` : undefined,
    );
  }
  printDiagnostics(result.diagnostics, format, file, result.source);
  return { file, result, format, values };
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], format: OutputFormat, file: string, source: string | undefined): void {
  if (diagnostics.length === 0 && format !== 'json') return;
  const out = formatDiagnostics(diagnostics, format, new Map(source !== undefined ? [[file, source]] : []));
  (format === 'text' ? process.stderr : process.stdout).write(out);
}

/** 2 for an environment problem, 1 for a spec problem, undefined when the build can go on. */
export function failureCode(diagnostics: readonly Diagnostic[]): number | undefined {
  if (diagnostics.some((d) => CODES[d.code as Code]?.exit === 2)) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : undefined;
}
