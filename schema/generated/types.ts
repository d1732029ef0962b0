// Generated from schema/airflow.schema.json by `npm run generate`; do not edit.

/**
 * A plain value, or a secret reference.
 *
 * This interface was referenced by `AirflowConfigSection`'s JSON-Schema definition
 * via the `patternProperty` "^[a-z][a-z0-9_]*$".
 *
 * This interface was referenced by `AirflowEnv`'s JSON-Schema definition
 * via the `patternProperty` "^[A-Za-z_][A-Za-z0-9_]*$".
 *
 * This interface was referenced by `Variables`'s JSON-Schema definition
 * via the `patternProperty` "^(?!fromSsmPath$)[A-Za-z][A-Za-z0-9_]*$".
 */
export type StringOrSecret = string | number | boolean | SecretRef;
/**
 * An IPv4 CIDR block.
 */
export type Cidr = string;
/**
 * AWS region; when absent, the standard AWS configuration chain decides.
 */
export type AwsRegion = string;
/**
 * Whether tasks may start pods in the deployment's namespace (KubernetesPodOperator with `in_cluster`), as the Helm chart's `allowPodLaunching` (default true): the ServiceAccount that runs tasks (`<name>-worker` for Celery workers and KubernetesExecutor task pods; `<name>-scheduler` with LocalExecutor, whose scheduler runs them) gets a Role to create, watch and delete pods, read their logs, exec into them and list events. false leaves task code without Kubernetes rights.
 */
export type AllowPodLaunching = boolean;
/**
 * Patches applied to this target's output, last.
 *
 * This interface was referenced by `Overrides`'s JSON-Schema definition
 * via the `patternProperty` "^x-[a-z][a-z0-9-]*$".
 */
export type FilePatches = FilePatch[];

/**
 * One Apache Airflow deployment, compiled by afc into docker-compose, Terraform (EC2), CloudFormation (ECS) or Kubernetes manifests (EKS).
 */
export interface AirflowSpec {
  /**
   * Version of the spec language. Only `afc/v1` exists.
   */
  apiVersion: 'afc/v1';
  /**
   * Name of the deployment: a lowercase DNS label of 1 to 40 characters. Every generated resource name starts with it.
   */
  name: string;
  airflow: AirflowSettings;
  dags?: DagSource;
  database?: Database;
  broker?: Broker;
  components?: Components;
  secrets?: AirflowSecrets;
  connections?: Connections;
  variables?: Variables;
  logging?: Logging;
  network?: Network;
  targets?: Targets;
  environments?: Environments;
  overrides?: Overrides;
}
/**
 * Which Airflow runs, and how it is configured.
 */
export interface AirflowSettings {
  /**
   * Airflow version, `MAJOR.MINOR.PATCH`, from 2.7.0 up to (not including) 4. Decides the commands and configuration sections afc generates. afc knows releases up to 3.3.2; a newer minor release is warned about (AFC2025).
   */
  version: string;
  image?: AirflowImage;
  /**
   * Airflow executor.
   */
  executor?: 'LocalExecutor' | 'CeleryExecutor' | 'KubernetesExecutor';
  config?: AirflowConfig;
  env?: AirflowEnv;
}
/**
 * Container image of every Airflow component. Defaults to the official `apache/airflow` image of `version`.
 */
export interface AirflowImage {
  /**
   * Image repository: an image name as the OCI distribution reference grammar defines it (an optional registry host and port, then lowercase path components separated by `/`), at most 255 characters. No tag or digest here (see `tag`).
   */
  repository?: string;
  /**
   * Image tag; defaults to `version`.
   */
  tag?: string;
  /**
   * When to pull the image.
   */
  pullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
}
/**
 * airflow.cfg overrides by section and key; each becomes `AIRFLOW__SECTION__KEY`. `afc validate` checks each option against the tables read from the declared Airflow version (and the providers afc tables: celery, cncf.kubernetes, fab, amazon, standard): an unknown option or section, one of another version, one that moved or is deprecated, a value Airflow would not parse (integer, float, boolean, allowed values), a secret option in plain text (give `{ ssm: … }`), and an option afc sets itself from another field. A section no table knows (another provider's) is only warned about. `afc explain SECTION.KEY` prints what the tables say.
 */
export interface AirflowConfig {
  [k: string]: AirflowConfigSection;
}
/**
 * One airflow.cfg section: key to value.
 *
 * This interface was referenced by `AirflowConfig`'s JSON-Schema definition
 * via the `patternProperty` "^[a-z][a-z0-9_]*$".
 */
export interface AirflowConfigSection {
  [k: string]: StringOrSecret;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * Extra environment variables of every Airflow container: a plain value or a secret reference.
 */
export interface AirflowEnv {
  [k: string]: StringOrSecret;
}
/**
 * Where the DAG files come from: exactly one source. Without this section, DAGs are baked into the image.
 */
export interface DagSource {
  image?: DagsFromImage;
  /**
   * A folder beside the spec, bind-mounted into the containers (compose target).
   */
  path?: string;
  git?: DagsFromGit;
  s3?: DagsFromS3;
}
/**
 * DAGs are part of the Airflow image (the default).
 */
export interface DagsFromImage {}
/**
 * A git repository kept in sync by git-sync.
 */
export interface DagsFromGit {
  /**
   * Repository URL (SSH or HTTPS).
   */
  repo: string;
  /**
   * Branch to follow.
   */
  branch?: string;
  /**
   * Folder inside the repository that holds the DAGs.
   */
  subPath?: string;
  /**
   * How often to pull.
   */
  period?: string;
  sshKey?: SecretRef1;
  /**
   * known_hosts lines for the git host; without them the host key is not checked, and afc warns.
   */
  knownHosts?: string;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef1 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * An S3 prefix synced into the DAG folder.
 */
export interface DagsFromS3 {
  /**
   * Bucket name.
   */
  bucket: string;
  /**
   * Key prefix of the DAG files.
   */
  prefix?: string;
  /**
   * How often to sync.
   */
  period?: string;
}
/**
 * Airflow's metadata database: exactly one of `managed` or `external`.
 */
export interface Database {
  managed?: ManagedDatabase;
  external?: ExternalDatabase;
}
/**
 * A database afc provisions: a container for compose, a container with its files on a separate EBS volume for ec2, RDS for ecs.
 */
export interface ManagedDatabase {
  /**
   * Database engine.
   */
  engine?: 'postgres';
  /**
   * Engine version: a major (`16`, the container image's tag for compose) or a full version (`16.8`; RDS wants one, or it picks its default minor).
   */
  version?: string;
  /**
   * RDS instance class (ecs).
   */
  instanceClass?: string;
  /**
   * Allocated storage in GiB.
   */
  storageGb?: number;
  password?: SecretRef2;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef2 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * An existing PostgreSQL database, such as RDS.
 */
export interface ExternalDatabase {
  /**
   * Host name or address: a DNS name (letters, digits, hyphens and dots), an IPv4 address, or an IPv6 address in brackets.
   */
  host: string;
  /**
   * TCP port.
   */
  port?: number;
  /**
   * Database name.
   */
  name?: string;
  /**
   * User name.
   */
  user: string;
  password: SecretRef3;
  /**
   * libpq sslmode.
   */
  sslmode?: 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef3 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * Celery broker (CeleryExecutor only): exactly one of `managed` or `external`.
 */
export interface Broker {
  managed?: ManagedBroker;
  external?: ExternalBroker;
}
/**
 * A Redis afc provisions: a container for compose, eks and ec2, ElastiCache for ecs.
 */
export interface ManagedBroker {
  /**
   * ElastiCache node type (ecs).
   */
  nodeType?: string;
  password?: SecretRef4;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef4 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * An existing broker.
 */
export interface ExternalBroker {
  url: SecretRef5;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef5 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * Sizes of Airflow's components; every key is optional.
 */
export interface Components {
  webserver?: WebserverComponent;
  scheduler?: SchedulerComponent;
  dagProcessor?: DagProcessorComponent;
  triggerer?: TriggererComponent;
  workers?: WorkersComponent;
  flower?: FlowerComponent;
}
/**
 * The UI: `webserver` on Airflow 2, `api-server` on Airflow 3.
 */
export interface WebserverComponent {
  /**
   * Number of instances.
   */
  replicas?: number;
  /**
   * CPU in vCPU (0.25 is a quarter of a core).
   */
  cpu?: number;
  /**
   * Memory with a binary unit: `512Mi`, `2Gi`.
   */
  memory?: string;
  /**
   * Port the UI listens on inside its container.
   */
  port?: number;
}
/**
 * The scheduler.
 */
export interface SchedulerComponent {
  /**
   * Number of instances (Airflow supports several schedulers).
   */
  replicas?: number;
  /**
   * CPU in vCPU (0.25 is a quarter of a core).
   */
  cpu?: number;
  /**
   * Memory limit; default 1Gi. With LocalExecutor the scheduler also runs the tasks: the default is 2Gi, and `[core] parallelism` is what the memory holds, (memory − 512Mi) / 256Mi (6 at 2Gi). An `airflow.config.core.parallelism` without `memory` sets the memory: 512Mi + 256Mi a task.
   */
  memory?: string;
}
/**
 * The standalone DAG processor: always on for Airflow 3; on Airflow 2, `replicas` of 1 or more turns it on.
 */
export interface DagProcessorComponent {
  /**
   * Number of instances; defaults to 1 on Airflow 3 and 0 (parsing inside the scheduler) on Airflow 2.
   */
  replicas?: number;
  /**
   * CPU in vCPU (0.25 is a quarter of a core).
   */
  cpu?: number;
  /**
   * Memory with a binary unit: `512Mi`, `2Gi`.
   */
  memory?: string;
}
/**
 * The triggerer, which runs deferred tasks.
 */
export interface TriggererComponent {
  /**
   * Number of instances; 0 disables it.
   */
  replicas?: number;
  /**
   * CPU in vCPU (0.25 is a quarter of a core).
   */
  cpu?: number;
  /**
   * Memory with a binary unit: `512Mi`, `2Gi`.
   */
  memory?: string;
}
/**
 * Celery workers (CeleryExecutor only).
 */
export interface WorkersComponent {
  /**
   * Number of workers (the initial count when autoscaling).
   */
  replicas?: number;
  autoscaling?: WorkerAutoscaling;
  /**
   * CPU in vCPU (0.25 is a quarter of a core).
   */
  cpu?: number;
  /**
   * Memory with a binary unit: `512Mi`, `2Gi`.
   */
  memory?: string;
  /**
   * Task slots per worker (`[celery] worker_concurrency`). Without it, what `memory` holds: (memory − 512Mi) / 256Mi, at least 1 (6 at the default 2Gi). Given without `memory`, it sets the memory: 512Mi + 256Mi a slot. A running task is two Airflow processes.
   */
  concurrency?: number;
  /**
   * Celery queues the workers consume.
   *
   * @minItems 1
   *
   * Items: A queue name.
   */
  queues?: [string, ...string[]];
}
/**
 * Bounds for worker autoscaling, on targets that support it.
 */
export interface WorkerAutoscaling {
  /**
   * Fewest workers.
   */
  min?: number;
  /**
   * Most workers.
   */
  max: number;
}
/**
 * Flower, the Celery monitoring UI (CeleryExecutor only).
 */
export interface FlowerComponent {
  /**
   * Run Flower.
   */
  enabled?: boolean;
  /**
   * Port Flower listens on.
   */
  port?: number;
  /**
   * CPU in vCPU (0.25 is a quarter of a core).
   */
  cpu?: number;
  /**
   * Memory with a binary unit: `512Mi`, `2Gi`.
   */
  memory?: string;
}
/**
 * Airflow's own keys. Each is read once and given to every component, so they always agree.
 */
export interface AirflowSecrets {
  fernetKey?: SecretRef6;
  apiSecretKey?: SecretRef7;
  jwtSecret?: SecretRef8;
  adminUser?: AdminUser;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef6 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef7 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef8 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * An admin user created when the database is migrated. Without one, Airflow 3 runs its default SimpleAuthManager: user `admin`, whose password each api-server generates on its first start into /opt/airflow/simple_auth_manager_passwords.json.generated in its container (one replica only, AFC2023 warns otherwise; set adminUser for more, or for a password that outlives the container); Airflow 2 has no user until one is created with `airflow users create`.
 */
export interface AdminUser {
  /**
   * Login name.
   */
  username?: string;
  /**
   * E-mail address.
   */
  email: string;
  /**
   * First name.
   */
  firstName?: string;
  /**
   * Last name.
   */
  lastName?: string;
  password: SecretRef9;
}
/**
 * Where a secret comes from: exactly one of `ssm`, `env`, `file` or `value`.
 */
export interface SecretRef9 {
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * Airflow connections by id; each becomes `AIRFLOW_CONN_<ID>`. A connection is a URI in plain text, or a secret reference holding the URI.
 */
export interface Connections {
  /**
   * Also read every parameter under this SSM path (recursively, decrypted) at build time; the last segment of each parameter's name is the connection id.
   */
  fromSsmPath?: string;
  [k: string]: Connection | string | undefined;
}
/**
 * A connection: `{ uri: ... }` in plain text, or a secret reference (`ssm`, `env`, `file`, `value`) whose value is the URI.
 *
 * This interface was referenced by `Connections`'s JSON-Schema definition
 * via the `patternProperty` "^(?!fromSsmPath$)[A-Za-z][A-Za-z0-9_]*$".
 */
export interface Connection {
  /**
   * Connection URI in plain text (keep passwords out of it).
   */
  uri?: string;
  /**
   * Name of an AWS SSM Parameter Store parameter (SecureString parameters are decrypted).
   */
  ssm?: string;
  /**
   * Name of an environment variable of the `afc build` process.
   */
  env?: string;
  /**
   * Path of a file holding the value, relative to the spec. A trailing newline is dropped.
   */
  file?: string;
  /**
   * The value itself, in plain text. Allowed for local experiments, always warned about.
   */
  value?: string;
}
/**
 * Airflow variables by key; each becomes `AIRFLOW_VAR_<KEY>`.
 */
export interface Variables {
  /**
   * Also read every parameter under this SSM path (recursively, decrypted) at build time; the last segment of each parameter's name is the variable key.
   */
  fromSsmPath?: string;
  [k: string]: StringOrSecret | string | undefined;
}
/**
 * Task logs and component logs.
 */
export interface Logging {
  remote?: RemoteLogging;
  /**
   * Days platform logs (CloudWatch) are kept; one of the values CloudWatch allows.
   */
  retentionDays?:
    | 1
    | 3
    | 5
    | 7
    | 14
    | 30
    | 60
    | 90
    | 120
    | 150
    | 180
    | 365
    | 400
    | 545
    | 731
    | 1096
    | 1827
    | 2192
    | 2557
    | 2922
    | 3288
    | 3653;
  /**
   * Airflow's logging level (`[logging] logging_level`).
   */
  level?: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
}
/**
 * Remote task logs.
 */
export interface RemoteLogging {
  /**
   * S3 URL of the log folder.
   */
  s3: string;
  /**
   * Airflow connection used to write the logs.
   */
  connId?: string;
}
/**
 * Who reaches the UI, and under which name.
 */
export interface Network {
  /**
   * Address ranges allowed to reach the UI. Without it, the UI is only reachable from inside (loopback for compose, the VPC for AWS targets). AWS load balancers are internal unless a range lies outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 and 100.64.0.0/10.
   */
  allowedCidrs?: Cidr[];
  /**
   * Public host name of the UI.
   */
  hostname?: string;
  tls?: Tls;
}
/**
 * TLS for the UI.
 */
export interface Tls {
  /**
   * ACM certificate ARN.
   */
  certificateArn: string;
}
/**
 * Settings per target; only the block of the target being built is read. Plugin targets read a block named `x-<name>`.
 */
export interface Targets {
  compose?: ComposeTarget;
  ec2?: Ec2Target;
  ecs?: EcsTarget;
  eks?: EksTarget;
  kubernetes?: KubernetesTarget;
  /**
   * Settings of a plugin target.
   *
   * This interface was referenced by `Targets`'s JSON-Schema definition
   * via the `patternProperty` "^x-[a-z][a-z0-9-]*$".
   */
  [k: string]: {} | ComposeTarget | Ec2Target | EcsTarget | EksTarget | KubernetesTarget | undefined;
}
/**
 * docker-compose for a laptop or a single host.
 */
export interface ComposeTarget {
  /**
   * Host port of the UI.
   */
  port?: number;
}
/**
 * Terraform for one EC2 host running the compose bundle.
 */
export interface Ec2Target {
  region?: AwsRegion;
  /**
   * EC2 instance type.
   */
  instanceType?: string;
  /**
   * Root volume size in GiB (the OS, Docker images, logs); a managed database's files go on a separate volume of database.managed.storageGb.
   */
  volumeGb?: number;
  /**
   * AMI id; defaults to the latest Ubuntu LTS.
   */
  ami?: string;
  /**
   * Existing EC2 key pair for SSH; Session Manager is the default way in.
   */
  keyName?: string;
  /**
   * Address ranges allowed to SSH in; none by default.
   */
  sshCidrs?: Cidr[];
  /**
   * Subnet of the instance; the default VPC when absent.
   */
  subnetId?: string;
  backup?: Ec2Backup;
}
/**
 * Daily pg_dump of the host's Postgres (managed database) to S3.
 */
export interface Ec2Backup {
  /**
   * S3 folder of the backups.
   */
  s3: string;
  /**
   * Days a backup is kept; older ones are deleted after each backup.
   */
  retentionDays?: number;
}
/**
 * CloudFormation for ECS.
 */
export interface EcsTarget {
  region?: AwsRegion;
  /**
   * VPC of the deployment.
   */
  vpcId: string;
  /**
   * Private subnets of the tasks and data services.
   *
   * @minItems 1
   *
   * Items: Subnet id.
   */
  subnetIds: [string, ...string[]];
  /**
   * Public subnets of the load balancer (at least two zones).
   *
   * @minItems 2
   *
   * Items: Subnet id.
   */
  publicSubnetIds: [string, string, ...string[]];
  /**
   * ECS launch type.
   */
  launchType?: 'FARGATE' | 'EC2';
  /**
   * How DAGs from S3 reach the tasks: `efs` (a sync service fills an EFS file system every task mounts, as one copy for all) or `sidecar` (each task syncs its own copy into a task volume).
   */
  dagsSync?: 'efs' | 'sidecar';
}
/**
 * Kubernetes manifests for EKS.
 */
export interface EksTarget {
  /**
   * Namespace of every object.
   */
  namespace?: string;
  ingress?: IngressSettings;
  serviceAccount?: EksServiceAccount;
  allowPodLaunching?: AllowPodLaunching;
  externalSecrets?: ExternalSecretsSettings;
}
/**
 * Ingress of the UI.
 */
export interface IngressSettings {
  /**
   * IngressClass name.
   */
  className?: string;
  /**
   * Extra annotations of the Ingress.
   */
  annotations?: {
    /**
     * Annotation value.
     */
    [k: string]: string;
  };
}
/**
 * The IAM role of the Airflow ServiceAccounts (IRSA): `<name>-airflow`; `<name>-worker` where tasks may launch pods (Celery workers, KubernetesExecutor task pods); `<name>-scheduler` with KubernetesExecutor, or with LocalExecutor where tasks may launch pods; `<name>-<api-server|webserver>` with KubernetesExecutor. Its trust policy must admit each.
 */
export interface EksServiceAccount {
  /**
   * IAM role for the pods, set as `eks.amazonaws.com/role-arn`.
   */
  roleArn?: string;
}
/**
 * Deliver secrets with the External Secrets Operator instead of a rendered Secret.
 */
export interface ExternalSecretsSettings {
  /**
   * Emit an ExternalSecret instead of a Secret.
   */
  enabled?: boolean;
  /**
   * Name of the SecretStore or ClusterSecretStore.
   */
  storeName?: string;
  /**
   * Kind of the store.
   */
  storeKind?: 'SecretStore' | 'ClusterSecretStore';
  /**
   * How often the operator refreshes the Secret.
   */
  refreshInterval?: string;
}
/**
 * Kubernetes manifests for any cluster (no AWS specifics).
 */
export interface KubernetesTarget {
  /**
   * Namespace of every object.
   */
  namespace?: string;
  ingress?: IngressSettings;
  allowPodLaunching?: AllowPodLaunching;
  externalSecrets?: ExternalSecretsSettings;
}
/**
 * Per-environment overlays, applied with `--env NAME`.
 */
export interface Environments {
  [k: string]: EnvironmentOverlay;
}
/**
 * Sections merged over the base spec: maps merge, lists and scalars replace.
 *
 * This interface was referenced by `Environments`'s JSON-Schema definition
 * via the `patternProperty` "^[a-z][a-z0-9-]*$".
 */
export interface EnvironmentOverlay {
  /**
   * Merged over `airflow`.
   */
  airflow?: {
    /**
     * Overlay of `airflow.version`.
     */
    version?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `airflow.image`.
     */
    image?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `airflow.executor`.
     */
    executor?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `airflow.config`.
     */
    config?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `airflow.env`.
     */
    env?: {
      [k: string]: unknown;
    };
  };
  /**
   * Replaces `dags`.
   */
  dags?: {
    /**
     * Overlay of `dags.image`.
     */
    image?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `dags.path`.
     */
    path?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `dags.git`.
     */
    git?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `dags.s3`.
     */
    s3?: {
      [k: string]: unknown;
    };
  };
  /**
   * Replaces `database`.
   */
  database?: {
    /**
     * Overlay of `database.managed`.
     */
    managed?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `database.external`.
     */
    external?: {
      [k: string]: unknown;
    };
  };
  /**
   * Replaces `broker`.
   */
  broker?: {
    /**
     * Overlay of `broker.managed`.
     */
    managed?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `broker.external`.
     */
    external?: {
      [k: string]: unknown;
    };
  };
  /**
   * Merged over `components`.
   */
  components?: {
    /**
     * Overlay of `components.webserver`.
     */
    webserver?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `components.scheduler`.
     */
    scheduler?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `components.dagProcessor`.
     */
    dagProcessor?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `components.triggerer`.
     */
    triggerer?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `components.workers`.
     */
    workers?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `components.flower`.
     */
    flower?: {
      [k: string]: unknown;
    };
  };
  /**
   * Merged over `secrets`.
   */
  secrets?: {
    /**
     * Overlay of `secrets.fernetKey`.
     */
    fernetKey?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `secrets.apiSecretKey`.
     */
    apiSecretKey?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `secrets.jwtSecret`.
     */
    jwtSecret?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `secrets.adminUser`.
     */
    adminUser?: {
      [k: string]: unknown;
    };
  };
  /**
   * Merged over `connections`.
   */
  connections?: {
    /**
     * Overlay of `connections.fromSsmPath`.
     */
    fromSsmPath?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of an entry of `connections`.
     *
     * This interface was referenced by `undefined`'s JSON-Schema definition
     * via the `patternProperty` "^(?!fromSsmPath$)[A-Za-z][A-Za-z0-9_]*$".
     */
    [k: string]:
      | {
          [k: string]: unknown;
        }
      | undefined;
  };
  /**
   * Merged over `variables`.
   */
  variables?: {
    /**
     * Overlay of `variables.fromSsmPath`.
     */
    fromSsmPath?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of an entry of `variables`.
     *
     * This interface was referenced by `undefined`'s JSON-Schema definition
     * via the `patternProperty` "^(?!fromSsmPath$)[A-Za-z][A-Za-z0-9_]*$".
     */
    [k: string]:
      | {
          [k: string]: unknown;
        }
      | undefined;
  };
  /**
   * Merged over `logging`.
   */
  logging?: {
    /**
     * Overlay of `logging.remote`.
     */
    remote?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `logging.retentionDays`.
     */
    retentionDays?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `logging.level`.
     */
    level?: {
      [k: string]: unknown;
    };
  };
  /**
   * Merged over `network`.
   */
  network?: {
    /**
     * Overlay of `network.allowedCidrs`.
     */
    allowedCidrs?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `network.hostname`.
     */
    hostname?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `network.tls`.
     */
    tls?: {
      [k: string]: unknown;
    };
  };
  /**
   * Merged over `targets`.
   */
  targets?: {
    /**
     * Overlay of `targets.compose`.
     */
    compose?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `targets.ec2`.
     */
    ec2?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `targets.ecs`.
     */
    ecs?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `targets.eks`.
     */
    eks?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `targets.kubernetes`.
     */
    kubernetes?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of an entry of `targets`.
     *
     * This interface was referenced by `undefined`'s JSON-Schema definition
     * via the `patternProperty` "^x-[a-z][a-z0-9-]*$".
     */
    [k: string]:
      | {
          [k: string]: unknown;
        }
      | undefined;
  };
  /**
   * Merged over `overrides`.
   */
  overrides?: {
    /**
     * Overlay of `overrides.compose`.
     */
    compose?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `overrides.ec2`.
     */
    ec2?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `overrides.ecs`.
     */
    ecs?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `overrides.eks`.
     */
    eks?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of `overrides.kubernetes`.
     */
    kubernetes?: {
      [k: string]: unknown;
    };
    /**
     * Overlay of an entry of `overrides`.
     *
     * This interface was referenced by `undefined`'s JSON-Schema definition
     * via the `patternProperty` "^x-[a-z][a-z0-9-]*$".
     */
    [k: string]:
      | {
          [k: string]: unknown;
        }
      | undefined;
  };
}
/**
 * Escape hatch: RFC 6902 JSON patches on a target's output, applied after everything else.
 */
export interface Overrides {
  compose?: FilePatches;
  ec2?: FilePatches;
  ecs?: FilePatches;
  eks?: FilePatches;
  kubernetes?: FilePatches;
  [k: string]: FilePatches | undefined;
}
/**
 * Patches for one generated file.
 */
export interface FilePatch {
  /**
   * Generated file, relative to the target's output folder.
   */
  file: string;
  /**
   * For a file of several YAML documents, the `kind/name` of the one to patch.
   */
  document?: string;
  /**
   * Operations applied in order.
   *
   * @minItems 1
   */
  patch: [JsonPatchOperation, ...JsonPatchOperation[]];
}
/**
 * One RFC 6902 operation.
 */
export interface JsonPatchOperation {
  /**
   * Operation.
   */
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  /**
   * JSON Pointer of the target location.
   */
  path: string;
  /**
   * JSON Pointer of the source (`move`, `copy`).
   */
  from?: string;
  /**
   * Value to add, replace with, or test (`add`, `replace`, `test`).
   */
  value?: {
    [k: string]: unknown;
  };
}
