import { type CommandDefinition, type OptionDefinitions, PLUGIN_OPTION, parseCommand, usageText } from '../command.ts';
import { registryWith } from '../select-target.ts';

const definition = {
  name: 'targets',
  synopsis: '[options]',
  description: 'Lists the targets afc can build, built in and loaded with --plugin.',
  options: { plugin: PLUGIN_OPTION },
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommand(definition, argv);
  const registry = await registryWith(values.plugin ?? []);
  const targets = await registry.list();
  const width = Math.max(...targets.map((t) => t.name.length));
  for (const t of targets) process.stdout.write(`${t.name.padEnd(width)}  ${t.description}${t.plugin ? ' (plugin)' : ''}\n`);
  return 0;
}
