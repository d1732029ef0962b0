/**
 * Everything the runtime harness translates, in one place. A generated
 * output runs as written: its commands, arguments, environment, user, mounts,
 * host names, ports and order. What cannot exist on one machine without a
 * container engine, a cluster or an AWS account is replaced here, and only
 * here:
 *
 * - images: the spec's Airflow image is the Airflow release of the same minor
 *   version installed in a virtual environment (test/runtime/install.sh),
 *   behind an emulation of the image's entrypoint; `postgres:*` and `redis:*` (Docker Hub or its ECR Public mirror)
 *   are Debian's servers behind emulations of their images' entrypoints; the
 *   AWS CLI image is the AWS CLI from PyPI. dumb-init is not run.
 * - file systems: each container sees the host's files through an overlay
 *   (so the virtual environment is at its host path), with the image's
 *   folders, users and entrypoint in its own layer (host/container.ts); an
 *   EFS directory is one folder of the run, shared by every task that mounts
 *   it (an access point's POSIX user and creation mode are not applied);
 * - names: every pod has its own network namespace and address on one bridge,
 *   and one hosts file stands for Docker's DNS, cluster DNS and Cloud Map
 *   (host/network.ts); a Fargate task is named after its address, as in a VPC
 *   with DNS host names; published ports and load balancers are reached at
 *   the pod's address and container port;
 * - AWS: moto (on the bridge) for SSM, S3 and what else the platform calls;
 *   the platform's credentials (instance role, IRSA, task role) are moto's
 *   test credentials and its endpoint, given as AWS_* variables. A
 *   CloudFormation stack is created in moto's account (123456789012) with
 *   its parameters' defaults; its resources get ids, ARNs and endpoints
 *   shaped as AWS's (readers/ecs/resource-models.ts); security groups are
 *   not enforced; what the ECS agent does with a task's execution role (pull
 *   from ECR, awslogs, Secrets from SSM) is checked against the template's
 *   policies, and the task metadata endpoint is absent;
 * - managed services (RDS, ElastiCache, the user's external database or
 *   broker): Debian's PostgreSQL and Redis in pods named like them, with TLS
 *   where the output requires it (RDS refuses plain connections where its
 *   parameter group forces SSL) and the harness's CA trusted by every image;
 *   an ElastiCache group's primary serves its reader endpoint too;
 * - restarts: ECS replaces a task whose essential container stops; the
 *   harness restarts that container (restart: always). Fargate's init
 *   process (InitProcessEnabled) is not run: the harness signals each
 *   container's process group;
 * - Kubernetes (readers/kubernetes/): a Service's name is the address of the
 *   first pod it selects (no virtual IP spreading connections over its pods,
 *   no proxy: a Service port must equal its target port), and a pod's own
 *   host name resolves inside it only; the cluster's API server is the
 *   harness's (readers/kubernetes/api-server.ts: pods and their logs, with
 *   the output's ServiceAccounts and RBAC) on the bridge's port 443, and
 *   External Secrets Operator's Secrets are rendered by the reader from the
 *   SSM parameters moto holds; every pod's AWS identity is the platform
 *   variables above, whether IRSA, the node's role or none would give it
 *   one; the ALB's target health check is a GET of each pod behind the
 *   Ingress; a KEDA-scaled Deployment runs its minimum replica count; volumes
 *   are folders of the run (an emptyDir per pod, one per claim, configMap and
 *   secret files) with their modes and fsGroup; liveness probes run but
 *   never restart a container; the service variables of enableServiceLinks
 *   are not set;
 * - EC2 (readers/ec2.ts): the instance is a pod whose files are a folder of
 *   the run (cloud-init's write_files; the bundle's absolute host paths under
 *   it), running airflow.service's ExecStartPre steps as root with the host's
 *   own tools standing for Ubuntu's (EC2_INSTANCE); its `docker run` of the
 *   AWS CLI image is emulated (images/docker-on-ec2.sh); IMDSv2 is the
 *   harness's (platform/instance-metadata.ts: a token and the region) at
 *   169.254.169.254 on the host side of the bridge; `docker compose up` is
 *   the compose reader's plan of the folder fetch-secrets.sh completed; the
 *   data volume (mount-data.sh) is a folder of that disk, and the backup
 *   timer does not run;
 * - compose: the bundle is read by compose-go (compose-config/), the loader
 *   of Docker Compose v2, from a shell whose environment holds only the
 *   platform's AWS variables below (a user's exported credentials, as
 *   AFC3105 asks for `dags.s3`): a container gets them only where the file
 *   passes them through by name; a new named
 *   volume takes the image's folder's owner and mode, as Docker's do;
 *   `deploy.resources` limits are not applied (nor anywhere else);
 * - timing: health checks run more often than their declared interval, each
 *   within its declared timeout, until the declared deadline times
 *   AFC_RUNTIME_SLOWNESS (default 3: this machine is slower than the
 *   platforms').
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerUser, ImageFile } from './host/container.ts';

/** Where install.sh puts the Airflow virtual environments and the AWS CLI. */
export const RUNTIME_HOME = process.env.AFC_RUNTIME_HOME ?? '/opt/afc-runtime';

/** How slow this machine is against a platform's, for declared deadlines. */
export const SLOWNESS = slowness(process.env.AFC_RUNTIME_SLOWNESS);

function slowness(text: string | undefined): number {
  const value = Number(text ?? 3);
  if (!Number.isFinite(value) || value < 1) throw new Error(`AFC_RUNTIME_SLOWNESS must be a number of at least 1, not ${JSON.stringify(text)}`);
  return value;
}

/** The region of a spec that names none: where the harness's platform (moto, IMDS) says it is. */
export const DEFAULT_REGION = 'eu-west-1';

const AIRFLOW_UID = 50000;
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/** What an image gives a container: its ENTRYPOINT, CMD, ENV, USER, WORKDIR and content. */
export interface ImageRuntime {
  entrypoint: string[];
  cmd: string[];
  env: Record<string, string>;
  user: ContainerUser;
  workingDir: string;
  dirs: { path: string; mode: number; owner?: { uid: number; gid: number } }[];
  files: ImageFile[];
  /** Started by systemd on a host (the EC2 instance), which sets neither HOSTNAME nor HOME for a root service; containers get both. */
  systemdService?: boolean;
}

/**
 * What the container runtime adds to a container's environment: HOSTNAME,
 * and HOME from the user's entry in the image's /etc/passwd (`/` when it
 * has none), as Docker and the kubelet do when the image's ENV sets no HOME.
 */
export function runtimeEnvironment(image: ImageRuntime, hostname: string, uid: number): Record<string, string> {
  if (image.systemdService) return {};
  const passwd = image.files.find((f) => f.path === 'etc/passwd')?.content.toString() ?? readFileSync('/etc/passwd', 'utf8');
  const home =
    passwd
      .split('\n')
      .map((line) => line.split(':'))
      .find((fields) => fields[2] === String(uid))?.[5] || '/';
  return { HOSTNAME: hostname, ...(image.env.HOME === undefined ? { HOME: home } : {}) };
}

/** The harness's knowledge of the run, which images need. */
export interface TranslationContext {
  /** The spec's Airflow image, and the installed release that stands for it. */
  airflow: { image: string; runtime: AirflowRuntime };
  /** Files the Airflow image holds in its DAG folder (the canary DAG for `dags.image`). */
  imageDags: ImageFile[];
  /** A CA certificate (PEM) that every image trusts: the harness's stand-in for Amazon's. */
  trustedCa?: string;
}

export interface AirflowRuntime {
  version: string;
  venv: string;
}

/** Installed Airflow releases, oldest first. */
export function installedAirflow(): AirflowRuntime[] {
  if (!existsSync(RUNTIME_HOME)) return [];
  return readdirSync(RUNTIME_HOME)
    .map((name) => /^airflow-(\d+\.\d+\.\d+)$/.exec(name)?.[1])
    .filter((v): v is string => v !== undefined && existsSync(join(RUNTIME_HOME, `airflow-${v}`, 'bin', 'airflow')))
    .sort(compareVersions)
    .map((version) => ({ version, venv: join(RUNTIME_HOME, `airflow-${version}`) }));
}

/**
 * The installed release of the same minor version as `version` (its newest
 * patch). Throws, naming the installed releases, when there is none.
 */
export function airflowRuntimeFor(version: string): AirflowRuntime {
  const minor = version.split('.').slice(0, 2).join('.');
  const installed = installedAirflow();
  const match = installed.filter((r) => r.version.split('.').slice(0, 2).join('.') === minor).at(-1);
  if (match) return match;
  const names = installed.map((r) => r.version).join(', ') || 'none';
  throw new Error(
    `Airflow ${minor} is not installed for the runtime harness (installed under ${RUNTIME_HOME}: ${names}); add it to test/runtime/requirements/ and run test/runtime/install.sh`,
  );
}

function compareVersions(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i++) if (x![i] !== y![i]) return x![i]! - y![i]!;
  return 0;
}

/** compose-config (install.sh): a bundle as Docker Compose v2 reads it. */
export const COMPOSE_CONFIG = join(RUNTIME_HOME, 'bin', 'compose-config');

/** Where the AWS CLI is (install.sh); sidecars and host scripts find `aws` here. */
export const AWS_CLI_BIN = join(RUNTIME_HOME, 'tools', 'bin');

/** The image that runs `reference`, or an error naming what the harness can run. */
export function imageRuntime(reference: string, context: TranslationContext): ImageRuntime {
  const trust = trustStore(context.trustedCa);
  if (reference === context.airflow.image) return withTrust(airflowImage(context), trust);
  if (reference === EC2_INSTANCE) return withTrust(ec2Instance(), trust);
  if (/^(docker\.io\/|public\.ecr\.aws\/docker\/)?(library\/)?postgres:/.test(reference)) return withTrust(postgresImage(reference), trust);
  if (/^(docker\.io\/|public\.ecr\.aws\/docker\/)?(library\/)?redis:/.test(reference)) return withTrust(redisImage(), trust);
  if (/^((docker\.io\/|public\.ecr\.aws\/)?amazon\/aws-cli|public\.ecr\.aws\/aws-cli\/aws-cli):/.test(reference)) return withTrust(awsCliImage(), trust);
  throw new Error(
    `the runtime harness cannot run image ${reference} (it runs the spec's Airflow image ${context.airflow.image}, postgres, redis and the AWS CLI image)`,
  );
}

const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

function airflowImage(context: TranslationContext): ImageRuntime {
  const owner = { uid: AIRFLOW_UID, gid: 0 };
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const { venv, version } = context.airflow.runtime;
  return {
    entrypoint: ['/entrypoint'],
    cmd: [],
    env: {
      // The image's ENV (its Dockerfile), with its ~/.local/bin replaced by the virtual environment.
      PATH: `${venv}/bin:${SYSTEM_PATH}`,
      AIRFLOW_HOME: '/opt/airflow',
      AIRFLOW_USER_HOME_DIR: '/home/airflow',
      AIRFLOW_UID: String(AIRFLOW_UID),
      AIRFLOW_VERSION: version,
      AIRFLOW__CORE__LOAD_EXAMPLES: 'false',
      LANG: 'C.UTF-8',
      LC_ALL: 'C.UTF-8',
    },
    user: { uid: AIRFLOW_UID, gid: 0 },
    workingDir: '/opt/airflow',
    dirs: [
      { path: 'opt/airflow', mode: 0o775, owner },
      { path: 'opt/airflow/dags', mode: 0o775, owner },
      { path: 'opt/airflow/logs', mode: 0o775, owner },
      { path: 'home/airflow', mode: 0o755, owner },
      // The virtual environment's Python lives under the host's /root (pyenv): readable, as the image's Python is.
      { path: 'root', mode: 0o755 },
    ],
    files: [
      { path: 'entrypoint', content: readFileSync(here('./images/airflow-entrypoint.sh')), mode: 0o755 },
      { path: 'etc/passwd', content: `${passwd.trimEnd()}\nairflow:x:${AIRFLOW_UID}:0:airflow:/home/airflow:/bin/bash\n` },
      ...context.imageDags.map((f) => ({ ...f, path: `opt/airflow/dags/${f.path}`, owner })),
    ],
  };
}

/**
 * Not an image: the EC2 instance itself (Ubuntu with Docker), where the ec2
 * target's host scripts run as root. The host's own tools stand for Ubuntu's;
 * its `docker run` of the AWS CLI image is emulated (images/docker-on-ec2.sh).
 */
export const EC2_INSTANCE = 'the EC2 instance (Ubuntu)';

function ec2Instance(): ImageRuntime {
  const docker = readFileSync(here('./images/docker-on-ec2.sh'), 'utf8').replaceAll('@AWS_CLI_BIN@', AWS_CLI_BIN);
  return {
    entrypoint: [],
    cmd: [],
    env: { PATH: SYSTEM_PATH, LANG: 'C.UTF-8' },
    user: { uid: 0, gid: 0 },
    workingDir: '/',
    dirs: [],
    files: [{ path: 'usr/local/bin/docker', content: docker, mode: 0o755 }],
    systemdService: true,
  };
}

/** The official postgres image's `postgres` user and group (999), which pods name as runAsUser. */
export const POSTGRES_UID = 999;

/**
 * The image's PGDATA for its tag: /var/lib/postgresql/data up to 17; from 18 the
 * `pg_ctlcluster` layout /var/lib/postgresql/<major>/docker (docker-library/postgres
 * 18/trixie/Dockerfile: `ENV PGDATA /var/lib/postgresql/18/docker`, `VOLUME /var/lib/postgresql`).
 */
function postgresImagePgdata(reference: string): string {
  const major = Number.parseInt(reference.slice(reference.lastIndexOf(':') + 1), 10);
  return major >= 18 ? `/var/lib/postgresql/${major}/docker` : '/var/lib/postgresql/data';
}

function postgresImage(reference: string): ImageRuntime {
  const bin = readdirSync('/usr/lib/postgresql').sort().at(-1);
  // The host's users and groups with the image's postgres (Debian's package gives it another id).
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('postgres:'));
  const group = readFileSync('/etc/group', 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('postgres:'));
  return {
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    env: { PATH: `/usr/lib/postgresql/${bin}/bin:${SYSTEM_PATH}`, PGDATA: postgresImagePgdata(reference), LANG: 'C.UTF-8' },
    user: { uid: 0, gid: 0 },
    workingDir: '/',
    dirs: [{ path: 'var/lib/postgresql', mode: 0o755, owner: { uid: POSTGRES_UID, gid: POSTGRES_UID } }],
    files: [
      { path: 'usr/local/bin/docker-entrypoint.sh', content: readFileSync(here('./images/postgres-entrypoint.sh')), mode: 0o755 },
      { path: 'etc/passwd', content: `${[...passwd, `postgres:x:${POSTGRES_UID}:${POSTGRES_UID}::/var/lib/postgresql:/bin/bash`].join('\n')}\n` },
      { path: 'etc/group', content: `${[...group, `postgres:x:${POSTGRES_UID}:`].join('\n')}\n` },
    ],
  };
}

function redisImage(): ImageRuntime {
  return {
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['redis-server'],
    env: { PATH: SYSTEM_PATH },
    user: { uid: 0, gid: 0 },
    workingDir: '/data',
    dirs: [{ path: 'data', mode: 0o755 }],
    files: [{ path: 'usr/local/bin/docker-entrypoint.sh', content: readFileSync(here('./images/redis-entrypoint.sh')), mode: 0o755 }],
  };
}

function awsCliImage(): ImageRuntime {
  // The virtual environment's Python lives under the host's /root: readable, as the image's is by any user (a pod's runAsUser).
  return {
    entrypoint: ['aws'],
    cmd: [],
    env: { PATH: `${AWS_CLI_BIN}:${SYSTEM_PATH}` },
    user: { uid: 0, gid: 0 },
    workingDir: '/aws',
    dirs: [
      { path: 'aws', mode: 0o755 },
      { path: 'root', mode: 0o755 },
    ],
    files: [],
  };
}

const CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The system CA bundle with the harness's CA added, as an image file (Python's ssl and libpq read it). */
function trustStore(ca: string | undefined): ImageFile | undefined {
  if (!ca) return undefined;
  return { path: CA_BUNDLE.slice(1), content: `${readFileSync(CA_BUNDLE, 'utf8').trimEnd()}\n${ca}` };
}

function withTrust(image: ImageRuntime, trust: ImageFile | undefined): ImageRuntime {
  return trust ? { ...image, files: [...image.files, trust] } : image;
}

/**
 * The platform's AWS identity and endpoints as environment variables: what
 * an instance role, IRSA or an ECS task role provides, pointed at moto.
 */
export function platformAwsEnvironment(endpoint: string, region: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_DEFAULT_REGION: region,
    AWS_REGION: region,
    AWS_ENDPOINT_URL: endpoint,
  };
}

/**
 * The shell a user runs `docker compose up` from: AWS credentials exported
 * (AFC3105), here the platform's variables pointed at moto, and nothing else.
 */
export function composeShellEnvironment(platformAws: Record<string, string>): Record<string, string> {
  return { ...platformAws };
}
