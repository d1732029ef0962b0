import { parseArgs, type ParseArgsConfig } from 'node:util';
import { didYouMean } from '../diagnostics/did-you-mean.ts';
import { UsageError } from './usage-error.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** node's parseArgs, with mistakes turned into usage errors that suggest the right flag. */
export function parseCommandArgs<O extends Options>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown) {
      const guess = didYouMean(unknown.replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(`unknown option ${unknown} for \`afc ${command}\``, guess ? `did you mean --${guess}?` : `run \`afc ${command} --help\``);
    }
    throw new UsageError(message.split('\n')[0]!, `run \`afc ${command} --help\``);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  const guess = didYouMean(value, allowed);
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, not "${value}"`, guess ? `did you mean ${guess}?` : undefined);
}
