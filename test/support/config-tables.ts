import type { ConfigOption, ConfigTable, ConfigTables, MovedOption, RemovedOption } from '../../compiler/airflow/config-options.ts';

/** One minor release of a hand-written table: its options (type string, not sensitive unless said), moves and free-form sections. */
export interface FakeMinor {
  minor: string;
  /** The patch release the table stands for; by default `<minor>.99`, so that a spec's patch of the minor is never newer. */
  release?: string;
  options: (Partial<ConfigOption> & { section: string; key: string })[];
  moved?: MovedOption[];
  removed?: RemovedOption[];
  freeForm?: string[];
}

const byName = <T extends { section: string; key: string }>(a: T, b: T) =>
  a.section < b.section ? -1 : a.section > b.section ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0;

/**
 * `ConfigTables` over a few hand-written options, for tests of the rules
 * that read the tables: each case states exactly the facts it depends on.
 */
export function fakeConfigTables(minors: FakeMinor[]): ConfigTables {
  const tables = minors.map((m): ConfigTable => {
    const options = m.options.map((o): ConfigOption => ({ type: 'string', default: null, sensitive: false, ...o })).sort(byName);
    const declared = (section: string, key: string) => options.find((o) => o.section === section && o.key === key);
    return {
      minor: m.minor,
      release: m.release ?? `${m.minor}.99`,
      providers: {},
      // As the real tables: `<key>_cmd` / `<key>_secret` of a sensitive option is a string option that says where its value comes from.
      option: (section, key) => {
        const form = /^(.+)_(cmd|secret)$/.exec(key);
        const base = form ? declared(section, form[1]!) : undefined;
        if (form && base?.sensitive)
          return { section, key, type: 'string', default: null, sensitive: true, valueFrom: { key: base.key, via: form[2] as 'cmd' | 'secret' } };
        return declared(section, key);
      },
      sections: () => [...new Set(options.map((o) => o.section))].sort(),
      options: (section) => options.filter((o) => section === undefined || o.section === section),
      isFreeFormSection: (section) => m.freeForm?.includes(section) ?? false,
      moved: (section, key) => m.moved?.find((o) => o.section === section && o.key === key),
      removed: (section, key) => m.removed?.find((o) => o.section === section && o.key === key),
    };
  });
  const last = tables.at(-1)!;
  return {
    minors: tables.map((t) => t.minor),
    newest: last.release,
    forVersion: ({ major, minor }) => tables.find((t) => t.minor === `${major}.${minor}`),
    history: (section, key) => tables.flatMap((t) => (t.option(section, key) ? [{ minor: t.minor, option: t.option(section, key)! }] : [])),
  };
}
