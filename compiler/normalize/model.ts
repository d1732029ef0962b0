import type { AirflowSpec, DagsFromGit, DagsFromS3, SecretRef, Targets, Overrides } from '../../schema/generated/types.ts';
import type { AirflowVersion } from './airflow-version.ts';
import type { AirflowFacts } from '../airflow/facts.ts';
import type { DeepReadonly } from './freeze.ts';

/**
 * What targets consume: the spec with defaults applied and version-dependent
 * facts decided. Targets never read raw YAML; lists that have no meaningful
 * order are sorted here, once. Frozen, at every depth: normalize and the
 * build's later steps return new models, and a target that tries to change
 * one fails (in strict mode, which ES modules are) instead of changing what
 * the next reader sees.
 */
export type Model = DeepReadonly<ModelData>;

/** The model as normalize builds it, before it is frozen. */
export interface ModelData {
  name: string;
  /** The spec's path as the user named it, and the folder relative paths resolve against. */
  source: { file: string; dir: string; environment?: string };
  airflow: {
    version: AirflowVersion;
    image: { repository: string; tag: string; pullPolicy: 'IfNotPresent' | 'Always' | 'Never'; reference: string };
    executor: Executor;
  };
  facts: AirflowFacts;
  /** Every AIRFLOW__* and extra variable the user set, sorted by name. */
  environment: EnvVar[];
  dags: DagSourceModel;
  database: DatabaseModel;
  broker?: BrokerModel;
  components: ComponentsModel;
  secrets: { fernetKey: SecretRef; apiSecretKey: SecretRef; jwtSecret?: SecretRef; adminUser?: AdminUserModel };
  connections: { id: string; env: string; value: { uri: string } | SecretRef }[];
  variables: EnvVar[];
  /** SSM paths whose parameters become more connections or variables at build time. */
  fromSsmPath: { connections?: string; variables?: string };
  logging: { remote?: { s3: string; connId: string }; retentionDays: number; level: string };
  network: { allowedCidrs: string[]; hostname?: string; tls?: { certificateArn: string } };
  targets: Targets;
  overrides: Overrides;
}

export type Executor = NonNullable<AirflowSpec['airflow']['executor']>;

/** An environment variable: a plain value, or a secret reference to resolve. */
export interface EnvVar {
  name: string;
  value: string | SecretRef;
}

export type DagSourceModel =
  | { kind: 'image' }
  | { kind: 'path'; path: string }
  | ({ kind: 'git' } & Required<Pick<DagsFromGit, 'repo' | 'branch' | 'subPath' | 'period'>> & Pick<DagsFromGit, 'sshKey' | 'knownHosts'>)
  | ({ kind: 's3' } & Required<DagsFromS3>);

export type DatabaseModel =
  | { kind: 'managed'; engine: 'postgres'; version: string; instanceClass: string; storageGb: number; password?: SecretRef }
  | { kind: 'external'; host: string; port: number; name: string; user: string; password: SecretRef; sslmode: string };

/** A managed broker's `password` is required by the Redis that the Kubernetes targets run in the cluster. */
export type BrokerModel = { kind: 'managed'; nodeType: string; password?: SecretRef } | { kind: 'external'; url: SecretRef };

export interface Resources {
  replicas: number;
  cpu: number;
  memory: string;
  /** Memory in MiB, for targets that size in numbers. */
  memoryMiB: number;
}

export interface ComponentsModel {
  webserver: Resources & { port: number };
  /**
   * With LocalExecutor, `taskSlots`: how many tasks it runs at once
   * (`[core] parallelism`), which its memory holds (compiler/airflow/sizing.ts).
   */
  scheduler: Resources & { taskSlots?: number };
  /** Replicas 0 on Airflow 2 means DAGs are parsed inside the scheduler. */
  dagProcessor: Resources;
  /** Replicas 0 disables the triggerer. */
  triggerer: Resources;
  /** Present with CeleryExecutor only. */
  workers?: Resources & { autoscaling?: { min: number; max: number }; concurrency: number; queues: string[] };
  /** Present when enabled, with CeleryExecutor only. */
  flower?: Resources & { port: number };
}

export interface AdminUserModel {
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  password: SecretRef;
}
