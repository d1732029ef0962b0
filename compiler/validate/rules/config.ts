import { didYouMean } from '../../diagnostics/did-you-mean.ts';
import type { Rule } from '../rule-context.ts';
import { type OwnedOption, optionEnvName, optionOfEnvName, ownedOption } from '../../airflow/owned-options.ts';

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
      const clash = env.get(optionEnvName(section, key));
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
