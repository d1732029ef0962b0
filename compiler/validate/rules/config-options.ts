import type { ConfigOption, ConfigTable, ConfigTables } from '../../airflow/config-options.ts';
import { optionEnvName, optionOfEnvName, ownedOption } from '../../airflow/owned-options.ts';
import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import type { SpecPath } from '../../diagnostics/problem.ts';
import { isNewerPatch, parseAirflowVersion } from '../../normalize/airflow-version.ts';
import { plain } from '../../normalize/normalize.ts';
import type { StringOrSecret } from '../../../schema/generated/types.ts';
import type { Rule, RuleContext } from '../rule-context.ts';

/**
 * One option the spec sets: in `airflow.config` (`[section] key`), or in
 * `airflow.env` as `AIRFLOW__<SECTION>__<KEY>`, which Airflow reads the same way.
 */
export interface ConfigEntry {
  section: string;
  key: string;
  value: StringOrSecret;
  path: SpecPath;
  /** How the spec names it, for messages: `[core] load_examples`, or the variable's name. */
  name: string;
  /** How the spec would name another option: `airflow.config.core.x`, or `airflow.env.` and the variable. */
  spell(section: string, key: string): string;
}

const inConfig = (section: string, key: string) => `airflow.config.${section}.${key}`;
const inEnv = (section: string, key: string) => `airflow.env.${optionEnvName(section, key)}`;

/**
 * The options a spec sets, but those afc owns (the managedSettings rule
 * reports them). An environment variable counts only when its name is
 * Airflow's exact upper-case form: Airflow reads no other.
 */
export function configEntries(spec: RuleContext['spec']): ConfigEntry[] {
  const entries: ConfigEntry[] = [];
  for (const [section, keys] of Object.entries(spec.airflow.config ?? {}))
    for (const [key, value] of Object.entries(keys))
      entries.push({ section, key, value, path: ['airflow', 'config', section, key], name: `[${section}] ${key}`, spell: inConfig });
  for (const [name, value] of Object.entries(spec.airflow.env ?? {})) {
    const option = /^AIRFLOW__[A-Z0-9_]+$/.test(name) ? optionOfEnvName(name) : undefined;
    if (option) entries.push({ ...option, value, path: ['airflow', 'env', name], name, spell: inEnv });
  }
  return entries.filter((e) => !ownedOption(e.section, e.key));
}

type Report = RuleContext['report'];

/**
 * Every `airflow.config` option (and `AIRFLOW__*` in `airflow.env`) checked
 * against Airflow's own tables for the spec's version: unknown, not in this
 * version, moved, deprecated, of the wrong type or value, a secret in plain
 * text. The tables are read only when the spec sets an option.
 */
export function configOptionsKnown(tables: () => ConfigTables): Rule {
  return ({ spec, report }) => {
    const entries = configEntries(spec);
    if (entries.length === 0) return;
    const version = parseAirflowVersion(spec.airflow.version);
    // An unsupported version, or one newer than the tables, has its own diagnostics.
    const table = version && tables().forVersion(version);
    if (!table) return;
    const all = tables();
    // A later patch than the table's (3.3.5 of 3.3.2) may add an option: one afc does not know is only a warning there.
    const say: Report = isNewerPatch(version, table.release)
      ? (severity, code, path, message, hint, at) =>
          code === 'AFC2026'
            ? report('warning', code, path, `${message} (in ${table.release}; ${version.raw} may have added it)`, hint, at)
            : report(severity, code, path, message, hint, at)
      : report;
    const handled = checkSections(entries, table, all, spec.name, say);
    for (const entry of entries) if (!handled.has(entry)) checkEntry(entry, table, all, spec.name, say);
  };
}

/**
 * The options of a section the table does not have, reported once a
 * section (once a variable in airflow.env): a renamed section, a misspelled
 * one, one of another version, one afc has no table for. Returns the entries
 * reported here.
 */
function checkSections(entries: ConfigEntry[], table: ConfigTable, tables: ConfigTables, name: string, report: Report): Set<ConfigEntry> {
  const known = table.sections();
  const groups = new Map<string, ConfigEntry[]>();
  for (const e of entries) {
    if (known.includes(e.section) || table.isFreeFormSection(e.section)) continue;
    // A config section is one place in the spec; each environment variable is its own.
    const place = e.spell === inEnv ? e.name : e.section;
    groups.set(place, [...(groups.get(place) ?? []), e]);
  }
  const handled = new Set<ConfigEntry>();
  for (const group of groups.values()) {
    for (const e of group) handled.add(e);
    const first = group[0]!;
    const { section } = first;
    const at: SpecPath = first.spell === inEnv ? first.path : first.path.slice(0, -1);
    const label = first.spell === inEnv ? `${first.name}: section [${section}]` : `section [${section}]`;
    const moves = group.map((e) => table.moved(e.section, e.key));
    const renamedTo = moves[0]?.to.section;
    if (renamedTo && moves.every((m, i) => m?.to.section === renamedTo && m.to.key === group[i]!.key)) {
      report('error', 'AFC2020', at, `${label} is not read by Airflow ${table.minor}: it is now [${renamedTo}]`, `rename it to ${renamedTo}`);
      continue;
    }
    if (moves.some(Boolean)) {
      // Some options of a section Airflow no longer has moved elsewhere: each is reported where it is.
      for (const e of group) checkEntry(e, table, tables, name, report);
      continue;
    }
    const guess = didYouMean(section, known);
    const minors = tables.minors.filter((m) => tables.forVersion(parseMinor(m))?.sections().includes(section));
    if (guess) report('error', 'AFC2028', at, `${label} is not an Airflow ${table.minor} section`, `did you mean [${guess}]?`);
    else if (minors.length > 0)
      report(
        'error',
        'AFC2027',
        at,
        `${label} is not in Airflow ${table.minor}: only in ${minorRanges(tables.minors, minors)}`,
        'remove it, or change airflow.version',
      );
    else
      report(
        'warning',
        'AFC2029',
        at,
        `${label} is in no configuration table afc has (Airflow ${table.release} and the providers it installs): afc cannot check its options`,
        'if it belongs to a provider you install, check its options against that provider; otherwise remove it',
      );
  }
  return handled;
}

function checkEntry(entry: ConfigEntry, table: ConfigTable, tables: ConfigTables, name: string, report: Report): void {
  const { section, key, path } = entry;
  const option = table.option(section, key);
  if (option) {
    checkKnown(entry, option, table, name, report);
    return;
  }
  const moved = table.moved(section, key);
  if (moved) {
    report(
      'error',
      'AFC2030',
      path,
      `${entry.name} is not read by Airflow ${table.minor}${moved.lastMinor ? ` (${moved.lastMinor} was the last)` : ''}: it moved to [${moved.to.section}] ${moved.to.key}${moved.since ? ` in ${moved.since}` : ''}`,
      `set ${entry.spell(moved.to.section, moved.to.key)} instead`,
    );
    return;
  }
  if (table.isFreeFormSection(section)) return;
  const history = tables.history(section, key);
  const removed = table.removed(section, key);
  if (history.length > 0 || removed) {
    const where =
      history.length > 0
        ? `only in ${minorRanges(
            tables.minors,
            history.map((h) => h.minor),
          )}`
        : 'Airflow removed it';
    report(
      'error',
      'AFC2027',
      path,
      `${entry.name} is not in Airflow ${table.minor}: ${where}${removed?.reason ? ` (${removed.reason.replace(/\.$/, '')})` : ''}`,
      'remove it, or change airflow.version',
    );
    return;
  }
  report('error', 'AFC2026', path, `${entry.name} is not an Airflow ${table.minor} option`, guessFor(entry, table, tables));
}

/** "did you mean" over the section's options in this version, the ones that moved from it, then every option. */
function guessFor(entry: ConfigEntry, table: ConfigTable, tables: ConfigTables): string {
  const { section, key } = entry;
  const movedAway = new Set<string>();
  for (const minor of tables.minors)
    for (const o of tables.forVersion(parseMinor(minor))?.options(section) ?? []) if (table.moved(section, o.key)) movedAway.add(o.key);
  const guess = didYouMean(key, [...table.options(section).map((o) => o.key), ...movedAway]);
  if (guess) {
    const moved = table.moved(section, guess);
    return moved
      ? `did you mean ${guess}? On Airflow ${table.minor} it is [${moved.to.section}] ${moved.to.key}: set ${entry.spell(moved.to.section, moved.to.key)} instead`
      : `did you mean ${entry.spell(section, guess)}?`;
  }
  // The option in another section: its own name, or a close one.
  const keyGuess = didYouMean(
    key,
    table.options().map((o) => o.key),
  );
  const elsewhere = keyGuess && table.options().find((o) => o.key === keyGuess);
  if (elsewhere) return `did you mean ${entry.spell(elsewhere.section, elsewhere.key)}?`;
  const names = table.options().map((o) => `${o.section}.${o.key}`);
  const near = didYouMean(`${section}.${key}`, names);
  if (near) {
    const [s, k] = near.split('.') as [string, string];
    return `did you mean ${entry.spell(s, k)}?`;
  }
  return `afc explain lists what Airflow ${table.minor} has; remove it, or check its spelling`;
}

function checkKnown(entry: ConfigEntry, option: ConfigOption, table: ConfigTable, name: string, report: Report): void {
  if (option.deprecated) {
    const r = option.deprecated.replacement;
    report(
      'warning',
      'AFC2031',
      entry.path,
      `${entry.name} is deprecated${option.deprecated.since ? ` since Airflow ${option.deprecated.since}` : ''}${r ? `: it is now [${r.section}] ${r.key}` : ''}`,
      r ? `set ${entry.spell(r.section, r.key)} instead` : (option.deprecated.reason ?? 'remove it: a later Airflow drops it'),
    );
  }
  const value = plain(entry.value);
  if (typeof value !== 'string') return;
  // `<key>_cmd` / `<key>_secret` hold a command or a secrets-backend key, not the secret (docs/airflow-facts.md §13a).
  if (option.sensitive && !option.valueFrom) {
    const reference = `{ ssm: /${name || 'NAME'}/${entry.section}_${entry.key} }`;
    report(
      'error',
      'AFC2034',
      entry.path,
      `${entry.name} is a secret in Airflow ${table.minor}: a plain value would be written into files people review`,
      `give a secret reference instead, such as ${entry.spell === inEnv ? `${entry.name}: ` : `${entry.key}: `}${reference}`,
      'value',
    );
    return;
  }
  const problem = typeProblem(option, value);
  if (problem) report('error', 'AFC2032', entry.path, `${entry.name} must be ${problem}, not ${JSON.stringify(value)}`, TYPE_HINTS[option.type], 'value');
  // An enum Airflow computes at run time (`enumComputed`) is not checked: the tables do not hold it.
  else if (option.enum && value !== '' && !option.enum.includes(value))
    report(
      'error',
      'AFC2033',
      entry.path,
      `${entry.name} cannot be ${JSON.stringify(value)} on Airflow ${table.minor}`,
      `use one of: ${option.enum.map((v) => (v === '' ? '"" (empty)' : v)).join(', ')}`,
      'value',
    );
}

/**
 * What Airflow's `getint`, `getfloat` and `getboolean` accept (Python's
 * `int()` and `float()` of the text; for booleans, the text lower-cased,
 * stripped and cut at a `#`: t, true, 1, f, false, 0). docs/airflow-facts.md §13.
 */
const DIGITS = '[0-9](?:_?[0-9])*';
const PARSES: Record<Exclude<ConfigOption['type'], 'string'>, (text: string) => boolean> = {
  integer: (text) => new RegExp(`^\\s*[+-]?${DIGITS}\\s*$`).test(text),
  float: (text) => new RegExp(`^\\s*[+-]?(?:(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)\\s*$`, 'i').test(text),
  boolean: (text) => ['t', 'true', '1', 'f', 'false', '0'].includes(text.toLowerCase().trim().split('#')[0]!.trim()),
};
const TYPE_NAMES = { integer: 'an integer', float: 'a number', boolean: 'a boolean' } as const;
const TYPE_HINTS: Record<ConfigOption['type'], string> = {
  string: '',
  integer: 'write a whole number, such as 16',
  float: 'write a number, such as 30 or 0.5',
  boolean: 'write true or false (Airflow also reads t, f, 1, 0)',
};

function typeProblem(option: ConfigOption, value: string): string | undefined {
  if (option.type === 'string') return undefined;
  return PARSES[option.type](value) ? undefined : TYPE_NAMES[option.type];
}

function parseMinor(minor: string): { major: number; minor: number } {
  const [major, m] = minor.split('.').map(Number) as [number, number];
  return { major, minor: m };
}

/** `2.7–2.11, 3.1` for the minors in `have`, in the order of `all`. */
export function minorRanges(all: readonly string[], have: readonly string[]): string {
  const runs: string[][] = [];
  let run: string[] = [];
  for (const minor of all) {
    if (have.includes(minor)) run.push(minor);
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs.map((r) => (r.length === 1 ? r[0] : `${r[0]}–${r.at(-1)}`)).join(', ');
}
