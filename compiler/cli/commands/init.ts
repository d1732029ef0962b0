import { AIRFLOW_WEB_PORT } from '../../airflow/components.ts';
import { NEWEST_KNOWN_AIRFLOW } from '../../normalize/airflow-version.ts';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { packageRoot } from '../../package-root.ts';
import { type CommandDefinition, type OptionDefinitions, parseCommand, usageText } from '../command.ts';
import { UsageError } from '../usage-error.ts';
import { makeDirectory } from '../../write/make-directory.ts';
import { writing } from '../file-system-error.ts';

const definition = {
  name: 'init',
  synopsis: '[dir] [options]',
  description: `Writes a commented starter airflow.yaml into dir (default: the current folder),
with a yaml-language-server line so editors complete and check it.`,
  options: {
    name: { type: 'string', short: 'n', value: 'NAME', description: ['deployment name (default: derived from the folder name)'] },
    force: { type: 'boolean', description: ['overwrite an existing airflow.yaml'] },
  },
} as const satisfies CommandDefinition<OptionDefinitions>;

export const usage = usageText(definition);

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand(definition, argv);
  if (positionals.length > 1) throw new UsageError('afc init takes at most one folder');
  const dir = resolve(positionals[0] ?? '.');
  const name = values.name ?? nameFromFolder(basename(dir));
  if (!/^[a-z]([a-z0-9-]*[a-z0-9])?$/.test(name) || name.length > 40) {
    throw new UsageError(`"${name}" is not a valid deployment name`, 'use a lowercase DNS label of at most 40 characters, such as "analytics"');
  }
  const file = join(dir, 'airflow.yaml');
  if (existsSync(file) && !values.force) throw new UsageError(`${relative(process.cwd(), file) || file} already exists`, 'pass --force to overwrite it');
  const schemaPath = relative(dir, join(packageRoot(), 'schema', 'airflow.schema.json'))
    .split(sep)
    .join('/');
  writing(relative(process.cwd(), file) || file, () => {
    makeDirectory(dir);
    writeFileSync(file, starterSpec(name, schemaPath));
  });
  process.stdout.write(`wrote ${relative(process.cwd(), file) || file}\nnext: afc validate ${relative(process.cwd(), file) || file}\n`);
  return 0;
}

export function nameFromFolder(folder: string): string {
  const name = folder
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return name || 'airflow';
}

export function starterSpec(name: string, schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}
# An Apache Airflow deployment, compiled by afc. Reference: docs/spec.md of afc.
apiVersion: afc/v1
name: ${name}   # prefixes every resource name

airflow:
  version: "${NEWEST_KNOWN_AIRFLOW}"          # quote versions: 3.10 unquoted is the number 3.1
  executor: LocalExecutor   # or CeleryExecutor (add a broker), KubernetesExecutor
  config:                   # airflow.cfg overrides → AIRFLOW__SECTION__KEY
    core:
      load_examples: false

# dags:                     # default: DAGs baked into the image
#   git: { repo: git@github.com:acme/dags.git, branch: main, sshKey: { ssm: /${name}/git_ssh_key } }

database:
  managed: {}               # Postgres run by afc; or external: { host, user, password }

# Airflow's keys, shared by every component. Secrets are references, never
# values: { ssm: /path } (Parameter Store), { env: NAME } or { file: ./path }.
secrets:
  fernetKey: { ssm: /${name}/fernet_key }
  apiSecretKey: { ssm: /${name}/api_secret_key }
  jwtSecret: { ssm: /${name}/jwt_secret }
  adminUser:
    email: admin@example.com
    password: { ssm: /${name}/admin_password }

components:
  webserver: { cpu: 0.5, memory: 1Gi }   # the api-server on Airflow 3
  scheduler: { cpu: 0.5, memory: 1Gi }

targets:
  compose: { port: ${AIRFLOW_WEB_PORT} }
`;
}
