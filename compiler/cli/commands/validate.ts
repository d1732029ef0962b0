import { existsSync } from 'node:fs';
import { CODES, type Code } from '../../diagnostics/codes.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { formatDiagnostics, OUTPUT_FORMATS, summaryLine } from '../../diagnostics/format.ts';
import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import { UnknownEnvironmentError, validateFile } from '../../validate/validate-spec.ts';
import { oneOf } from '../args.ts';
import { type CommandDefinition, type OptionDefinitions, PLUGIN_OPTION, parseCommand, usageText } from '../command.ts';
import { registryWith, selectTarget } from '../select-target.ts';
import { UsageError } from '../usage-error.ts';

const definition = {
  name: 'validate',
  synopsis: '[files…] [options]',
  description: `Checks each spec against the schema and afc's rules, without touching the
network. With no file, checks ./airflow.yaml. Environments are checked merged
over the base spec.`,
  options: {
    target: { type: 'string', short: 't', value: 'NAME', description: ["also run the target's own rules"] },
    env: { type: 'string', short: 'e', value: 'NAME', description: ['check only this environment'] },
    format: { type: 'string', short: 'f', value: 'FORMAT', description: ['text (default), json or github (workflow annotations)'] },
    plugin: PLUGIN_OPTION,
    quiet: { type: 'boolean', short: 'q', description: ['print errors only'] },
  },
  exitCodes: '0 valid, 1 invalid, 2 usage or environment error (a file that cannot be read).',
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(definition, argv);
  const format = oneOf('format', values.format, OUTPUT_FORMATS) ?? 'text';
  const files = positionals.length > 0 ? positionals : existsSync('airflow.yaml') ? ['airflow.yaml'] : [];
  if (files.length === 0)
    throw new UsageError('no spec to validate: name one or more files, or run where ./airflow.yaml exists', 'afc validate path/to/airflow.yaml');
  const registry = await registryWith(values.plugin ?? []);
  const target = values.target !== undefined ? await selectTarget(registry, values.target) : undefined;

  const diagnostics: Diagnostic[] = [];
  const sources = new Map<string, string>();
  for (const file of files) {
    try {
      const result = validateFile(file, {
        ...(target ? { target } : { manifests: registry.manifests() }),
        ...(values.env !== undefined ? { environment: values.env } : {}),
      });
      diagnostics.push(...result.diagnostics);
      if (result.source !== undefined) sources.set(file, result.source);
    } catch (error) {
      if (!(error instanceof UnknownEnvironmentError)) throw error;
      const guess = didYouMean(error.environment, error.known);
      throw new UsageError(
        `${file}: unknown environment "${error.environment}"; ${error.known.length ? `the spec defines ${error.known.join(', ')}` : 'the spec defines no environments'}`,
        guess ? `did you mean --env ${guess}?` : undefined,
      );
    }
  }
  const shown = values.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
  process.stdout.write(formatDiagnostics(shown, format, sources));
  if (format === 'text' && !values.quiet) process.stdout.write(`${summaryLine(diagnostics, files.length)}\n`);
  if (diagnostics.some((d) => CODES[d.code as Code]?.exit === 2)) return 2;
  return diagnostics.some((d) => d.severity === 'error') ? 1 : 0;
}
