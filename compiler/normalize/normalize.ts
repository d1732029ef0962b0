import { dirname } from 'node:path';
import type { AirflowSpec, SecretRef, StringOrSecret } from '../../schema/generated/types.ts';
import { AIRFLOW_WEB_PORT, FLOWER_PORT } from '../airflow/components.ts';
import { airflowFacts } from '../airflow/facts.ts';
import { optionEnvName } from '../airflow/owned-options.ts';
import { memorySizeForTaskSlots, taskSlotsFor } from '../airflow/sizing.ts';
import { parseAirflowVersion } from './airflow-version.ts';
import { deepFreeze } from './freeze.ts';
import type { ComponentsModel, DagSourceModel, DatabaseModel, BrokerModel, EnvVar, Model, ModelData, Resources } from './model.ts';

/**
 * The defaults of the spec. They repeat the schema's `default`s on purpose
 * (the schema documents them to editors; this applies them), and
 * test/normalize/normalize.test.ts checks that the two agree.
 */
export const DEFAULTS = {
  image: { repository: 'apache/airflow', pullPolicy: 'IfNotPresent' },
  executor: 'LocalExecutor',
  git: { branch: 'main', subPath: '', period: '60s' },
  s3: { prefix: '', period: '30s' },
  managedDatabase: { engine: 'postgres', version: '16', instanceClass: 'db.t4g.small', storageGb: 20 },
  externalDatabase: { port: 5432, name: 'airflow', sslmode: 'prefer' },
  managedBroker: { nodeType: 'cache.t4g.micro' },
  webserver: { replicas: 1, cpu: 0.5, memory: '1Gi', port: AIRFLOW_WEB_PORT },
  scheduler: { replicas: 1, cpu: 0.5, memory: '1Gi' },
  /** With LocalExecutor the scheduler runs the tasks too: 6 task slots (compiler/airflow/sizing.ts). */
  localExecutorScheduler: { memory: '2Gi' },
  dagProcessor: { cpu: 0.5, memory: '1Gi' },
  triggerer: { replicas: 1, cpu: 0.5, memory: '1Gi' },
  /** `concurrency` has no default of its own: it follows from `memory` (6 at 2Gi, compiler/airflow/sizing.ts). */
  workers: { replicas: 2, cpu: 1, memory: '2Gi', queues: ['default'], autoscalingMin: 1 },
  flower: { enabled: false, port: FLOWER_PORT, cpu: 0.25, memory: '512Mi' },
  adminUser: { username: 'admin', firstName: 'Admin', lastName: 'User' },
  logging: { connId: 'aws_default', retentionDays: 30, level: 'INFO' },
} as const;

/**
 * A validated spec (with its environment already merged) → the model.
 * Only call with a spec that passed validation: required secrets and the
 * version format are assumed.
 */
export function normalize(spec: AirflowSpec, source: { file: string; environment?: string }): Model {
  return deepFreeze(modelOf(spec, source));
}

/**
 * The model's data. It shares leaves (secret references, target settings,
 * overrides) with the spec's data, which freezing the model freezes too:
 * nothing after validation changes either.
 */
function modelOf(spec: AirflowSpec, source: { file: string; environment?: string }): ModelData {
  const version = parseAirflowVersion(spec.airflow.version);
  if (!version) throw new Error(`normalize() called with an invalid version: ${spec.airflow.version}`);
  const executor = spec.airflow.executor ?? DEFAULTS.executor;
  const c = spec.components ?? {};
  const dagProcessorReplicas = c.dagProcessor?.replicas ?? (version.major >= 3 ? 1 : 0);
  const secrets = spec.secrets ?? {};
  const repository = spec.airflow.image?.repository ?? DEFAULTS.image.repository;
  const tag = spec.airflow.image?.tag ?? version.raw;

  const components: ComponentsModel = {
    webserver: { ...resources(c.webserver, DEFAULTS.webserver), port: c.webserver?.port ?? DEFAULTS.webserver.port },
    scheduler: executor === 'LocalExecutor' ? localScheduler(spec) : resources(c.scheduler, DEFAULTS.scheduler),
    dagProcessor: resources({ ...c.dagProcessor, replicas: dagProcessorReplicas }, { ...DEFAULTS.dagProcessor, replicas: dagProcessorReplicas }),
    triggerer: resources(c.triggerer, DEFAULTS.triggerer),
  };
  if (executor === 'CeleryExecutor') {
    const w = c.workers ?? {};
    // Memory and concurrency follow from each other when only one is given (compiler/airflow/sizing.ts).
    const sized = resources(w, { ...DEFAULTS.workers, memory: w.concurrency ? memorySizeForTaskSlots(w.concurrency) : DEFAULTS.workers.memory });
    components.workers = {
      ...sized,
      concurrency: w.concurrency ?? taskSlotsFor(sized.memoryMiB),
      queues: [...(w.queues ?? DEFAULTS.workers.queues)],
      ...(w.autoscaling ? { autoscaling: { min: w.autoscaling.min ?? DEFAULTS.workers.autoscalingMin, max: w.autoscaling.max } } : {}),
    };
    if (c.flower?.enabled)
      components.flower = { ...resources({ ...c.flower, replicas: 1 }, { ...DEFAULTS.flower, replicas: 1 }), port: c.flower.port ?? DEFAULTS.flower.port };
  }

  return {
    name: spec.name,
    source: { file: source.file, dir: dirname(source.file), ...(source.environment ? { environment: source.environment } : {}) },
    airflow: {
      version,
      image: { repository, tag, pullPolicy: spec.airflow.image?.pullPolicy ?? DEFAULTS.image.pullPolicy, reference: `${repository}:${tag}` },
      executor,
    },
    facts: airflowFacts(version, { dagProcessorReplicas, adminUser: secrets.adminUser !== undefined }),
    environment: environmentOf(spec),
    dags: dagSource(spec),
    database: database(spec),
    ...(spec.broker ? { broker: broker(spec.broker) } : {}),
    components,
    secrets: {
      fernetKey: secrets.fernetKey as SecretRef,
      apiSecretKey: secrets.apiSecretKey as SecretRef,
      ...(version.major >= 3 && secrets.jwtSecret ? { jwtSecret: secrets.jwtSecret } : {}),
      ...(secrets.adminUser
        ? {
            adminUser: {
              username: secrets.adminUser.username ?? DEFAULTS.adminUser.username,
              email: secrets.adminUser.email,
              firstName: secrets.adminUser.firstName ?? DEFAULTS.adminUser.firstName,
              lastName: secrets.adminUser.lastName ?? DEFAULTS.adminUser.lastName,
              password: secrets.adminUser.password,
            },
          }
        : {}),
    },
    connections: sortedEntries(spec.connections ?? {})
      .filter(([id]) => id !== FROM_SSM_PATH)
      .map(([id, value]) => connectionEntry(id, value as { uri: string } | SecretRef)),
    variables: sortedEntries(spec.variables ?? {})
      .filter(([key]) => key !== FROM_SSM_PATH)
      .map(([key, value]) => variableEntry(key, plain(value as StringOrSecret))),
    fromSsmPath: {
      ...(spec.connections?.fromSsmPath ? { connections: spec.connections.fromSsmPath } : {}),
      ...(spec.variables?.fromSsmPath ? { variables: spec.variables.fromSsmPath } : {}),
    },
    logging: {
      ...(spec.logging?.remote ? { remote: { s3: spec.logging.remote.s3, connId: spec.logging.remote.connId ?? DEFAULTS.logging.connId } } : {}),
      retentionDays: spec.logging?.retentionDays ?? DEFAULTS.logging.retentionDays,
      level: spec.logging?.level ?? DEFAULTS.logging.level,
    },
    network: {
      allowedCidrs: [...new Set(spec.network?.allowedCidrs ?? [])].sort(),
      ...(spec.network?.hostname ? { hostname: spec.network.hostname } : {}),
      ...(spec.network?.tls ? { tls: spec.network.tls } : {}),
    },
    targets: spec.targets ?? {},
    overrides: spec.overrides ?? {},
  };
}

/** The key under `connections` and `variables` that names an SSM path rather than an entry. */
export const FROM_SSM_PATH = 'fromSsmPath';

export function connectionEntry(id: string, value: { uri: string } | SecretRef): Model['connections'][number] {
  return { id, env: `AIRFLOW_CONN_${id.toUpperCase()}`, value };
}

export function variableEntry(key: string, value: string | SecretRef): EnvVar {
  return { name: `AIRFLOW_VAR_${key.toUpperCase()}`, value };
}

/**
 * The LocalExecutor's scheduler, which runs the tasks as well: its memory and
 * its task slots (`[core] parallelism`) follow from each other when only one
 * is given, as a Celery worker's memory and concurrency do.
 */
function localScheduler(spec: AirflowSpec): Resources & { taskSlots: number } {
  const given = spec.components?.scheduler;
  const parallelism = Number(spec.airflow.config?.core?.parallelism ?? Number.NaN);
  const slots = Number.isInteger(parallelism) && parallelism > 0 ? parallelism : undefined;
  const memory = slots ? memorySizeForTaskSlots(slots) : DEFAULTS.localExecutorScheduler.memory;
  const sized = resources(given, { ...DEFAULTS.scheduler, memory });
  return { ...sized, taskSlots: slots ?? taskSlotsFor(sized.memoryMiB) };
}

function resources(
  given: { replicas?: number; cpu?: number; memory?: string } | undefined,
  defaults: { replicas: number; cpu: number; memory: string },
): Resources {
  const memory = given?.memory ?? defaults.memory;
  return { replicas: given?.replicas ?? defaults.replicas, cpu: given?.cpu ?? defaults.cpu, memory, memoryMiB: toMiB(memory) };
}

export function toMiB(memory: string): number {
  const match = /^(\d+)(Mi|Gi)$/.exec(memory);
  if (!match) throw new Error(`invalid memory: ${memory}`);
  return Number(match[1]) * (match[2] === 'Gi' ? 1024 : 1);
}

function sortedEntries<T>(record: Record<string, T>): [string, T][] {
  return Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** YAML numbers and booleans become the strings Airflow reads from the environment. */
export function plain(value: StringOrSecret): string | SecretRef {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'number' ? String(value) : value;
}

function environmentOf(spec: AirflowSpec): EnvVar[] {
  const vars: EnvVar[] = [];
  for (const [section, keys] of Object.entries(spec.airflow.config ?? {})) {
    for (const [key, value] of Object.entries(keys)) vars.push({ name: optionEnvName(section, key), value: plain(value) });
  }
  for (const [name, value] of Object.entries(spec.airflow.env ?? {})) vars.push({ name, value: plain(value) });
  return vars.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function dagSource(spec: AirflowSpec): DagSourceModel {
  const dags = spec.dags;
  if (dags?.path !== undefined) return { kind: 'path', path: dags.path };
  if (dags?.git) {
    const g = dags.git;
    return {
      kind: 'git',
      repo: g.repo,
      branch: g.branch ?? DEFAULTS.git.branch,
      subPath: g.subPath ?? DEFAULTS.git.subPath,
      period: g.period ?? DEFAULTS.git.period,
      ...(g.sshKey ? { sshKey: g.sshKey } : {}),
      ...(g.knownHosts ? { knownHosts: g.knownHosts } : {}),
    };
  }
  if (dags?.s3) return { kind: 's3', bucket: dags.s3.bucket, prefix: dags.s3.prefix ?? DEFAULTS.s3.prefix, period: dags.s3.period ?? DEFAULTS.s3.period };
  return { kind: 'image' };
}

function database(spec: AirflowSpec): DatabaseModel {
  const external = spec.database?.external;
  if (external) {
    return {
      kind: 'external',
      host: external.host,
      port: external.port ?? DEFAULTS.externalDatabase.port,
      name: external.name ?? DEFAULTS.externalDatabase.name,
      user: external.user,
      password: external.password,
      sslmode: external.sslmode ?? DEFAULTS.externalDatabase.sslmode,
    };
  }
  const managed = spec.database?.managed ?? {};
  return {
    kind: 'managed',
    engine: managed.engine ?? DEFAULTS.managedDatabase.engine,
    version: managed.version ?? DEFAULTS.managedDatabase.version,
    instanceClass: managed.instanceClass ?? DEFAULTS.managedDatabase.instanceClass,
    storageGb: managed.storageGb ?? DEFAULTS.managedDatabase.storageGb,
    ...(managed.password ? { password: managed.password } : {}),
  };
}

function broker(given: NonNullable<AirflowSpec['broker']>): BrokerModel {
  if (given.external) return { kind: 'external', url: given.external.url };
  const password = given.managed?.password;
  return { kind: 'managed', nodeType: given.managed?.nodeType ?? DEFAULTS.managedBroker.nodeType, ...(password ? { password } : {}) };
}
