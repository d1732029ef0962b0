import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import { parseAirflowVersion } from '../../normalize/airflow-version.ts';
import type { Rule } from '../rule-context.ts';
import { type OwnedOption, optionEnvName, optionOfEnvName, ownedOption } from '../../airflow/owned-options.ts';

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

const envName = optionEnvName;

const ownedBy = (owned: OwnedOption) => `is set by afc from ${owned.field}`;
const ownedHint = (owned: OwnedOption) => (owned.derived ? 'remove it here: afc sets it for every component' : `remove it here and set ${owned.field} instead`);

/** An option afc sets itself (compiler/airflow/owned-options.ts), set by hand in airflow.config or airflow.env. */
export const managedSettings: Rule = ({ spec, report }) => {
  for (const [section, keys] of Object.entries(spec.airflow.config ?? {})) {
    for (const key of Object.keys(keys)) {
      const owned = ownedOption(section, key);
      if (owned) report('error', 'AFC2011', ['airflow', 'config', section, key], `[${section}] ${key} ${ownedBy(owned)}`, ownedHint(owned));
    }
  }
  for (const name of Object.keys(spec.airflow.env ?? {})) {
    const option = optionOfEnvName(name);
    const owned = option && ownedOption(option.section, option.key);
    if (owned) report('error', 'AFC2011', ['airflow', 'env', name], `${name} ${ownedBy(owned)}`, ownedHint(owned));
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
