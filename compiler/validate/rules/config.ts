import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import { parseAirflowVersion } from '../../normalize/airflow-version.ts';
import type { Rule } from '../rule-context.ts';

/**
 * airflow.cfg settings afc derives from the spec. Setting them by hand would
 * fight afc (or, for keys, put one secret in two places).
 */
const MANAGED: Record<string, string> = {
  'core.executor': 'airflow.executor',
  'core.fernet_key': 'secrets.fernetKey',
  'core.execution_api_server_url': 'the api-server afc runs',
  'database.sql_alchemy_conn': 'database',
  'celery.broker_url': 'broker',
  'celery.result_backend': 'database',
  'celery.worker_concurrency': 'components.workers.concurrency',
  'webserver.secret_key': 'secrets.apiSecretKey',
  'api.secret_key': 'secrets.apiSecretKey',
  'api_auth.jwt_secret': 'secrets.jwtSecret',
  'scheduler.standalone_dag_processor': 'components.dagProcessor.replicas',
  'kubernetes_executor.pod_template_file': 'the pod template afc renders',
  'logging.remote_logging': 'logging.remote',
  'logging.remote_base_log_folder': 'logging.remote.s3',
  'logging.remote_log_conn_id': 'logging.remote.connId',
  'logging.logging_level': 'logging.level',
};

/** Sections and keys that moved; the old place is ignored (or deprecated) on the versions given. */
const MOVED: { from: string; to: string; sinceMajor: number }[] = [
  { from: 'kubernetes', to: 'kubernetes_executor', sinceMajor: 2 },
  { from: 'webserver.base_url', to: 'api.base_url', sinceMajor: 3 },
  { from: 'webserver.web_server_port', to: 'api.port', sinceMajor: 3 },
  { from: 'webserver.workers', to: 'api.workers', sinceMajor: 3 },
  { from: 'webserver.expose_config', to: 'api.expose_config', sinceMajor: 3 },
  { from: 'scheduler.dag_dir_list_interval', to: 'dag_processor.refresh_interval', sinceMajor: 3 },
  { from: 'scheduler.min_file_process_interval', to: 'dag_processor.min_file_process_interval', sinceMajor: 3 },
  { from: 'scheduler.parsing_processes', to: 'dag_processor.parsing_processes', sinceMajor: 3 },
];

const envName = (section: string, key: string) => `AIRFLOW__${section.toUpperCase()}__${key.toUpperCase()}`;

export const managedSettings: Rule = ({ spec, report }) => {
  for (const [section, keys] of Object.entries(spec.airflow.config ?? {})) {
    for (const key of Object.keys(keys)) {
      const owner = MANAGED[`${section}.${key}`];
      if (owner)
        report(
          'error',
          'AFC2011',
          ['airflow', 'config', section, key],
          `[${section}] ${key} is set by afc from ${owner}`,
          `remove it here and set ${owner} instead`,
        );
    }
  }
  const managedEnv = new Map(Object.entries(MANAGED).map(([k, owner]) => [envName(...(k.split('.') as [string, string])), owner]));
  for (const name of Object.keys(spec.airflow.env ?? {})) {
    const owner = managedEnv.get(name.toUpperCase());
    if (owner) report('error', 'AFC2011', ['airflow', 'env', name], `${name} is set by afc from ${owner}`, `remove it here and set ${owner} instead`);
    else if (/^AIRFLOW_CONN_/i.test(name))
      report(
        'warning',
        'AFC2011',
        ['airflow', 'env', name],
        `${name} defines a connection outside \`connections\``,
        `move it to connections.${name.slice('AIRFLOW_CONN_'.length).toLowerCase()}`,
      );
    else if (/^AIRFLOW_VAR_/i.test(name))
      report(
        'warning',
        'AFC2011',
        ['airflow', 'env', name],
        `${name} defines a variable outside \`variables\``,
        `move it to variables.${name.slice('AIRFLOW_VAR_'.length).toLowerCase()}`,
      );
  }
};

/** Two spellings that end up as the same environment variable: one would silently win. */
export const noCollidingNames: Rule = ({ spec, report }) => {
  const env = new Map(Object.keys(spec.airflow.env ?? {}).map((k) => [k.toUpperCase(), k]));
  for (const [section, keys] of Object.entries(spec.airflow.config ?? {})) {
    for (const key of Object.keys(keys)) {
      const clash = env.get(envName(section, key));
      if (clash) report('error', 'AFC2012', ['airflow', 'env', clash], `${clash} sets the same option as airflow.config.${section}.${key}`, 'keep one of them');
    }
  }
  for (const [section, prefix] of [
    ['connections', 'AIRFLOW_CONN_'],
    ['variables', 'AIRFLOW_VAR_'],
  ] as const) {
    const seen = new Map<string, string>();
    for (const id of Object.keys(spec[section] ?? {}).filter((k) => k !== 'fromSsmPath')) {
      const first = seen.get(id.toUpperCase());
      if (first)
        report(
          'error',
          'AFC2012',
          [section, id],
          `"${id}" and "${first}" are both ${prefix}${id.toUpperCase()}`,
          'Airflow reads them case-insensitively from the environment; rename one',
        );
      else seen.set(id.toUpperCase(), id);
    }
  }
};

export const movedConfigSections: Rule = ({ spec, report }) => {
  const major = parseAirflowVersion(spec.airflow.version)?.major ?? 3;
  for (const [section, keys] of Object.entries(spec.airflow.config ?? {})) {
    for (const move of MOVED) {
      if (major < move.sinceMajor) continue;
      if (move.from === section) {
        report('warning', 'AFC2020', ['airflow', 'config', section], `section [${section}] is now [${move.to}]`, `rename it to ${move.to}`);
      }
      for (const key of Object.keys(keys)) {
        if (move.from === `${section}.${key}`)
          report(
            'warning',
            'AFC2020',
            ['airflow', 'config', section, key],
            `[${section}] ${key} moved to [${move.to.replace('.', '] ')} on Airflow ${move.sinceMajor}`,
            `set airflow.config.${move.to} instead`,
          );
      }
    }
  }
};

export const remoteLogConnectionExists: Rule = ({ spec, report }) => {
  const remote = spec.logging?.remote;
  if (!remote) return;
  const id = remote.connId ?? 'aws_default';
  const known = Object.keys(spec.connections ?? {}).filter((k) => k !== 'fromSsmPath');
  // Connections read from an SSM path are only known at build time.
  if (known.includes(id) || spec.connections?.fromSsmPath) return;
  const guess = didYouMean(id, known);
  report(
    'warning',
    'AFC2017',
    ['logging', 'remote', remote.connId ? 'connId' : 's3'],
    `logging.remote uses connection "${id}", which \`connections\` does not define`,
    guess
      ? `did you mean "${guess}"?`
      : `define connections.${id} (for example { uri: "aws://?region_name=eu-west-1" }); with no credentials in it, the platform's role is used`,
    'value',
  );
};
