import { parseCommandArgs } from '../args.ts';
import { UsageError } from '../usage-error.ts';
import schema from '../../../schema/airflow.schema.json' with { type: 'json' };

export const usage = `Usage: afc schema

Prints the JSON Schema (draft-07) of airflow.yaml, for editors and other tools.
`;

export async function run(argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs('schema', argv, {});
  if (positionals.length > 0) throw new UsageError('`afc schema` takes no arguments');
  process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}
