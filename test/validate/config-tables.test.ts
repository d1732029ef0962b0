import { describe, expect, it } from 'vitest';
import { check, MINIMAL as BASE } from '../support/spec.ts';

/** The expected texts below are of Airflow 3.1 (and 2.10 where said), whatever version the shared minimal spec moves to. */
const MINIMAL = BASE.replace(/version: "[^"]+"/, 'version: "3.1.3"');

/**
 * `afc validate` over Airflow's own tables (compiler/airflow/config-options.json):
 * the examples, each at its line. Expected texts hold facts of the
 * wheels (docs/airflow-facts.md §12); test/validate/config-options.test.ts
 * covers the rule's logic over hand-written tables.
 */
const spec = (version: string, config: string) => MINIMAL.replace('"3.1.3"', `"${version}"\n  config:\n${config}`);

describe("airflow.config against Airflow's tables", () => {
  it('[core] sql_alchemy_pool_size on 3.1.3: moved to [database] and no longer read, at the key', () => {
    expect(check(spec('3.1.3', '    core:\n      sql_alchemy_pool_size: 20\n      sql_alchemy_max_overflow: 30\n'))).toEqual([
      'error AFC2030@7:7 [core] sql_alchemy_pool_size is not read by Airflow 3.1 (2.11 was the last): it moved to [database] sql_alchemy_pool_size in 2.3.0 | set airflow.config.database.sql_alchemy_pool_size instead',
      'error AFC2030@8:7 [core] sql_alchemy_max_overflow is not read by Airflow 3.1 (2.11 was the last): it moved to [database] sql_alchemy_max_overflow in 2.3.0 | set airflow.config.database.sql_alchemy_max_overflow instead',
    ]);
    // Airflow 2.11 still reads it there, and warns.
    expect(check(spec('2.11.2', '    core:\n      sql_alchemy_pool_size: 20\n').replace('  jwtSecret: { ssm: /analytics/jwt_secret }\n', ''))).toEqual([
      'warning AFC2031@7:7 [core] sql_alchemy_pool_size is deprecated since Airflow 2.3.0: it is now [database] sql_alchemy_pool_size | set airflow.config.database.sql_alchemy_pool_size instead',
    ]);
  });

  it('[core] sql_alchemy_conn in plain text: afc owns the database URL, in every section that held it', () => {
    expect(check(spec('3.1.3', '    core:\n      sql_alchemy_conn: "postgresql://u:p@h/db"\n'))).toEqual([
      'error AFC2011@7:7 [core] sql_alchemy_conn is set by afc from database | remove it here and set database instead',
    ]);
    expect(check(spec('3.1.3', '    database: { sql_alchemy_conn_cmd: "cat /run/db" }\n'))[0]).toContain(
      'error AFC2011@6:17 [database] sql_alchemy_conn_cmd is set by afc',
    );
  });

  it('scheduler.min_file_proces_interval: a misspelling, with the option it means and where 3.x reads it', () => {
    expect(check(spec('3.1.3', '    scheduler:\n      min_file_proces_interval: 30\n'))).toEqual([
      'error AFC2026@7:7 [scheduler] min_file_proces_interval is not an Airflow 3.1 option | did you mean min_file_process_interval? On Airflow 3.1 it is [dag_processor] min_file_process_interval: set airflow.config.dag_processor.min_file_process_interval instead',
    ]);
  });

  it('an option of another version: [smtp] smtp_password left in 3.0 for the smtp_default connection', () => {
    expect(check(spec('3.1.3', '    smtp:\n      smtp_password: { ssm: /analytics/smtp }\n'))).toEqual([
      'error AFC2027@7:7 [smtp] smtp_password is not in Airflow 3.1: only in 2.7–2.11 (Please use the SMTP connection (`smtp_default`)) | remove it, or change airflow.version',
    ]);
  });

  it('checks every environment overlay against the same version', () => {
    const overlay = `${MINIMAL}environments:\n  prod:\n    airflow:\n      config:\n        core: { parallelism: lots }\n`;
    expect(check(overlay)).toEqual([
      'error AFC2032@13:30 environment "prod": [core] parallelism must be an integer, not "lots" | write a whole number, such as 16',
    ]);
  });
});
