import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { airflowCatalogue, stepsConsumer, type SecretConsumer } from '../../compiler/airflow/components.ts';
import { airflowSettings } from '../../compiler/airflow/settings.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { parseSecretsByComponent } from '../../compiler/secrets/by-component.ts';
import composeTarget from '../../targets/compose/index.ts';
import ecsTarget from '../../targets/ecs/index.ts';
import { celeryScalingProbes } from '../../compiler/airflow/celery-scaling.ts';
import { eksTarget } from '../../targets/eks/index.ts';
import { parseTemplate } from '../support/cloudformation.ts';
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
  const b =
    target === 'compose'
      ? await synthInTemp(composeTarget, text, FILES)
      : target === 'eks'
        ? await synthInTemp(eksTarget, text, FILES)
        : await synthInTemp(ecsTarget, text, {}, undefined, { offline: true });
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

  describe.each(variants.filter((v) => v.executor !== 'LocalExecutor').map((v) => [name(v), v] as const))('eks, %s', (_, v) => {
    it('gives each container exactly its secrets, task pods included, as its README says', async () => {
      const { model, catalogue, b, scoped } = await built(v, 'eks');
      type Container = { name: string; env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { key: string } } }[]; envFrom?: unknown[] };
      type PodSpec = { initContainers?: Container[]; containers: Container[] };
      const pods: { component: string; spec: PodSpec }[] = [];
      for (const file of readdirSync(b.outDir).filter((f) => f.endsWith('.yaml'))) {
        for (const doc of parseAllDocuments(b.read(file))) {
          const o = doc.toJS() as {
            kind?: string;
            data?: Record<string, string>;
            spec?: { template?: { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } };
          } | null;
          const template = o?.spec?.template;
          if (template?.spec) pods.push({ component: template.metadata!.labels!['app.kubernetes.io/component']!, spec: template.spec });
          const podTemplate = o?.kind === 'ConfigMap' ? Object.entries(o.data ?? {}).find(([k]) => k.endsWith('.yaml'))?.[1] : undefined;
          if (podTemplate) pods.push({ component: 'task', spec: (parse(podTemplate) as { spec: PodSpec }).spec });
        }
      }
      const wired: Record<string, string[]> = {};
      for (const pod of pods)
        for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) {
          // No container loads a Secret whole.
          expect(JSON.stringify(c.envFrom ?? []), `${pod.component}/${c.name}`).not.toContain('secretRef');
          const names = (c.env ?? []).filter((e) => scoped.has(e.name) || e.valueFrom?.secretKeyRef).map((e) => e.name);
          if (names.length) wired[`${pod.component}/${c.name}`] = names.sort();
        }
      expect(readmeNames(b.read('README.md'))).toEqual(wired);

      const { migrate, createAdmin, waitForMigrations } = catalogue.steps;
      const want: Record<string, string[]> = {
        'migrate-db/migrate': expected(model, migrate),
        'create-user/create-user': expected(model, createAdmin!, ['ADMIN_PASSWORD']),
        'create-user/wait-for-migrations': expected(model, waitForMigrations),
      };
      for (const c of catalogue.components) {
        want[`${c.name}/${c.name}`] = expected(model, c, c.role === 'worker' ? ['KEDA_DB_CONN'] : []);
        want[`${c.name}/wait-for-migrations`] = expected(model, waitForMigrations);
      }
      if (catalogue.taskPod) want['task/base'] = expected(model, catalogue.taskPod);
      expect(wired).toEqual(Object.fromEntries(Object.entries(want).filter(([, names]) => names.length)));
      const holders = (variable: string) => Object.keys(wired).filter((s) => wired[s]!.includes(variable));
      if (v.version.startsWith('3')) expect(holders('AIRFLOW__API_AUTH__JWT_SECRET').sort()).toEqual(['api-server/api-server', 'scheduler/scheduler']);
      expect(holders('ADMIN_PASSWORD')).toEqual(['create-user/create-user']);
      // Airflow 3's task pods cannot use the database (the ORM is blocked in tasks): no URL, and no check of one.
      if (v.executor === 'KubernetesExecutor' && v.version.startsWith('3')) {
        expect(wired['task/base']).not.toContain('AIRFLOW__DATABASE__SQL_ALCHEMY_CONN');
        const base = pods.find((p) => p.component === 'task')!.spec.containers[0]!;
        expect(base.env).toContainEqual({ name: 'CONNECTION_CHECK_MAX_COUNT', value: '0' });
      }
    });
  });

  describe.each(variants.filter((v) => v.executor !== 'KubernetesExecutor').map((v) => [name(v), v] as const))('ecs, %s', (_, v) => {
    it('gives each container exactly its secrets, as its README says', async () => {
      const { model, catalogue, b, scoped } = await built(v, 'ecs');
      const template = parseTemplate(b.read('stack.yaml')) as unknown as {
        Resources: Record<
          string,
          {
            Type: string;
            Properties: { Family?: string; ContainerDefinitions?: { Name: string; Environment?: { Name: string }[]; Secrets?: { Name: string }[] }[] };
          }
        >;
      };
      const wired: Record<string, string[]> = {};
      const settingsOf: Record<string, string[]> = {};
      for (const r of Object.values(template.Resources)) {
        if (r.Type !== 'AWS::ECS::TaskDefinition') continue;
        const task = r.Properties.Family!.slice('s-'.length);
        for (const c of r.Properties.ContainerDefinitions ?? []) {
          const secrets = (c.Secrets ?? []).map((s) => s.Name);
          const plain = (c.Environment ?? []).map((e) => e.Name);
          const names = [...secrets, ...plain.filter((n) => scoped.has(n))].sort();
          if (names.length) wired[`${task}/${c.Name}`] = names;
          // The settings it gets: direct, or composed by `_CMD` from AFC_SECRET_* variables.
          const settings = [...secrets, ...plain.map((n) => n.replace(/_CMD$/, ''))].filter((n) => scoped.has(n)).sort();
          if (names.length) settingsOf[`${task}/${c.Name}`] = [...settings, ...secrets.filter((n) => n === 'AFC_ADMIN_PASSWORD')].sort();
        }
      }
      expect(readmeNames(b.read('README.md'))).toEqual(wired);

      const { migrate, createAdmin, waitForMigrations } = catalogue.steps;
      const want: Record<string, string[]> = { 'scheduler/migrate': expected(model, stepsConsumer([migrate, createAdmin!]), ['AFC_ADMIN_PASSWORD']) };
      for (const c of catalogue.components) {
        want[`${c.name}/${c.name}`] = expected(model, c);
        if (c.role !== 'scheduler') want[`${c.name}/wait-for-migrations`] = expected(model, waitForMigrations);
      }
      // The scaling helpers: the demand publisher reads the database, the scale-in guard asks Celery.
      const probes = model.components.workers?.autoscaling ? celeryScalingProbes(model) : undefined;
      if (probes) {
        want['scheduler/scaling-metric'] = expected(model, probes.needs.demand);
        want['worker/scale-in-protection'] = expected(model, probes.needs.busy);
      }
      expect(settingsOf).toEqual(Object.fromEntries(Object.entries(want).filter(([, names]) => names.length)));
      const holders = (variable: string) => Object.keys(wired).filter((s) => wired[s]!.includes(variable));
      if (v.version.startsWith('3')) expect(holders('AIRFLOW__API_AUTH__JWT_SECRET').sort()).toEqual(['api-server/api-server', 'scheduler/scheduler']);
      expect(holders('AFC_ADMIN_PASSWORD')).toEqual(['scheduler/migrate']);
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
