import type { ParseArgsConfig } from 'node:util';
import { parseCommandArgs } from './args.ts';

/** One option: what node's parseArgs needs, plus what `--help` shows. */
export interface OptionDefinition {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in the usage text (`NAME`, `DIR`); string options only. */
  value?: string;
  /** One line per entry, as `--help` prints them. */
  description: readonly string[];
}

export type OptionDefinitions = Record<string, OptionDefinition>;

/**
 * A command as `afc <name> --help` describes it and as its arguments parse:
 * the usage text is generated from the same option table the parser uses, so
 * the two cannot disagree.
 */
export interface CommandDefinition<O extends OptionDefinitions> {
  name: string;
  /** What follows `afc <name>` on the usage line (`<spec> --target NAME [options]`). */
  synopsis: string;
  /** Paragraphs, one string each; lines are kept as written. */
  description: string;
  options: O;
  /** The `Exit codes:` line, when the command has more than 0 and 2. */
  exitCodes?: string;
}

/** `--plugin`, as every command that looks targets up takes it. */
export const PLUGIN_OPTION = {
  type: 'string',
  short: 'p',
  multiple: true,
  value: 'MODULE',
  description: ['load a target from a file or package (repeatable)'],
} as const satisfies OptionDefinition;

const HELP: OptionDefinition = { type: 'boolean', short: 'h', description: ['show this help'] };

/** The `--help` text: usage line, description, an aligned option table, exit codes. */
export function usageText(command: CommandDefinition<OptionDefinitions>): string {
  const options = { ...command.options, help: HELP };
  const flags = Object.entries(options).map(([name, option]) => {
    const short = option.short ? `-${option.short}, ` : '    ';
    return `${short}--${name}${option.value ? ` ${option.value}` : ''}`;
  });
  const width = Math.max(...flags.map((flag) => flag.length)) + 2;
  const table = Object.values(options).flatMap((option, i) =>
    option.description.map((line, k) => `  ${(k === 0 ? flags[i]! : '').padEnd(width)}${line}`.trimEnd()),
  );
  const sections = [`Usage: afc ${command.name} ${command.synopsis}`, command.description, `Options:\n${table.join('\n')}`];
  if (command.exitCodes) sections.push(`Exit codes: ${command.exitCodes}`);
  return `${sections.join('\n\n')}\n`;
}

/** Parses a command's arguments against its definition (usage errors suggest the right flag). */
export function parseCommand<O extends OptionDefinitions>(command: CommandDefinition<O>, argv: string[]) {
  return parseCommandArgs(command.name, argv, command.options satisfies NonNullable<ParseArgsConfig['options']>);
}
