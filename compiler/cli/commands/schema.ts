import { type CommandDefinition, type OptionDefinitions, parseCommand, usageText } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import schema from '../../../schema/airflow.schema.json' with { type: 'json' };

const definition = {
  name: 'schema',
  synopsis: '[options]',
  description: 'Prints the JSON Schema (draft-07) of airflow.yaml, for editors and other tools.',
  options: {},
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseCommand(definition, argv);
  if (positionals.length > 0) throw new UsageError('`afc schema` takes no arguments');
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
