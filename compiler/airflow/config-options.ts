import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';

/**
 * Airflow's configuration options, per minor release, as Airflow itself
 * declares them: read from the wheels pinned in
 * scripts/airflow-config/pins.json by scripts/airflow-config/extract.py into
 * compiler/airflow/config-options.json (sources: docs/airflow-facts.md §12).
 *
 * Loading is lazy: nothing is read until configTables() is first called; the
 * file is about 170 kB, read and parsed in 2-6 ms (§12d).
 */

/**
 * The type Airflow's description declares (`integer`, `float`, `boolean` are
 * read with `conf.getint`, `getfloat`, `getboolean`). It documents, it does not
 * bind: some `string` options are read with a stricter getter (`[core]
 * load_examples` with getboolean; §12b), so `string` refuses nothing.
 */
export type ConfigType = 'string' | 'integer' | 'float' | 'boolean';

/** One `[section] key` of one minor release. Section and key are lower-case, as Airflow reads them. */
export interface ConfigOption {
  section: string;
  key: string;
  type: ConfigType;
  /**
   * config.yml's default, verbatim (it may hold Airflow's own placeholders such
   * as `{AIRFLOW_HOME}`); null when Airflow declares none.
   */
  default: string | null;
  /** `sensitive: true` in Airflow's description: masked by Airflow, and readable from `<key>_cmd` / `<key>_secret`. */
  sensitive: boolean;
  /** The values Airflow accepts (its `enums_options`), where it declares a literal list. */
  enum?: readonly string[];
  /**
   * Airflow checks the value against a list it computes at run time (this
   * expression, from configuration.py) that the tables could not read
   * statically: neither accept nor refuse a value on the table's word.
   */
  enumComputed?: string;
  /** Provider package short name that declares the option ('celery', 'cncf.kubernetes', …); absent for Airflow core. */
  provider?: string;
  /** First sentence of Airflow's description. */
  description?: string;
  /** `version_added` in Airflow's description. */
  versionAdded?: string;
  /**
   * Airflow still reads the option but warns: either its description says so
   * (`version_deprecated`, `deprecation_reason`), or it is the old name of
   * `replacement` (configuration.py's `deprecated_options`,
   * `many_to_one_deprecated_options`, `deprecated_sections`). `since` is the
   * Airflow version Airflow gives, as written there ('2.3.0', '3.0').
   */
  deprecated?: { since?: string; reason?: string; replacement?: { section: string; key: string } };
  /**
   * Set on `<key>_cmd` / `<key>_secret` of a sensitive option: Airflow runs
   * the command (`cmd`) or asks its secrets backend (`secret`) for the value
   * of `key` in the same section.
   */
  valueFrom?: { key: string; via: 'cmd' | 'secret' };
  /**
   * What this release's `airflow config lint` (CONFIGS_CHANGES, the checks
   * of the upgrade to 3.0; 2.11 and 3.x) says of the option: its default
   * changed in 3.0 (`defaultChange`: from, to), a value it refuses
   * (`invalidValue`), values the upgrade drops (`droppedValues`), and
   * Airflow's advice (first sentence).
   */
  lint?: { defaultChange?: readonly [string | null, string | null]; invalidValue?: string; droppedValues?: readonly string[]; suggestion?: string };
  /**
   * Set when no description declares the option but Airflow's code reads it
   * by name (`conf.getint("webserver", "log_request_clock_grace", fallback=30)`):
   * the files that read it, as `<wheel role>:<path in the wheel>` (role: core,
   * sdk or a provider). `type` is then the getter's conversion, `default` the
   * `fallback=` literal where every reader gives the same one.
   */
  readIn?: readonly string[];
}

/** An option that a minor no longer reads at `section`/`key`, because Airflow moved or renamed it to `to`. */
export interface MovedOption {
  section: string;
  key: string;
  to: { section: string; key: string };
  /** The Airflow version since which the old place was deprecated, where Airflow's deprecated_options says. */
  since?: string;
  /** The newest supported minor (older than the one asked) that still reads the old place. */
  lastMinor?: string;
  /** The first supported minor that no longer reads the old place (the one after `lastMinor`). */
  goneIn?: string;
}

/** An option that Airflow's upgrade check (`airflow config lint`, CONFIGS_CHANGES) lists as removed, absent from this minor. */
export interface RemovedOption {
  section: string;
  key: string;
  /** Airflow's suggestion, first sentence. */
  reason?: string;
  /** As in MovedOption. */
  lastMinor?: string;
  /** As in MovedOption. */
  goneIn?: string;
}

/** Everything known about one minor release. */
export interface ConfigTable {
  /** '3.3' */
  minor: string;
  /** '3.3.2', the patch release the table was read from. */
  release: string;
  /** Provider short name → the version read with this release. */
  providers: Readonly<Record<string, string>>;
  /**
   * The option Airflow reads at `[section] key`, or undefined. Lookups are
   * case-insensitive. `<key>_cmd` and `<key>_secret` of a sensitive option give
   * a string option with `valueFrom` set (and the base option's deprecation,
   * with the replacement's key suffixed the same way), as Airflow reads them.
   */
  option(section: string, key: string): ConfigOption | undefined;
  /** Every section with at least one option in this minor, sorted. */
  sections(): string[];
  /** Every option of `section` (or of all sections), sorted by section then key. No `_cmd`/`_secret` forms. */
  options(section?: string): ConfigOption[];
  /** Airflow reads the whole section as a key set (`conf.getsection`): any key is meaningful there. */
  isFreeFormSection(section: string): boolean;
  /** An option that is no longer read in this minor, but was at another place before (or moved away in this minor). */
  moved(section: string, key: string): MovedOption | undefined;
  /** An option Airflow's upgrade check lists as removed, and that this minor does not read. */
  removed(section: string, key: string): RemovedOption | undefined;
}

/** The tables of every supported minor. */
export interface ConfigTables {
  /** Ascending, '2.7' … '3.3'. */
  minors: readonly string[];
  /** The newest release read, e.g. '3.3.2'. */
  newest: string;
  /** The table of the version's minor; undefined when older than the first minor or newer than `newest`'s. */
  forVersion(version: { major: number; minor: number }): ConfigTable | undefined;
  /** Every minor that reads `[section] key`, ascending. */
  history(section: string, key: string): { minor: string; option: ConfigOption }[];
}

/** The data file's shape (compiler/airflow/config-options.json). Bit i of a mask is `minors[i]`. */
interface Variant {
  /** Minors mask. */
  m: number;
  /** type */
  t: ConfigType;
  /** default */
  d?: string;
  /** sensitive */
  s?: 1;
  /** enum */
  e?: string[];
  /** provider */
  p?: string;
  /** description, first sentence */
  x?: string;
  /** version_added */
  a?: string;
  /** deprecation; `to` = [section, key] of the replacement */
  dep?: { since?: string; reason?: string; to?: [string, string] };
  /** read by these files, declared nowhere */
  r?: string[];
}

interface Data {
  minors: string[];
  releases: { release: string; providers: Record<string, string> }[];
  options: Record<string, Record<string, Variant[]>>;
  freeForm: Record<string, number>;
  /** [old section, old key, new section, new key, since | null, minors mask] */
  renames: [string, string, string, string, string | null, number][];
  /** [section, key, reason | null, minors mask] */
  removed: [string, string, string | null, number][];
  /** [section, key, expression, minors mask] */
  unresolvedEnums: [string, string, string, number][];
  /** [section, key, what `airflow config lint` says, minors mask] */
  lint: [string, string, NonNullable<ConfigOption['lint']>, number][];
}

/** Path of the data file inside the package. */
export const CONFIG_OPTIONS_FILE = join('compiler', 'airflow', 'config-options.json');

let tables: ConfigTables | undefined;

/** The tables, read and parsed on the first call. */
export function configTables(): ConfigTables {
  tables ??= load(JSON.parse(readFileSync(join(packageRoot(), CONFIG_OPTIONS_FILE), 'utf8')) as Data);
  return tables;
}

function load(data: Data): ConfigTables {
  const byMinor = new Map<number, ConfigTable>();
  const table = (index: number): ConfigTable => {
    let found = byMinor.get(index);
    if (!found) {
      found = new Table(data, index);
      byMinor.set(index, found);
    }
    return found;
  };
  const newest = data.releases[data.releases.length - 1]?.release ?? '';
  return {
    minors: data.minors,
    newest,
    forVersion({ major, minor }) {
      const index = data.minors.indexOf(`${major}.${minor}`);
      return index < 0 ? undefined : table(index);
    },
    history(section, key) {
      const found: { minor: string; option: ConfigOption }[] = [];
      data.minors.forEach((minor, index) => {
        const option = table(index).option(section, key);
        if (option) found.push({ minor, option });
      });
      return found;
    },
  };
}

class Table implements ConfigTable {
  readonly minor: string;
  readonly release: string;
  readonly providers: Readonly<Record<string, string>>;
  private readonly bit: number;

  constructor(
    private readonly data: Data,
    private readonly index: number,
  ) {
    this.minor = data.minors[index] as string;
    const release = data.releases[index];
    this.release = release?.release ?? '';
    this.providers = release?.providers ?? {};
    this.bit = 1 << index;
  }

  option(section: string, key: string): ConfigOption | undefined {
    const s = section.toLowerCase();
    const k = key.toLowerCase();
    const declared = this.declared(s, k);
    if (declared) return declared;
    const suffix = /_(cmd|secret)$/.exec(k);
    if (!suffix) return undefined;
    const via = suffix[1] as 'cmd' | 'secret';
    const base = this.declared(s, k.slice(0, -suffix[0].length));
    if (!base?.sensitive) return undefined;
    const option: ConfigOption = { section: s, key: k, type: 'string', default: null, sensitive: true, valueFrom: { key: base.key, via } };
    if (base.provider) option.provider = base.provider;
    if (base.deprecated) {
      const { replacement, ...rest } = base.deprecated;
      option.deprecated = replacement ? { ...rest, replacement: { section: replacement.section, key: `${replacement.key}${suffix[0]}` } } : rest;
    }
    return option;
  }

  sections(): string[] {
    return Object.keys(this.data.options)
      .filter((s) => Object.values(this.data.options[s] ?? {}).some((variants) => variants.some((v) => v.m & this.bit)))
      .sort();
  }

  options(section?: string): ConfigOption[] {
    const sections = section === undefined ? this.sections() : [section.toLowerCase()];
    return sections.flatMap((s) =>
      Object.keys(this.data.options[s] ?? {})
        .sort()
        .flatMap((k) => this.declared(s, k) ?? []),
    );
  }

  isFreeFormSection(section: string): boolean {
    return ((this.data.freeForm[section.toLowerCase()] ?? 0) & this.bit) !== 0;
  }

  moved(section: string, key: string): MovedOption | undefined {
    const s = section.toLowerCase();
    const k = key.toLowerCase();
    if (this.declared(s, k)) return undefined;
    // Follow renames (a → b → c) to a place this minor reads; Airflow's rows with a version first.
    const seen = new Set<string>();
    let at: [string, string] = [s, k];
    let since: string | undefined;
    for (;;) {
      const id = `${at[0]}\0${at[1]}`;
      if (seen.has(id)) return undefined;
      seen.add(id);
      const rows = this.data.renames.filter((r) => r[0] === at[0] && r[1] === at[1]);
      const row = rows.find((r) => r[4] !== null) ?? rows[0];
      if (!row) return undefined;
      since ??= row[4] ?? undefined;
      at = [row[2], row[3]];
      const declared = this.declared(at[0], at[1]);
      if (declared) {
        // A place that is itself only a deprecated name: Airflow does not read an old name's old name.
        const next = declared.deprecated?.replacement;
        if (next && this.declared(next.section, next.key)) at = [next.section, next.key];
        break;
      }
    }
    const moved: MovedOption = { section: s, key: k, to: { section: at[0], key: at[1] } };
    if (since !== undefined) moved.since = since;
    return Object.assign(moved, this.lastRead(s, k));
  }

  removed(section: string, key: string): RemovedOption | undefined {
    const s = section.toLowerCase();
    const k = key.toLowerCase();
    if (this.declared(s, k)) return undefined;
    const row = this.data.removed.find((r) => r[0] === s && r[1] === k);
    if (!row) return undefined;
    const removed: RemovedOption = { section: s, key: k };
    if (row[2] !== null) removed.reason = row[2];
    return Object.assign(removed, this.lastRead(s, k));
  }

  /** The newest minor older than this one that reads `[s] k`, and the minor after it. */
  private lastRead(s: string, k: string): { lastMinor?: string; goneIn?: string } {
    const variants = this.data.options[s]?.[k] ?? [];
    for (let i = this.index - 1; i >= 0; i--) {
      if (variants.some((v) => v.m & (1 << i))) return { lastMinor: this.data.minors[i] as string, goneIn: this.data.minors[i + 1] as string };
    }
    return {};
  }

  private declared(s: string, k: string): ConfigOption | undefined {
    const variants = Object.hasOwn(this.data.options, s) ? this.data.options[s] : undefined;
    const v = variants && Object.hasOwn(variants, k) ? variants[k]?.find((x) => x.m & this.bit) : undefined;
    if (!v) return undefined;
    const option: ConfigOption = { section: s, key: k, type: v.t, default: v.d ?? null, sensitive: v.s === 1 };
    if (v.e) option.enum = v.e;
    const computed = this.data.unresolvedEnums.find((r) => r[0] === s && r[1] === k && r[3] & this.bit);
    if (computed) option.enumComputed = computed[2];
    const lint = this.data.lint.find((r) => r[0] === s && r[1] === k && r[3] & this.bit);
    if (lint) option.lint = lint[2];
    if (v.p) option.provider = v.p;
    if (v.x) option.description = v.x;
    if (v.a) option.versionAdded = v.a;
    if (v.r) option.readIn = v.r;
    if (v.dep) {
      const deprecated: NonNullable<ConfigOption['deprecated']> = {};
      if (v.dep.since !== undefined) deprecated.since = v.dep.since;
      if (v.dep.reason !== undefined) deprecated.reason = v.dep.reason;
      if (v.dep.to) deprecated.replacement = { section: v.dep.to[0], key: v.dep.to[1] };
      option.deprecated = deprecated;
    }
    return option;
  }
}
