import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OWNED_OPTIONS, optionEnvName, optionOfEnvName, ownedOption } from '../../compiler/airflow/owned-options.ts';
import { buildOutput } from '../../compiler/build/build.ts';
import { readSpec } from '../../compiler/load/load-spec.ts';
import type { AirflowSpec } from '../../schema/generated/types.ts';
import type { SsmSession } from '../../compiler/secrets/ssm.ts';
import { BUILT_IN_TARGETS } from '../../targets/built-in.ts';
import type { Target } from '../../compiler/targets/target.ts';
import { EXAMPLE_OUTPUTS } from '../../scripts/examples.ts';
import { REPO } from '../support/cli.ts';

/**
 * Options afc sets where "a user's own value wins" (compiler/airflow/settings.ts):
 * afc's value is a default, so they are not owned.
 */
const USER_WINS = [
  'AIRFLOW__CORE__PARALLELISM',
  'AIRFLOW__API__BASE_URL',
  'AIRFLOW__WEBSERVER__BASE_URL',
  'AIRFLOW__API__AUTH_BACKENDS',
  'AIRFLOW__CORE__HOSTNAME_CALLABLE',
];

/** An SSM that knows every parameter it is asked for. */
const anySsm = async (): Promise<SsmSession> => ({
  region: 'eu-west-1',
  endpoint: 'fake',
  calls: { GetParameters: 0, GetParametersByPath: 0 },
  getParameters: async (names) => ({
    found: names.map((name) => ({ name, value: `value-of-${name}`, arn: `arn:aws:ssm:eu-west-1:1:parameter${name}` })),
    missing: [],
  }),
  getParametersByPath: async () => [],
  destroy: () => {},
});

const examples = readdirSync(join(REPO, 'examples'), { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

/** The AIRFLOW__SECTION__KEY names a spec sets itself, in airflow.config and airflow.env. */
function usersOwn(spec: AirflowSpec): Set<string> {
  const names = Object.entries(spec.airflow.config ?? {}).flatMap(([section, keys]) => Object.keys(keys).map((key) => optionEnvName(section, key)));
  return new Set([...names, ...Object.keys(spec.airflow.env ?? {})]);
}

describe('the options afc owns', () => {
  let targets: Target[];
  beforeAll(async () => {
    targets = await Promise.all(BUILT_IN_TARGETS.map((t) => t.load()));
  });

  it('hold every AIRFLOW__SECTION__KEY that afc writes into any example on any target, but those where a user value wins', async () => {
    const emitted = new Map<string, string>();
    const built: string[] = [];
    for (const example of examples) {
      const file = join(REPO, 'examples', example, 'airflow.yaml');
      const loaded = readSpec(file);
      if (!loaded.ok) throw new Error(`examples/${example} does not load`);
      const own = usersOwn(loaded.spec.data as unknown as AirflowSpec);
      for (const target of targets) {
        const result = await buildOutput({ file, target, outDir: join(REPO, 'out', example, target.name), openSsm: anySsm });
        // A target may refuse an example (its executor, its DAG source, settings it lacks): nothing to read.
        if (!result.ok) continue;
        built.push(`${example} ${target.name}`);
        for (const f of result.files) {
          for (const [name] of f.content.toString().matchAll(/\bAIRFLOW__[A-Z0-9_]+?__[A-Z0-9_]+/g)) {
            if (!own.has(name) && !USER_WINS.includes(name)) emitted.set(name, `${example} --target ${target.name}: ${f.path}`);
          }
        }
      }
    }
    // At least every committed output, and more: each example on targets it was not written for.
    expect(built).toEqual(expect.arrayContaining(EXAMPLE_OUTPUTS.map((o) => `${o.example} ${o.target}`)));
    expect(built.length).toBeGreaterThan(EXAMPLE_OUTPUTS.length);
    const notOwned = [...emitted].filter(([name]) => {
      const option = optionOfEnvName(name);
      return !option || !ownedOption(option.section, option.key);
    });
    expect(notOwned).toEqual([]);
    // The reading above found afc's own settings, and an example's own value is the user's.
    expect([...emitted.keys()]).toEqual(
      expect.arrayContaining(['AIRFLOW__CORE__EXECUTOR', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', 'AIRFLOW__API_AUTH__JWT_SECRET']),
    );
  }, 120_000);

  it('include the database URL in every section that ever held it, with its _cmd and _secret forms', () => {
    for (const section of ['core', 'database'])
      for (const suffix of ['', '_cmd', '_secret'])
        expect(ownedOption(section, `sql_alchemy_conn${suffix}`)?.field, `${section}.sql_alchemy_conn${suffix}`).toBe('database');
    // A non-secret option has no such forms.
    expect(ownedOption('core', 'executor_cmd')).toBeUndefined();
    expect(ownedOption('core', 'load_examples')).toBeUndefined();
  });

  it('name each option once, sorted', () => {
    const names = OWNED_OPTIONS.map((o) => `${o.section}.${o.key}`);
    expect(names).toEqual([...new Set(names)].sort());
  });

  it('read an environment variable as Airflow does: the section ends at the first __', () => {
    expect(optionOfEnvName('AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE')).toEqual({ section: 'kubernetes_executor', key: 'pod_template_file' });
    expect(optionOfEnvName('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD')).toEqual({ section: 'database', key: 'sql_alchemy_conn_cmd' });
    expect(optionOfEnvName('AIRFLOW_CONN_X')).toBeUndefined();
    expect(optionOfEnvName('AIRFLOW__CORE')).toBeUndefined();
  });
});
