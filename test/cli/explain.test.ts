import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afc } from '../support/cli.ts';
import { MINIMAL as BASE } from '../support/spec.ts';

/** The expected texts below are of Airflow 3.1 (and 2.10 where said), whatever version the shared minimal spec moves to. */
const MINIMAL = BASE.replace(/version: "[^"]+"/, 'version: "3.1.3"');

/** Expected values are facts of the wheels the tables were read from (docs/airflow-facts.md §12). */
describe('afc explain', () => {
  it('prints type, default, versions, secrecy and what afc does with it, for the version asked', () => {
    const result = afc(['explain', 'database.sql_alchemy_conn', '--version', '3.1.8']);
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toContain('[database] sql_alchemy_conn  (AIRFLOW__DATABASE__SQL_ALCHEMY_CONN)\n  airflow:     3.1 (3.1.8)\n  versions:    2.7–3.3\n');
    expect(result.stdout).toContain('  type:        string\n  default:     "sqlite:///{AIRFLOW_HOME}/airflow.db"\n');
    expect(result.stdout).toContain(
      '  secret:      yes: give a secret reference ({ ssm: … }); Airflow also reads sql_alchemy_conn_cmd and sql_alchemy_conn_secret\n',
    );
    expect(result.stdout).toContain('  afc:         sets it from database: set that instead\n');
  });

  it("takes the spec's version, the environment variable's name, and a provider's option", () => {
    const dir = mkdtempSync(join(tmpdir(), 'afc-explain-'));
    writeFileSync(join(dir, 'airflow.yaml'), MINIMAL.replace('"3.1.3"', '"2.10.5"'));
    const result = afc(['explain', 'AIRFLOW__CELERY__WORKER_CONCURRENCY'], { cwd: dir });
    expect(result).toMatchObject({ status: 0, stderr: '' });
    expect(result.stdout).toMatch(/^ {2}airflow: {5}2\.10 \(2\.10\.5\)$/m);
    expect(result.stdout).toContain('  default:     "16"\n');
    expect(result.stdout).toMatch(/^ {2}provider: {4}apache-airflow-providers-celery \d+\.\d+\.\d+$/m);
    expect(result.stdout).toContain('  afc:         sets it from components.workers.concurrency: set that instead\n');
  });

  it('says where an option moved, exit 1, on a version that no longer reads it', () => {
    const result = afc(['explain', 'core.sql_alchemy_pool_size', '--version', '3.1']);
    expect(result).toMatchObject({ status: 1, stderr: '' });
    expect(result.stdout).toContain(
      '  airflow:     3.1 (3.1.8): does not have it\n  moved to:    [database] sql_alchemy_pool_size (in 2.3.0); set that instead\n  versions:    2.7–2.11\n',
    );
  });

  it('says when Airflow removed an option, with its advice', () => {
    const result = afc(['explain', 'smtp.smtp_password', '--version', '3.3']);
    expect(result).toMatchObject({ status: 1, stderr: '' });
    expect(result.stdout).toContain('  removed:     in 3.0: Please use the SMTP connection (`smtp_default`).\n  versions:    2.7–2.11\n');
  });

  it("tells what Airflow's upgrade lint says of the option", () => {
    const result = afc(['explain', 'scheduler.catchup_by_default', '--version', '3.1']);
    expect(result.stdout).toContain('  upgrade:     the default changed in 3.0 from "True" to "False";');
  });

  it('prints exactly one JSON document with --format json', () => {
    const result = afc(['explain', 'dag_processor.file_parsing_sort_mode', '--version', '3.1', '--format', 'json']);
    expect(result.status).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc).toMatchObject({
      option: 'dag_processor.file_parsing_sort_mode',
      env: 'AIRFLOW__DAG_PROCESSOR__FILE_PARSING_SORT_MODE',
      airflow: { minor: '3.1', from: 'option' },
      found: true,
      enum: ['modified_time', 'random_seeded_by_host', 'alphabetical'],
      provider: null,
      owned: null,
    });
    expect(doc.minors[0]).toBe('3.0');
  });

  it('guesses the option meant when no version has it: a usage error, exit 2', () => {
    const result = afc(['explain', 'core.paralelism']);
    expect(result).toMatchObject({ status: 2, stdout: '' });
    expect(result.stderr).toContain('has [core] paralelism\n  hint: did you mean afc explain core.parallelism?\n');
    expect(afc(['explain', '--version', '1.10', 'core.parallelism'])).toMatchObject({ status: 2 });
    expect(afc(['explain'])).toMatchObject({ status: 2 });
  });
});
