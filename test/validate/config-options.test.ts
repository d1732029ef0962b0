import { assert, describe, expect, it } from 'vitest';
import type { ConfigTables } from '../../compiler/airflow/config-options.ts';
import { locateProblems } from '../../compiler/diagnostics/locate.ts';
import { loadSpec } from '../../compiler/load/load-spec.ts';
import { runRules } from '../../compiler/validate/rule-context.ts';
import { configOptionsKnown, minorRanges } from '../../compiler/validate/rules/config-options.ts';
import { fakeConfigTables } from '../support/config-tables.ts';
import { MINIMAL as BASE } from '../support/spec.ts';

/** The expected texts below are of Airflow 3.1 (and 2.10 where said), whatever version the shared minimal spec moves to. */
const MINIMAL = BASE.replace(/version: "[^"]+"/, 'version: "3.1.3"');

/**
 * The rule over hand-written tables: each fact a case depends on is written
 * here. test/validate/config-tables.test.ts runs the same rule over Airflow's
 * own tables.
 */
const common = [
  { section: 'core', key: 'load_examples', type: 'boolean' as const },
  { section: 'core', key: 'parallelism', type: 'integer' as const },
  { section: 'core', key: 'default_task_weight_rule', enum: ['absolute', 'downstream', 'upstream'] },
  { section: 'database', key: 'sql_alchemy_pool_size', type: 'integer' as const },
  { section: 'database', key: 'sql_alchemy_max_overflow', type: 'integer' as const },
  { section: 'smtp', key: 'smtp_password', sensitive: true },
  { section: 'smtp', key: 'smtp_host' },
  { section: 'celery', key: 'worker_autoscale', provider: 'celery' },
  { section: 'celery', key: 'visibility_timeout_ratio', type: 'float' as const, provider: 'celery' },
  { section: 'kubernetes_executor', key: 'delete_worker_pods', type: 'boolean' as const, provider: 'cncf.kubernetes' },
];
const TABLES = fakeConfigTables([
  {
    minor: '2.10',
    release: '2.10.5',
    options: [
      ...common,
      {
        section: 'core',
        key: 'sql_alchemy_pool_size',
        type: 'integer',
        deprecated: { since: '2.3.0', replacement: { section: 'database', key: 'sql_alchemy_pool_size' } },
      },
      { section: 'scheduler', key: 'min_file_process_interval', type: 'integer' },
      { section: 'scheduler', key: 'parsing_processes', type: 'integer' },
    ],
    freeForm: ['celery_broker_transport_options'],
  },
  {
    minor: '3.1',
    release: '3.1.8',
    options: [
      ...common,
      { section: 'dag_processor', key: 'min_file_process_interval', type: 'integer' },
      { section: 'dag_processor', key: 'parsing_processes', type: 'integer' },
      { section: 'scheduler', key: 'parsing_cleanup_interval', type: 'integer' },
      { section: 'api', key: 'grid_view_sorting_order', enum: ['topological', 'hierarchical_alphabetical'] },
    ],
    moved: [
      { section: 'core', key: 'sql_alchemy_pool_size', to: { section: 'database', key: 'sql_alchemy_pool_size' }, since: '2.3.0' },
      { section: 'core', key: 'sql_alchemy_max_overflow', to: { section: 'database', key: 'sql_alchemy_max_overflow' }, since: '2.3.0' },
      { section: 'scheduler', key: 'min_file_process_interval', to: { section: 'dag_processor', key: 'min_file_process_interval' }, since: '3.0.0' },
      { section: 'scheduler', key: 'parsing_processes', to: { section: 'dag_processor', key: 'parsing_processes' }, since: '3.0.0' },
      { section: 'kubernetes', key: 'delete_worker_pods', to: { section: 'kubernetes_executor', key: 'delete_worker_pods' }, since: '2.5.0' },
    ],
    freeForm: ['celery_broker_transport_options'],
  },
]);

const airflow2 = MINIMAL.replace('"3.1.3"', '"2.10.5"');

/** `severity code@line:col message | hint` of the rule alone, over `tables`. */
function checkWith(text: string, tables: () => ConfigTables = () => TABLES): string[] {
  const loaded = loadSpec('spec.yaml', Buffer.from(text));
  assert(loaded.ok);
  const problems = runRules([configOptionsKnown(tables)], loaded.spec, { named: false, manifests: [] });
  return locateProblems(problems, loaded.spec).map((d) => `${d.severity} ${d.code}@${d.line}:${d.column} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);
}

const config = (spec: string, yaml: string) => spec.replace(/^( {2}version: .*)$/m, `$1\n  config:\n${yaml}`);

describe('airflow.config against the tables of the declared version', () => {
  it('accepts known options of the right type', () => {
    const spec = config(MINIMAL, '    core: { load_examples: false, parallelism: "32", default_task_weight_rule: upstream }\n    smtp: { smtp_host: mail }\n');
    expect(checkWith(spec)).toEqual([]);
  });

  it('does not read the tables when the spec sets no option', () => {
    const never = () => {
      throw new Error('tables read');
    };
    expect(checkWith(MINIMAL, never)).toEqual([]);
    expect(checkWith(MINIMAL.replace('"3.1.3"', '"3.1.3"\n  env: { TZ: UTC }'), never)).toEqual([]);
    expect(() => checkWith(config(MINIMAL, '    core: { load_examples: false }\n'), never)).toThrow('tables read');
  });

  it('leaves a version the tables do not cover to the version rules (AFC2001, and a newer one to its own warning)', () => {
    for (const version of ['3.9.0', '2.6.3', 'x'])
      expect(checkWith(config(MINIMAL.replace('"3.1.3"', `"${version}"`), '    core: { nonsense: 1 }\n'))).toEqual([]);
  });

  it('says where an option moved, at its key, when this version no longer reads it (the issue: [core] sql_alchemy_pool_size on 3.1.3)', () => {
    expect(checkWith(config(MINIMAL, '    core:\n      sql_alchemy_pool_size: 20\n      sql_alchemy_max_overflow: 30\n'))).toEqual([
      'error AFC2030@7:7 [core] sql_alchemy_pool_size is not read by Airflow 3.1: it moved to [database] sql_alchemy_pool_size in 2.3.0 | set airflow.config.database.sql_alchemy_pool_size instead',
      'error AFC2030@8:7 [core] sql_alchemy_max_overflow is not read by Airflow 3.1: it moved to [database] sql_alchemy_max_overflow in 2.3.0 | set airflow.config.database.sql_alchemy_max_overflow instead',
    ]);
  });

  it('warns about a deprecated option that this version still reads, naming its replacement', () => {
    expect(checkWith(config(airflow2, '    core: { sql_alchemy_pool_size: 20 }\n'))).toEqual([
      'warning AFC2031@6:13 [core] sql_alchemy_pool_size is deprecated since Airflow 2.3.0: it is now [database] sql_alchemy_pool_size | set airflow.config.database.sql_alchemy_pool_size instead',
    ]);
  });

  it('guesses a misspelled option, pointing at where it is on this version (the issue: scheduler.min_file_proces_interval)', () => {
    const spec = (s: string) => config(s, '    scheduler:\n      min_file_proces_interval: 30\n');
    expect(checkWith(spec(MINIMAL))).toEqual([
      'error AFC2026@7:7 [scheduler] min_file_proces_interval is not an Airflow 3.1 option | did you mean min_file_process_interval? On Airflow 3.1 it is [dag_processor] min_file_process_interval: set airflow.config.dag_processor.min_file_process_interval instead',
    ]);
    expect(checkWith(spec(airflow2))).toEqual([
      'error AFC2026@7:7 [scheduler] min_file_proces_interval is not an Airflow 2.10 option | did you mean airflow.config.scheduler.min_file_process_interval?',
    ]);
  });

  it('guesses an option of the right name in the wrong section, then any close option', () => {
    expect(checkWith(config(MINIMAL, '    core: { smtp_host: mail, delete_worker_pod: true }\n'))).toEqual([
      'error AFC2026@6:13 [core] smtp_host is not an Airflow 3.1 option | did you mean airflow.config.smtp.smtp_host?',
      'error AFC2026@6:30 [core] delete_worker_pod is not an Airflow 3.1 option | did you mean airflow.config.kubernetes_executor.delete_worker_pods?',
    ]);
    expect(checkWith(config(MINIMAL, '    core: { zzz: 1 }\n'))[0]).toContain('| afc explain lists what Airflow 3.1 has');
  });

  it('names the versions that have an option the declared one lacks', () => {
    expect(checkWith(config(airflow2, '    api: { grid_view_sorting_order: topological }\n'))).toEqual([
      'error AFC2027@6:5 section [api] is not in Airflow 2.10: only in 3.1 | remove it, or change airflow.version',
    ]);
    expect(checkWith(config(MINIMAL, '    scheduler: { min_file_process_interval: 30 }\n'))[0]).toContain('AFC2030@6:18');
    expect(checkWith(config(airflow2, '    dag_processor: { parsing_processes: 2 }\n'))[0]).toContain(
      'AFC2027@6:5 section [dag_processor] is not in Airflow 2.10: only in 3.1',
    );
  });

  it('checks types as Airflow parses them, at the value', () => {
    const ok = '    core: { load_examples: "T # no examples", parallelism: " +1_000 " }\n    celery: { visibility_timeout_ratio: "1e-1" }\n';
    expect(checkWith(config(MINIMAL, ok))).toEqual([]);
    expect(checkWith(config(MINIMAL, '    core: { load_examples: 1, parallelism: 16 }\n    celery: { visibility_timeout_ratio: -.5 }\n'))).toEqual([]);
    const bad = '    core: { load_examples: "yes", parallelism: 1.5 }\n    celery: { visibility_timeout_ratio: "half" }\n';
    expect(checkWith(config(MINIMAL, bad))).toEqual([
      'error AFC2032@6:28 [core] load_examples must be a boolean, not "yes" | write true or false (Airflow also reads t, f, 1, 0)',
      'error AFC2032@6:48 [core] parallelism must be an integer, not "1.5" | write a whole number, such as 16',
      'error AFC2032@7:41 [celery] visibility_timeout_ratio must be a number, not "half" | write a number, such as 30 or 0.5',
    ]);
    expect(checkWith(config(MINIMAL, '    core: { parallelism: true }\n'))).toEqual([
      'error AFC2032@6:26 [core] parallelism must be an integer, not "True" | write a whole number, such as 16',
    ]);
  });

  it('lists the allowed values of an enum, at the value', () => {
    expect(checkWith(config(MINIMAL, '    core: { default_task_weight_rule: Downstream }\n'))).toEqual([
      'error AFC2033@6:39 [core] default_task_weight_rule cannot be "Downstream" on Airflow 3.1 | use one of: absolute, downstream, upstream',
    ]);
  });

  it('refuses a secret option in plain text, and takes it as a reference, or its _cmd and _secret forms', () => {
    expect(checkWith(config(MINIMAL, '    smtp: { smtp_password: hunter2 }\n'))).toEqual([
      'error AFC2034@6:28 [smtp] smtp_password is a secret in Airflow 3.1: a plain value would be written into files people review | give a secret reference instead, such as smtp_password: { ssm: /analytics/smtp_smtp_password }',
    ]);
    const fine = '    smtp: { smtp_password: { ssm: /a/smtp }, smtp_password_cmd: "cat /run/pw", smtp_password_secret: smtp_pw }\n';
    expect(checkWith(config(MINIMAL, fine))).toEqual([]);
    expect(checkWith(config(MINIMAL, '    smtp: { smtp_host_cmd: x }\n'))[0]).toContain('AFC2026');
  });

  it('reports a section once: renamed, misspelled, or in no table', () => {
    expect(checkWith(config(MINIMAL, '    kubernetes:\n      delete_worker_pods: true\n'))).toEqual([
      'error AFC2020@6:5 section [kubernetes] is not read by Airflow 3.1: it is now [kubernetes_executor] | rename it to kubernetes_executor',
    ]);
    expect(checkWith(config(MINIMAL, '    schedular: { a: 1, b: 2 }\n'))).toEqual([
      'error AFC2028@6:5 section [schedular] is not an Airflow 3.1 section | did you mean [scheduler]?',
    ]);
    expect(checkWith(config(MINIMAL, '    openlineage: { transport: x }\n'))).toEqual([
      'warning AFC2029@6:5 section [openlineage] is in no configuration table afc has (Airflow 3.1.8 and the providers it installs): afc cannot check its options | if it belongs to a provider you install, check its options against that provider; otherwise remove it',
    ]);
  });

  it('takes any key in a free-form section', () => {
    expect(checkWith(config(MINIMAL, '    celery_broker_transport_options: { visibility_timeout: 21600, anything: x }\n'))).toEqual([]);
  });

  it('checks AIRFLOW__SECTION__KEY in airflow.env the same way, pointing at the variable', () => {
    const env = (vars: string) => MINIMAL.replace('"3.1.3"', `"3.1.3"\n  env:\n${vars}`);
    expect(checkWith(env('    AIRFLOW__CORE__SQL_ALCHEMY_POOL_SIZE: "20"\n    AIRFLOW__CORE__LOAD_EXAMPLES: "nope"\n    TZ: UTC\n'))).toEqual([
      'error AFC2030@6:5 AIRFLOW__CORE__SQL_ALCHEMY_POOL_SIZE is not read by Airflow 3.1: it moved to [database] sql_alchemy_pool_size in 2.3.0 | set airflow.env.AIRFLOW__DATABASE__SQL_ALCHEMY_POOL_SIZE instead',
      'error AFC2032@7:35 AIRFLOW__CORE__LOAD_EXAMPLES must be a boolean, not "nope" | write true or false (Airflow also reads t, f, 1, 0)',
    ]);
    expect(checkWith(env('    AIRFLOW__SCHEDULAR__X: "1"\n'))).toEqual([
      'error AFC2028@6:5 AIRFLOW__SCHEDULAR__X: section [schedular] is not an Airflow 3.1 section | did you mean [scheduler]?',
    ]);
    // Airflow reads only the upper-case name.
    expect(checkWith(env('    airflow__core__nothing: "1"\n'))).toEqual([]);
  });

  it('leaves the options afc owns to their own rule', () => {
    expect(checkWith(config(MINIMAL, '    core: { sql_alchemy_conn: "postgresql://u:p@h/db", executor: nope }\n'))).toEqual([]);
  });

  it('writes version runs compactly', () => {
    const all = ['2.7', '2.8', '2.9', '2.10', '3.0', '3.1'];
    expect(minorRanges(all, ['2.7', '2.8', '2.9', '3.1'])).toBe('2.7–2.9, 3.1');
    expect(minorRanges(all, ['3.0'])).toBe('3.0');
  });
});
