import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_OPTIONS_FILE, configTables } from '../../compiler/airflow/config-options.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const SCRIPT = join(ROOT, 'scripts', 'airflow-config', 'extract.py');

/** A Python that can run the script: PyYAML to read config.yml, pip to download wheels. */
function python(): string | undefined {
  const candidates = [process.env.AFC_PYTHON, '/opt/afc-ci/airflow-config/bin/python', 'python3'].filter((c): c is string => !!c);
  const found = candidates.find((c) => spawnSync(c, ['-c', 'import yaml, pip'], { stdio: 'ignore' }).status === 0);
  if (!found && process.env.AFC_REQUIRE_TOOLS === '1')
    throw new Error('a python3 with PyYAML and pip is required (AFC_REQUIRE_TOOLS=1); .ci/install-tools provides one');
  return found;
}

describe('the configuration tables are what the pinned wheels say', () => {
  // Measured on this project's 2-core machines, shared with other work (load 8-15): downloading and reading the 31
  // pinned wheels (89 MB) from PyPI took 108-266 s; from a warm cache the script takes 20-32 s (13 s of CPU).
  // The limits leave twice the slowest download and ten times the slowest warm run.
  it('scripts/airflow-config/extract.py, run on the pinned wheels, writes exactly the committed data file', { timeout: 900_000 }, (ctx) => {
    const py = python();
    if (!py) ctx.skip('no python3 with PyYAML and pip on this machine');
    const download = spawnSync(py as string, [SCRIPT, '--download'], { encoding: 'utf8', timeout: 540_000 });
    if (download.status !== 0) {
      const reason = `the pinned wheels are neither in the cache nor downloadable: ${(download.stderr || download.error?.message || '').trim().split('\n').slice(-1)[0]}`;
      if (process.env.AFC_REQUIRE_TOOLS === '1') throw new Error(`${reason} (AFC_REQUIRE_TOOLS=1; .ci/install-tools downloads them)`);
      ctx.skip(reason);
    }
    const dir = mkdtempSync(join(tmpdir(), 'afc-config-options-'));
    try {
      const out = join(dir, 'config-options.json');
      const run = spawnSync(py as string, [SCRIPT, '--out', out], { encoding: 'utf8', timeout: 300_000 });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      // Line by line, so that a difference shows as the options that differ.
      expect(readFileSync(out, 'utf8').split('\n')).toEqual(readFileSync(join(ROOT, CONFIG_OPTIONS_FILE), 'utf8').split('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// Expected values below are read from the wheels themselves (paths in docs/airflow-facts.md §12).
const tables = configTables();
const at = (minor: string) => {
  const [major, m] = minor.split('.').map(Number);
  const table = tables.forVersion({ major: major as number, minor: m as number });
  if (!table) throw new Error(`no table for ${minor}`);
  return table;
};

describe('configTables()', () => {
  it('covers every minor from 2.7 to 3.3, each read from its newest patch', () => {
    expect(tables.minors).toEqual(['2.7', '2.8', '2.9', '2.10', '2.11', '3.0', '3.1', '3.2', '3.3']);
    expect(tables.newest).toBe('3.3.2');
    expect(at('2.7').release).toBe('2.7.3');
    expect(at('3.3').providers).toEqual({ amazon: '9.39.0', celery: '3.26.0', 'cncf.kubernetes': '10.25.0', fab: '3.10.2', standard: '1.21.0' });
    // fab is an extra from 2.9 on; standard comes with 2.11.2's runtime lock (through amazon 9.39.0).
    expect(Object.keys(at('2.7').providers)).toEqual(['amazon', 'celery', 'cncf.kubernetes']);
    expect(tables.forVersion({ major: 2, minor: 6 })).toBeUndefined();
    expect(tables.forVersion({ major: 3, minor: 4 })).toBeUndefined();
  });

  it('[core] sql_alchemy_pool_size: read on 2.x as the deprecated name of [database] sql_alchemy_pool_size, moved there on 3.x', () => {
    // 2.7.3 airflow/configuration.py deprecated_options: ("database", "sql_alchemy_pool_size"): ("core", "sql_alchemy_pool_size", "2.3.0")
    expect(at('2.7').option('core', 'sql_alchemy_pool_size')?.deprecated).toEqual({
      since: '2.3.0',
      replacement: { section: 'database', key: 'sql_alchemy_pool_size' },
    });
    expect(at('2.11').option('core', 'sql_alchemy_pool_size')).toBeDefined();
    for (const minor of ['3.0', '3.1', '3.2', '3.3']) {
      expect(at(minor).option('core', 'sql_alchemy_pool_size')).toBeUndefined();
      // 3.x airflow/cli/commands/config_command.py CONFIGS_CHANGES: renamed_to=ConfigParameter("database", "sql_alchemy_pool_size")
      expect(at(minor).moved('core', 'sql_alchemy_pool_size')).toEqual({
        section: 'core',
        key: 'sql_alchemy_pool_size',
        to: { section: 'database', key: 'sql_alchemy_pool_size' },
        since: '2.3.0',
        lastMinor: '2.11',
        goneIn: '3.0',
      });
    }
    expect(at('2.7').moved('core', 'sql_alchemy_pool_size')).toBeUndefined();
    expect(tables.history('core', 'sql_alchemy_pool_size').map((h) => h.minor)).toEqual(['2.7', '2.8', '2.9', '2.10', '2.11']);
  });

  it('[scheduler] min_file_process_interval moved to [dag_processor] on 3.x', () => {
    expect(at('2.11').option('scheduler', 'min_file_process_interval')).toMatchObject({ type: 'integer', default: '30' });
    expect(at('3.0').option('scheduler', 'min_file_process_interval')).toBeUndefined();
    expect(at('3.3').moved('scheduler', 'min_file_process_interval')).toEqual({
      section: 'scheduler',
      key: 'min_file_process_interval',
      to: { section: 'dag_processor', key: 'min_file_process_interval' },
      lastMinor: '2.11',
      goneIn: '3.0',
    });
    expect(at('3.3').option('dag_processor', 'min_file_process_interval')).toMatchObject({ type: 'integer', default: '30' });
  });

  it('follows a rename of a rename: [webserver] access_logfile → [api] access_logfile (3.0) → [api] log_config (3.1)', () => {
    expect(at('3.1').moved('webserver', 'access_logfile')?.to).toEqual({ section: 'api', key: 'log_config' });
    expect(at('3.1').option('api', 'access_logfile')?.deprecated).toEqual({ since: '3.1.0', replacement: { section: 'api', key: 'log_config' } });
  });

  it('has types, defaults and enums as config.yml and configuration.py declare them', () => {
    // 3.3.2 config.yml: [database] sql_alchemy_pool_size, type: integer, default: "5"; 2.7.3 declares it a string.
    expect(at('3.3').option('database', 'sql_alchemy_pool_size')).toMatchObject({ type: 'integer', default: '5', versionAdded: '2.3.0' });
    expect(at('2.7').option('database', 'sql_alchemy_pool_size')?.type).toBe('string');
    expect(at('3.3').option('core', 'hide_sensitive_var_conn_fields')).toMatchObject({ type: 'boolean', default: 'True' });
    expect(at('3.3').option('core', 'dagbag_import_timeout')).toMatchObject({ type: 'float', default: '30.0' });
    // config.yml's type is Airflow's documentation, not what it reads with: load_examples is read with getboolean.
    expect(at('3.3').option('core', 'load_examples')).toMatchObject({ type: 'string', default: 'True' });
    expect(at('3.3').option('logging', 'logging_level')?.enum).toEqual(['CRITICAL', 'FATAL', 'ERROR', 'WARN', 'WARNING', 'INFO', 'DEBUG']);
    expect(at('3.3').option('logging', 'celery_logging_level')?.enum).toContain('');
    // sorted(WeightRule.all_weight_rules()) is computed at run time: recorded, not guessed.
    expect(at('3.3').option('core', 'default_task_weight_rule')).toMatchObject({ enumComputed: 'sorted(WeightRule.all_weight_rules())' });
    expect(at('3.3').option('core', 'default_task_weight_rule')?.enum).toBeUndefined();
  });

  it('marks sensitive options, and reads their _cmd and _secret forms as Airflow does', () => {
    expect(at('3.3').option('database', 'sql_alchemy_conn')?.sensitive).toBe(true);
    expect(at('3.3').option('core', 'load_examples')?.sensitive).toBe(false);
    expect(at('3.3').option('database', 'sql_alchemy_conn_cmd')).toEqual({
      section: 'database',
      key: 'sql_alchemy_conn_cmd',
      type: 'string',
      default: null,
      sensitive: true,
      valueFrom: { key: 'sql_alchemy_conn', via: 'cmd' },
    });
    expect(at('2.7').option('core', 'sql_alchemy_conn_secret')).toMatchObject({
      valueFrom: { key: 'sql_alchemy_conn', via: 'secret' },
      deprecated: { since: '2.3.0', replacement: { section: 'database', key: 'sql_alchemy_conn_secret' } },
    });
    // Not sensitive: no _cmd form.
    expect(at('3.3').option('core', 'load_examples_cmd')).toBeUndefined();
  });

  it("has providers' options, tagged with the provider", () => {
    // apache-airflow-providers-celery 3.26.0 get_provider_info.py: "worker_concurrency": {"type": "string", "default": "16"}
    expect(at('3.3').option('celery', 'worker_concurrency')).toMatchObject({ provider: 'celery', type: 'string', default: '16' });
    expect(at('2.7').option('celery', 'worker_concurrency')?.provider).toBe('celery');
    expect(at('3.3').option('core', 'executor')?.provider).toBeUndefined();
  });

  it("carries what Airflow's own upgrade check says of an option", () => {
    // 3.3.2 airflow/cli/commands/config_command.py CONFIGS_CHANGES
    expect(at('3.3').option('core', 'parallelism')?.lint).toEqual({
      invalidValue: '0',
      suggestion: 'Please set the `parallelism` configuration parameter to a value greater than 0.',
    });
    expect(at('3.3').option('core', 'executor')?.lint).toEqual({ defaultChange: ['SequentialExecutor', 'LocalExecutor'] });
    // 2.10.5 ships no CONFIGS_CHANGES.
    expect(at('2.10').option('core', 'parallelism')?.lint).toBeUndefined();
  });

  it('has the options that Airflow reads by name without declaring them, typed by the getter', () => {
    // 3.3.2 airflow/utils/serve_logs/log_server.py: conf.getint("webserver", "log_request_clock_grace", fallback=30)
    expect(at('3.3').option('webserver', 'log_request_clock_grace')).toMatchObject({ type: 'integer', default: '30' });
    expect(at('3.3').option('webserver', 'log_request_clock_grace')?.readIn).toContain('core:airflow/utils/serve_logs/log_server.py');
    // Declared options carry no readIn.
    expect(at('3.3').option('core', 'parallelism')?.readIn).toBeUndefined();
    // A provider's reads count in its own sections only: celery 3.26.0 executors/default_celery.py reads this one,
    expect(at('3.3').option('celery', 'broker_connection_retry_on_startup')).toMatchObject({ provider: 'celery', type: 'boolean', default: 'True' });
    // while amazon 9.39.0 reads [api] secret_key for Airflow 3's auth manager, which 2.11 never runs.
    expect(at('2.11').option('api', 'secret_key')).toBeUndefined();
    // Of a section no description declares, the few keys some code reads are not all its options.
    expect(at('3.3').sections()).not.toContain('elasticsearch');
  });

  it('knows the sections Airflow reads whole', () => {
    expect(at('3.3').isFreeFormSection('celery_broker_transport_options')).toBe(true);
    expect(at('3.3').isFreeFormSection('sentry')).toBe(true);
    // `"analytics_tool" in conf.getsection("webserver")` asks for one key only.
    expect(at('2.11').isFreeFormSection('webserver')).toBe(false);
    expect(at('3.3').isFreeFormSection('core')).toBe(false);
  });

  it('looks up case-insensitively, lists sorted sections and options, and tells removed options', () => {
    expect(at('3.3').option('CORE', 'Executor')?.key).toBe('executor');
    const sections = at('3.3').sections();
    expect(sections).toEqual([...sections].sort());
    expect(sections).toContain('dag_processor');
    expect(at('2.7').sections()).not.toContain('dag_processor');
    const keys = at('3.3')
      .options('core')
      .map((o) => o.key);
    expect(keys).toEqual([...keys].sort());
    expect(at('3.3').removed('core', 'check_slas')).toMatchObject({
      reason: 'The SLA feature is removed in Airflow 3.0, to be replaced with Airflow Alerts in future',
      lastMinor: '2.11',
    });
    expect(at('2.11').removed('core', 'check_slas')).toBeUndefined();
  });
});
