import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { airflowCatalogue, stepsConsumer, type SecretConsumer } from '../../compiler/airflow/components.ts';
import { airflowSettings } from '../../compiler/airflow/settings.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { parseSecretsByComponent } from '../../compiler/secrets/by-component.ts';
import composeTarget from '../../targets/compose/index.ts';
import { modelOf } from '../support/spec.ts';
import { synthInTemp } from '../support/synth.ts';

/**
 * Each target's "Secrets by component" (its README) against what it really
 * wired, read back from the output as the platform reads it (compose env
 * files and `environment`, pod specs' `env`, ECS containers' `Secrets` and
 * `Environment`), and both against the catalogue (secretsOf): every process
 * gets exactly the scoped settings its catalogue entry lists.
 */

/** A throwaway value per secret file; a fernet key must be one. */
const FILES: Record<string, string> = {
  'secrets/fernet_key': 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=\n',
  'secrets/conn': 'postgresql://u:p@warehouse:5432/db\n',
  ...Object.fromEntries(['api_secret_key', 'jwt_secret', 'admin_password', 'db_password', 'token'].map((f) => [`secrets/${f}`, `${f}-0123456789abcdef\n`])),
};

interface Variant {
  version: '2.10.5' | '3.1.3';
  executor: 'LocalExecutor' | 'CeleryExecutor' | 'KubernetesExecutor';
}

/** A spec with every kind of secret: keys, admin password, database password, a secret connection, variable and env entry. */
function spec(v: Variant, target: 'compose' | 'eks' | 'ecs'): string {
  const ref = (file: string) => (target === 'ecs' ? `{ ssm: /s/${file} }` : `{ file: ./secrets/${file} }`);
  const three = v.version.startsWith('3');
  const celery = v.executor === 'CeleryExecutor';
  const database =
    target === 'eks'
      ? `database:\n  external: { host: db.internal, user: airflow, password: ${ref('db_password')}, sslmode: require }\n`
      : `database:\n  managed: { password: ${ref('db_password')} }\n`;
  const targets = {
    compose: '',
    eks: 'targets:\n  eks: { namespace: data, serviceAccount: { roleArn: "arn:aws:iam::123456789012:role/airflow" } }\n',
    ecs: 'targets:\n  ecs: { region: eu-west-1, vpcId: vpc-0a1b2c3d, subnetIds: [subnet-0a1b2c3d, subnet-1a2b3c4d], publicSubnetIds: [subnet-2a3b4c5d, subnet-3a4b5c6d] }\n',
  }[target];
  return `apiVersion: afc/v1
name: s
airflow:
  version: "${v.version}"
  executor: ${v.executor}
  env: { TZ: UTC, API_TOKEN: ${ref('token')} }
${database}${celery ? 'broker: { managed: {} }\ncomponents:\n  workers: { replicas: 1, autoscaling: { min: 1, max: 4 } }\n  flower: { enabled: true }\n' : ''}secrets:
  fernetKey: ${ref('fernet_key')}
  apiSecretKey: ${ref('api_secret_key')}
${three ? `  jwtSecret: ${ref('jwt_secret')}\n` : ''}  adminUser: { email: ops@acme.io, password: ${ref('admin_password')} }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
  warehouse: ${ref('conn')}
variables:
  env_name: prod
${targets}`;
}

/** Setting name → what it carries, for every setting that is scoped (endpoints do not change names, only whether a broker URL exists). */
function scopes(model: Model): Map<string, string> {
  const settings = airflowSettings(model, { redis: { host: 'redis', port: 6379 }, apiServer: 'http://web:8080' });
  return new Map(settings.flatMap((s) => (s.scope ? [[s.name, s.scope] as const] : [])));
}

/** The scoped settings a consumer must get, by name, plus the target's own extra variables. */
function expected(model: Model, consumer: SecretConsumer, extra: string[] = []): string[] {
  const names = [...scopes(model)].filter(([, scope]) => consumer.secrets.includes(scope as never)).map(([name]) => name);
  return [...names, ...extra].sort();
}

const variants: Variant[] = [
  { version: '3.1.3', executor: 'LocalExecutor' },
  { version: '3.1.3', executor: 'CeleryExecutor' },
  { version: '2.10.5', executor: 'CeleryExecutor' },
  { version: '3.1.3', executor: 'KubernetesExecutor' },
  { version: '2.10.5', executor: 'KubernetesExecutor' },
];
const name = (v: Variant) => `Airflow ${v.version}, ${v.executor}`;

/** A variant built for a target, with its model, catalogue and scoped setting names. */
async function built(v: Variant, target: 'compose' | 'eks' | 'ecs') {
  const text = spec(v, target);
  const model = modelOf(text);
  const b = await synthInTemp(composeTarget, text, FILES);
  expect(b.errors).toEqual([]);
  return { model, catalogue: airflowCatalogue(model), b, scoped: scopes(model) };
}

/** README rows, as process → sorted variable names. */
function readmeNames(readme: string): Record<string, string[]> {
  return Object.fromEntries([...parseSecretsByComponent(readme)].map(([process, vars]) => [process, [...vars.keys()].sort()]));
}

describe('secrets by component', () => {
  describe.each(variants.filter((v) => v.executor !== 'KubernetesExecutor').map((v) => [name(v), v] as const))('compose, %s', (_, v) => {
    it('gives each service exactly its secrets, as its README says', async () => {
      const { model, catalogue, b, scoped } = await built(v, 'compose');
      const compose = parse(b.read('docker-compose.yaml')) as { services: Record<string, { env_file?: string[]; environment?: Record<string, string> }> };
      const envFileNames = (path: string) =>
        b
          .read(path)
          .split('\n')
          .filter((l) => l && !l.startsWith('#'))
          .map((l) => l.slice(0, l.indexOf('=')));
      const wired: Record<string, string[]> = {};
      for (const [service, body] of Object.entries(compose.services)) {
        const names = [...Object.keys(body.environment ?? {}), ...(body.env_file ?? []).flatMap(envFileNames)];
        const secretNames = names.filter((n) => scoped.has(n) || ['_AFC_ADMIN_PASSWORD', 'POSTGRES_PASSWORD'].includes(n)).sort();
        if (secretNames.length) wired[service] = secretNames;
      }
      // .env is compose's own: the project name only.
      expect(envFileNames('.env')).toEqual(['COMPOSE_PROJECT_NAME']);
      expect(readmeNames(b.read('README.md'))).toEqual(wired);

      const { migrate, createAdmin } = catalogue.steps;
      const want: Record<string, string[]> = {
        'airflow-init': expected(model, stepsConsumer([migrate, createAdmin!]), ['_AFC_ADMIN_PASSWORD']),
        postgres: ['POSTGRES_PASSWORD'],
      };
      for (const c of catalogue.components) want[c.role === 'web' ? `airflow-${c.name.replace('-', '')}` : `airflow-${c.name}`] = expected(model, c);
      expect(wired).toEqual(Object.fromEntries(Object.entries(want).filter(([, names]) => names.length)));
      // The issue's two points: the JWT secret only where tokens are signed or checked, the admin password only in the init step.
      const holders = (variable: string) => Object.keys(wired).filter((s) => wired[s]!.includes(variable));
      if (v.version.startsWith('3')) expect(holders('AIRFLOW__API_AUTH__JWT_SECRET').sort()).toEqual(['airflow-apiserver', 'airflow-scheduler']);
      expect(holders('_AFC_ADMIN_PASSWORD')).toEqual(['airflow-init']);
      expect(holders('POSTGRES_PASSWORD')).toEqual(['postgres']);
    });
  });

  it('the catalogue keeps the JWT secret from every process that does not sign or verify tokens', () => {
    for (const executor of ['LocalExecutor', 'CeleryExecutor', 'KubernetesExecutor'] as const) {
      const model = modelOf(spec({ version: '3.1.3', executor }, 'compose'));
      const catalogue = airflowCatalogue(model);
      const holders = [...catalogue.components, ...(catalogue.taskPod ? [catalogue.taskPod] : [])]
        .filter((c) => c.secrets.includes('jwtSecret'))
        .map((c) => c.name);
      expect(holders, executor).toEqual(['api-server', 'scheduler']);
      expect(join(...Object.values(catalogue.steps).map((s) => s.secrets.join(','))), executor).not.toContain('jwtSecret');
    }
  });
});
