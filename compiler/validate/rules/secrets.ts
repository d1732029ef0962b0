import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseAirflowVersion } from '../../normalize/airflow-version.ts';
import { formatPath, type SpecPath } from '../../diagnostics/problem.ts';
import { collectSecretUses } from '../../secrets/collect.ts';
import type { Rule } from '../rule-context.ts';

/**
 * Every component must share one fernet key and one API secret key (and, on
 * Airflow 3, one JWT secret): a key generated per container is the classic
 * InvalidToken failure. afc only accepts them as explicit references.
 */
export const airflowKeysPresent: Rule = ({ spec, report }) => {
  const secrets = spec.secrets ?? {};
  const major = parseAirflowVersion(spec.airflow.version)?.major ?? 3;
  // Without a secrets section, point at the top of the file and say to add the section.
  const where: SpecPath = spec.secrets ? ['secrets'] : [];
  const under = spec.secrets ? 'under secrets' : 'in a new top-level `secrets:` section';
  if (!secrets.fernetKey) {
    report(
      'error',
      'AFC2004',
      where,
      'secrets.fernetKey is required: every component must decrypt with the same fernet key',
      `add \`fernetKey: { ssm: /${spec.name}/fernet_key }\` ${under} (generate one with \`python -c "from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"\`)`,
    );
  }
  if (!secrets.apiSecretKey) {
    report(
      'error',
      'AFC2005',
      where,
      `secrets.apiSecretKey is required: it is ${major >= 3 ? '[api] secret_key' : '[webserver] secret_key'}, and must be the same for every component`,
      `add \`apiSecretKey: { ssm: /${spec.name}/api_secret_key }\` ${under}`,
    );
  }
  if (major >= 3 && !secrets.jwtSecret) {
    report(
      'error',
      'AFC2006',
      where,
      'secrets.jwtSecret is required on Airflow 3: the API server and every worker must sign and check task tokens with the same secret',
      `add \`jwtSecret: { ssm: /${spec.name}/jwt_secret }\` ${under}`,
    );
  }
  if (major < 3 && secrets.jwtSecret) {
    report('warning', 'AFC2007', ['secrets', 'jwtSecret'], 'secrets.jwtSecret is not used by Airflow 2', 'remove it, or keep it for the upgrade to Airflow 3');
  }
};

/** `{ value: ... }` puts a secret in the spec, and so in git. */
export const plaintextSecretsWarned: Rule = ({ spec, report }) => {
  for (const { path, ref } of collectSecretUses(spec)) {
    if (ref.value !== undefined)
      report(
        'warning',
        'AFC2008',
        [...path, 'value'],
        `${formatPath(path)} is a secret in plain text in the spec`,
        'use { ssm: /path }, { env: NAME } or { file: ./path } so the value stays out of git',
      );
  }
};

/** A `file:` reference the build will need; checked now, since it costs no network. */
export const secretFilesExist: Rule = ({ spec, file, report }) => {
  for (const { path, ref } of collectSecretUses(spec)) {
    if (ref.file === undefined) continue;
    // What afc build refuses (compiler/secrets/secret-file.ts), said early: by the path as written, without reading anything.
    const where = resolve(dirname(file), ref.file);
    const outside = relative(resolve(dirname(file)), where);
    if (outside === '..' || outside.startsWith('../') || isAbsolute(outside) || /^\/(proc|sys|dev)(\/|$)/.test(where)) {
      report(
        'warning',
        'AFC2040',
        [...path, 'file'],
        `${formatPath(path)} names ${ref.file}, outside the spec's folder: afc build reads it only from a folder that --secret-files-from names, and never under /proc, /sys or /dev`,
        'keep secret files beside the spec',
        'value',
      );
      continue;
    }
    if (!existsSync(where)) {
      report(
        'warning',
        'AFC2021',
        [...path, 'file'],
        `${formatPath(path)} names ${ref.file}, which does not exist (relative to the spec)`,
        'create it before building, or fix the path',
        'value',
      );
    }
  }
};

export const gitCredentials: Rule = ({ spec, report }) => {
  const git = spec.dags?.git;
  if (!git) return;
  const ssh = /^(git@|ssh:\/\/)/.test(git.repo);
  if (ssh && !git.sshKey) {
    report(
      'error',
      'AFC2016',
      ['dags', 'git', 'repo'],
      'an SSH repository URL needs dags.git.sshKey',
      'add `sshKey: { ssm: /<name>/git_ssh_key }`, or use an https:// URL for a public repository',
      'value',
    );
  }
  if (!ssh && git.sshKey) {
    report(
      'warning',
      'AFC2016',
      ['dags', 'git', 'sshKey'],
      'dags.git.sshKey is ignored for an https:// repository URL',
      'use the SSH URL (git@host:org/repo.git), or remove sshKey',
    );
  }
  if (ssh && git.sshKey && !git.knownHosts) {
    report(
      'warning',
      'AFC2016',
      ['dags', 'git'],
      "without dags.git.knownHosts, git-sync cannot check the server's host key",
      "add the host's line from `ssh-keyscan <host>` as knownHosts",
    );
  }
};
