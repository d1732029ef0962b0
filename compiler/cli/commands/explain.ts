import { existsSync } from 'node:fs';
import { type ConfigOption, type ConfigTable, type ConfigTables, configTables } from '../../airflow/config-options.ts';
import { optionEnvName, optionOfEnvName, ownedOption } from '../../airflow/owned-options.ts';
import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import { readSpec } from '../../load/load-spec.ts';
import { minorRanges } from '../../validate/rules/config-options.ts';
import { oneOf } from '../args.ts';
import { type CommandDefinition, type OptionDefinitions, parseCommand, usageText } from '../command.ts';
import { UsageError } from '../usage-error.ts';

const definition = {
  name: 'explain',
  synopsis: 'SECTION.KEY [spec] [options]',
  description: `Prints what Airflow's own configuration tables say about one option
(SECTION.KEY, or AIRFLOW__<SECTION>__<KEY>): its type, default, the Airflow
versions that have it, where it moved, deprecation, whether it is a secret,
its allowed values, the provider that declares it, and whether afc sets it
itself (and from which spec field). The version is --version's, else the
spec's (./airflow.yaml, or the one named), else the newest afc knows.`,
  options: {
    version: { type: 'string', value: 'V', description: ['Airflow version (3.1 or 3.1.8)'] },
    format: { type: 'string', short: 'f', value: 'FORMAT', description: ['text (default) or json (one JSON document)'] },
  },
  exitCodes: '0 the version has the option, 1 it does not (another version has it, or it moved), 2 no version has it, or a usage error.',
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

/** What `afc explain --format json` prints: one document. */
export interface Explanation {
  option: string;
  env: string;
  /** The minor looked at, and the release its table was read from. */
  airflow: { minor: string; release: string; from: 'option' | 'spec' | 'newest' };
  /** The option exists in that minor. */
  found: boolean;
  /** When it does not: the minor whose table the type, default and the rest below come from (the newest that has it). */
  describedFrom?: string;
  type?: ConfigOption['type'];
  default?: string | null;
  description?: string;
  sensitive?: boolean;
  /** `<key>_cmd` and `<key>_secret`, which Airflow also reads a secret from. */
  alsoReadFrom?: string[];
  enum?: readonly string[];
  provider?: { name: string; version: string | null } | null;
  deprecated?: ConfigOption['deprecated'] | null;
  /** What this release's `airflow config lint` (the upgrade to 3.0) says of it. */
  lint?: ConfigOption['lint'];
  /** Where the option is read in this minor, when it moved away. */
  movedTo?: { section: string; key: string; since: string | null } | null;
  /** Airflow's upgrade check lists it as removed, and this minor does not read it: its advice, and the first minor without it. */
  removed?: { reason: string | null; goneIn: string | null } | null;
  /** The minors that have the option, ascending; `inMinors` as runs (`2.7–3.3`). */
  minors: string[];
  inMinors: string;
  /** afc sets it itself, from `field` (a spec path, unless `derived`). */
  owned: { field: string; derived: boolean } | null;
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(definition, argv);
  const format = oneOf('format', values.format, ['text', 'json'] as const) ?? 'text';
  const [name, file, ...extra] = positionals;
  if (name === undefined) throw new UsageError('name an option: afc explain SECTION.KEY', 'afc explain core.parallelism');
  if (extra.length > 0) throw new UsageError(`\`afc explain\` takes one option and at most one spec, not ${positionals.length} arguments`);
  const option = parseOptionName(name);
  const tables = configTables();
  const { table, from } = chooseTable(tables, values.version, file);
  const explanation = explain(tables, table, from, option.section, option.key);
  if (!explanation.found && explanation.minors.length === 0 && !explanation.movedTo && !explanation.removed) {
    const everywhere = new Set(tables.minors.flatMap((m) => tableOf(tables, m).options()).map((o) => `${o.section}.${o.key}`));
    const guess = didYouMean(`${option.section}.${option.key}`, everywhere);
    throw new UsageError(
      `no Airflow version afc knows (${tables.minors[0]}–${tables.minors.at(-1)}) has [${option.section}] ${option.key}`,
      guess ? `did you mean afc explain ${guess}?` : undefined,
    );
  }
  process.stdout.write(format === 'json' ? `${JSON.stringify(explanation, null, 2)}\n` : text(explanation));
  return explanation.found ? 0 : 1;
}

/** `core.parallelism`, `AIRFLOW__<SECTION>__<KEY>` → section and key, lower-cased as Airflow reads them. */
function parseOptionName(name: string): { section: string; key: string } {
  const fromEnv = /^AIRFLOW__/.test(name) ? optionOfEnvName(name) : undefined;
  if (fromEnv) return fromEnv;
  const match = /^\[?([a-z0-9_]+)\]?[. ]([a-z0-9_]+)$/i.exec(name.trim());
  if (!match) throw new UsageError(`"${name}" is not SECTION.KEY`, 'afc explain core.parallelism (or AIRFLOW__<SECTION>__<KEY>)');
  return { section: match[1]!.toLowerCase(), key: match[2]!.toLowerCase() };
}

function tableOf(tables: ConfigTables, minor: string): ConfigTable {
  const [major, m] = minor.split('.').map(Number) as [number, number];
  return tables.forVersion({ major, minor: m })!;
}

/** --version's table, else the spec's, else the newest. */
function chooseTable(
  tables: ConfigTables,
  version: string | undefined,
  file: string | undefined,
): { table: ConfigTable; from: Explanation['airflow']['from'] } {
  const newest = tables.newest.split('.').slice(0, 2).join('.');
  const pick = (raw: string, what: string) => {
    const match = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(raw);
    const table = match ? tables.forVersion({ major: Number(match[1]), minor: Number(match[2]) }) : undefined;
    if (!table) throw new UsageError(`${what} ${raw} is not a version afc has tables for`, `afc knows Airflow ${tables.minors[0]} to ${tables.newest}`);
    return table;
  };
  if (version !== undefined) return { table: pick(version, '--version'), from: 'option' };
  const spec = file ?? (existsSync('airflow.yaml') ? 'airflow.yaml' : undefined);
  if (spec !== undefined) {
    const loaded = readSpec(spec);
    const declared = loaded.ok ? (loaded.spec.data as { airflow?: { version?: unknown } }).airflow?.version : undefined;
    if (typeof declared !== 'string') throw new UsageError(`${spec} declares no airflow.version afc can read`, `run afc validate ${spec}, or give --version`);
    return { table: pick(declared, `${spec}: airflow.version`), from: 'spec' };
  }
  return { table: tableOf(tables, newest), from: 'newest' };
}

/** What the tables know about `[section] key` in `table`'s minor, and across minors. */
export function explain(tables: ConfigTables, table: ConfigTable, from: Explanation['airflow']['from'], section: string, key: string): Explanation {
  const history = tables.history(section, key);
  const minors = history.map((h) => h.minor);
  const option = table.option(section, key) ?? history.at(-1)?.option;
  const moved = table.moved(section, key);
  const removed = table.removed(section, key);
  const owned = ownedOption(section, key);
  const found = table.option(section, key) !== undefined;
  return {
    option: `${section}.${key}`,
    env: optionEnvName(section, key),
    airflow: { minor: table.minor, release: table.release, from },
    found,
    ...(!found && history.length > 0 ? { describedFrom: history.at(-1)!.minor } : {}),
    ...(option
      ? {
          type: option.type,
          default: option.default,
          ...(option.description ? { description: option.description } : {}),
          sensitive: option.sensitive,
          ...(option.sensitive ? { alsoReadFrom: [`${key}_cmd`, `${key}_secret`] } : {}),
          ...(option.enum ? { enum: option.enum } : {}),
          provider: option.provider ? { name: option.provider, version: table.providers[option.provider] ?? null } : null,
          deprecated: option.deprecated ?? null,
          ...(option.lint ? { lint: option.lint } : {}),
        }
      : {}),
    movedTo: moved ? { ...moved.to, since: moved.since ?? null } : null,
    removed: removed ? { reason: removed.reason ?? null, goneIn: removed.goneIn ?? null } : null,
    minors,
    inMinors: minorRanges(tables.minors, minors),
    owned: owned ? { field: owned.field, derived: owned.derived === true } : null,
  };
}

function text(e: Explanation): string {
  const [section, key] = e.option.split('.') as [string, string];
  const lines = [`[${section}] ${key}  (${e.env})`];
  const row = (label: string, value: string) => lines.push(`  ${`${label}:`.padEnd(13)}${value}`);
  const release = e.airflow.from === 'newest' ? `the newest afc knows, ${e.airflow.release}` : e.airflow.release;
  row('airflow', `${e.airflow.minor} (${release})${e.found ? '' : ': does not have it'}`);
  if (e.removed) row('removed', `${e.removed.goneIn ? `in ${e.removed.goneIn}` : 'yes'}${e.removed.reason ? `: ${e.removed.reason}` : ''}`);
  if (e.movedTo) row('moved to', `[${e.movedTo.section}] ${e.movedTo.key}${e.movedTo.since ? ` (in ${e.movedTo.since})` : ''}; set that instead`);
  row('versions', e.inMinors || 'none');
  if (e.describedFrom) row('as of', `${e.describedFrom} (the newest that has it), for what follows`);
  if (e.type) row('type', e.type);
  if (e.default !== undefined) row('default', e.default === null ? '(none)' : JSON.stringify(e.default));
  if (e.enum) row('values', e.enum.map((v) => (v === '' ? '""' : v)).join(', '));
  if (e.sensitive) row('secret', `yes: give a secret reference ({ ssm: … }); Airflow also reads ${e.alsoReadFrom?.join(' and ')}`);
  if (e.deprecated) {
    const r = e.deprecated.replacement;
    row(
      'deprecated',
      `${e.deprecated.since ? `since ${e.deprecated.since}` : 'yes'}${r ? `: use [${r.section}] ${r.key}` : ''}${e.deprecated.reason ? ` (${e.deprecated.reason})` : ''}`,
    );
  }
  if (e.lint) {
    const { defaultChange, invalidValue, droppedValues, suggestion } = e.lint;
    const said = [
      ...(defaultChange ? [`the default changed in 3.0 from ${JSON.stringify(defaultChange[0])} to ${JSON.stringify(defaultChange[1])}`] : []),
      ...(invalidValue !== undefined ? [`${JSON.stringify(invalidValue)} is refused`] : []),
      ...(droppedValues ? [`the upgrade drops ${droppedValues.map((v) => JSON.stringify(v)).join(', ')}`] : []),
      ...(suggestion ? [suggestion] : []),
    ];
    row('upgrade', said.join('; '));
  }
  if (e.provider) row('provider', `apache-airflow-providers-${e.provider.name.replace(/\./g, '-')}${e.provider.version ? ` ${e.provider.version}` : ''}`);
  else if (e.provider === null) row('provider', 'none (Airflow core)');
  if (e.owned)
    row('afc', e.owned.derived ? `sets it itself, from ${e.owned.field}: leave it out of airflow.config` : `sets it from ${e.owned.field}: set that instead`);
  if (e.description) row('about', e.description);
  return `${lines.join('\n')}\n`;
}
