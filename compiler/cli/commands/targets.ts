import { parseCommandArgs } from '../args.ts';
import { registryWith } from '../select-target.ts';

export const usage = `Usage: afc targets [--plugin MODULE]…

Lists the targets afc can build, built in and loaded with --plugin.
`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('targets', argv, { plugin: { type: 'string', short: 'p', multiple: true } });
  const registry = await registryWith(values.plugin ?? []);
  const targets = await registry.list();
  const width = Math.max(...targets.map((t) => t.name.length));
  for (const t of targets) process.stdout.write(`${t.name.padEnd(width)}  ${t.description}${t.plugin ? ' (plugin)' : ''}\n`);
  return 0;
}
