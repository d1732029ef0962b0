import { GetAtt, Ref } from '../../compiler/emit/intrinsic.ts';
import type { Model, Resources as Size } from '../../compiler/normalize/model.ts';
import { logicalId, parameterArn, tags, type Resources } from './cfn.ts';
import { type AdminStep, type AirflowCatalogue, airflowArgv, migrationScript, type SecretConsumer, stepsConsumer } from '../../compiler/airflow/components.ts';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import { settingsFor, type Setting } from '../../compiler/airflow/settings.ts';
import { airflowImage, containerEnvironment, healthCheck, logConfiguration, type EnvironmentEntries } from './containers.ts';
import { clusterRef, executionRoleArn, taskRole, taskRoleArn, type TaskRoleNeeds } from './iam.ts';
import { dagsMountTargets } from './data-services.ts';
import { cpuUnits } from './fargate.ts';
import type { EcsNetwork } from './network.ts';
import { AWS_CLI_IMAGE, s3SyncCommand, s3SyncedCommand, s3SyncLoop } from '../../compiler/dags/sync.ts';
import type { CeleryScalingProbes } from '../../compiler/airflow/celery-scaling.ts';
import { metricNamespace, protection, publisher, workerAutoscaling } from './scaling.ts';

/** DAGs from EFS or a sidecar go where the image looks for them. */
export const DAGS_PATH = OFFICIAL_IMAGE.dagsFolder;

export interface TaskContext {
  model: Model;
  catalogue: AirflowCatalogue;
  network: EcsNetwork;
  /** What the migration and the admin user's creation need (the catalogue's lists), and what the wait for them needs. */
  stepEnv: { migrate: EnvironmentEntries; wait: EnvironmentEntries };
  /** When workers autoscale: the probes of the scaling helpers (celery-scaling.ts) and what each one's container gets. */
  scaling?: { probes: CeleryScalingProbes; demand: EnvironmentEntries; busy: EnvironmentEntries };
  launchType: 'FARGATE' | 'EC2';
  /** DAGs: none (image), a shared EFS volume, or a per-task volume filled by a sidecar. */
  dags: 'image' | 'efs' | 'sidecar';
}

export interface Component {
  name: string;
  /** Its key under the spec's `components`. */
  spec: string;
  size: Size;
  command: string[];
  health: string;
  /** Seconds; the health check's default otherwise. */
  healthTimeout?: number;
  /** The UI: behind the load balancer and registered in Cloud Map. */
  web?: boolean;
  /** Runs the migration (and creates the admin user) before starting; the others wait for it. */
  migrates?: boolean;
  stopTimeout?: number;
  autoscaling?: { min: number; max: number };
  /** What it does with remote task logs (the catalogue's). */
  remoteLogs?: 'read' | 'write';
  /** Its settings and secrets, scoped by the catalogue's lists (settingsFor). */
  env: EnvironmentEntries;
  extraEnvironment?: { Name: string; Value: string }[];
}

/** Fargate's longest stop timeout, in seconds. */
const FARGATE_STOP_TIMEOUT = 120;

/**
 * The catalogue's components as ECS runs them: the container health check
 * of the official compose file (HTTP where the component serves it, else its
 * command for the host name Airflow recorded); the scheduler's task migrates.
 * Only a component that drains gets a stop timeout of its own, as long as
 * Fargate allows.
 */
export function ecsComponents(model: Model, catalogue: AirflowCatalogue, settings: readonly Setting[]): Component[] {
  return catalogue.components.map((c) => {
    const { http, command } = c.liveness;
    const autoscaling = c.role === 'worker' ? model.components.workers?.autoscaling : undefined;
    return {
      name: c.name,
      spec: c.spec,
      size: c.resources,
      command: airflowArgv(c.args),
      env: containerEnvironment(settingsFor(c, settings)),
      health: http ? `curl --fail http://localhost:${http.port}${http.path}` : command!.local,
      ...(!http && command!.timeoutSeconds ? { healthTimeout: command!.timeoutSeconds } : {}),
      ...(c.role === 'web' ? { web: true } : {}),
      ...(c.role === 'scheduler' ? { migrates: true } : {}),
      ...(c.drains && c.stopGraceSeconds ? { stopTimeout: Math.min(c.stopGraceSeconds, FARGATE_STOP_TIMEOUT) } : {}),
      ...(c.environment.length ? { extraEnvironment: c.environment.map((e) => ({ Name: e.name, Value: e.value })) } : {}),
      ...(autoscaling ? { autoscaling } : {}),
      ...(c.remoteLogs ? { remoteLogs: c.remoteLogs } : {}),
    };
  });
}

/** The migration container's variable with the admin password. */
export const ADMIN_PASSWORD_VARIABLE = 'AFC_ADMIN_PASSWORD';

/** A step's settings and secrets, scoped by the catalogue's lists; the admin password as `AFC_ADMIN_PASSWORD`. */
export function stepEnvironment(steps: readonly SecretConsumer[], settings: readonly Setting[]): EnvironmentEntries {
  const env = containerEnvironment(settingsFor(stepsConsumer(steps), settings));
  const admin = steps.find((step): step is AdminStep => 'password' in step && step.secrets.includes('adminPassword'));
  if (admin) env.Secrets.push({ Name: ADMIN_PASSWORD_VARIABLE, ValueFrom: parameterArn(admin.password) });
  env.Secrets.sort((a, b) => (a.Name < b.Name ? -1 : 1));
  return env;
}

/**
 * A task definition and a service for one component, with its log group.
 * Ordering: the scheduler's task runs the migration in a non-essential
 * container first; every other task starts by waiting for it, and its
 * Airflow container starts only when that succeeds (DependsOn SUCCESS). One
 * migration, no one-off task to schedule.
 */
export function componentResources(ctx: TaskContext, c: Component): Resources {
  const { model } = ctx;
  const id = logicalId(c.name);
  const logGroup = `${id}LogGroup`;
  const mounts = ctx.dags === 'image' ? [] : [{ SourceVolume: 'dags', ContainerPath: DAGS_PATH, ReadOnly: true }];
  const base = (name: string, command: string[], essential: boolean, env: EnvironmentEntries = c.env) => ({
    Name: name,
    Image: airflowImage(model),
    Essential: essential,
    Command: command,
    Environment: essential ? [...env.Environment, ...(c.extraEnvironment ?? [])] : env.Environment,
    Secrets: env.Secrets,
    MountPoints: mounts,
    LinuxParameters: { InitProcessEnabled: true },
    LogConfiguration: logConfiguration(logGroup, name),
  });
  const first = c.migrates
    ? base('migrate', ['bash', '-c', migrationScript(ctx.catalogue, `"$${ADMIN_PASSWORD_VARIABLE}"`)], false, ctx.stepEnv.migrate)
    : base('wait-for-migrations', airflowArgv(ctx.catalogue.steps.waitForMigrations.args), false, ctx.stepEnv.wait);
  const containers: Record<string, unknown>[] = [first];
  const dependsOn = [{ ContainerName: first.Name, Condition: 'SUCCESS' }];
  if (ctx.dags === 'sidecar') {
    containers.push(dagsSyncContainer(model, 'dags-sync-init', logGroup, false), dagsSyncContainer(model, 'dags-sync', logGroup, true));
    dependsOn.push({ ContainerName: 'dags-sync-init', Condition: 'SUCCESS' });
  }
  // Scaling on the work (scaling.ts): the scheduler's task publishes the demand, each worker's task guards itself from scale-in.
  const { scaling } = ctx;
  const publishes = scaling !== undefined && c.migrates === true;
  // A scaling helper is an Airflow process like the others: it starts once the schema is migrated, with its probe's own variables.
  const helper = (name: string, probe: { command: string[]; environment: typeof first.Environment }, consumer: EnvironmentEntries) => {
    const sidecar = base(name, probe.command, false, consumer);
    containers.push({
      ...sidecar,
      Environment: [...sidecar.Environment, ...probe.environment],
      MountPoints: [],
      DependsOn: [{ ContainerName: first.Name, Condition: 'SUCCESS' }],
    });
  };
  if (publishes) helper('scaling-metric', publisher(model, scaling.probes), scaling.demand);
  if (scaling && c.autoscaling) helper('scale-in-protection', protection(scaling.probes), scaling.busy);
  containers.push({
    ...base(c.name, c.command, true),
    ...(c.web ? { PortMappings: [{ ContainerPort: model.components.webserver.port, Protocol: 'tcp' }] } : {}),
    DependsOn: dependsOn,
    HealthCheck: healthCheck(c.health, c.healthTimeout),
    StopTimeout: c.stopTimeout ?? 30,
  });
  const volumes = ctx.dags === 'efs' ? [efsVolume()] : ctx.dags === 'sidecar' ? [{ Name: 'dags' }] : [];
  const role: TaskRoleNeeds = {
    component: c.name,
    // A DAG sync sidecar copies from S3 with the task's role.
    s3: { ...(c.remoteLogs ? { logs: c.remoteLogs } : {}), dags: ctx.dags === 'sidecar' },
    exec: true,
    ...(publishes ? { metricNamespace: metricNamespace(model) } : {}),
  };
  const resources: Resources = {
    [logGroup]: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/afc/${model.name}/${c.name}`, RetentionInDays: model.logging.retentionDays } },
    ...taskRole(model, role),
    [`${id}TaskDefinition`]: taskDefinition(ctx, c.name, c.size, containers, volumes),
    [`${id}Service`]: service(ctx, id, c, role.exec),
  };
  if (c.autoscaling) Object.assign(resources, workerAutoscaling(model, id, c.autoscaling, model.components.workers!.concurrency));
  return resources;
}

function efsVolume() {
  return {
    Name: 'dags',
    EFSVolumeConfiguration: {
      FilesystemId: Ref('DagsFileSystem'),
      TransitEncryption: 'ENABLED',
      AuthorizationConfig: { AccessPointId: Ref('DagsAccessPoint'), IAM: 'DISABLED' },
    },
  };
}

function s3Dags(model: Model) {
  if (model.dags.kind !== 's3') throw new Error('DAG sync needs dags.s3');
  return model.dags;
}

/**
 * The AWS CLI container that syncs the spec's bucket into the `dags` volume: one sync (`loop` false: the
 * container the Airflow one waits for, DependsOn SUCCESS), or the loop that keeps it current, marking its first
 * success for a health check when `markReady`.
 */
function dagsSyncContainer(model: Model, name: string, logGroup: string, loop: boolean, markReady = false) {
  const dags = s3Dags(model);
  return {
    Name: name,
    Image: AWS_CLI_IMAGE,
    Essential: false,
    EntryPoint: ['/bin/sh', '-c'],
    Command: [loop ? s3SyncLoop(dags, DAGS_PATH, { markReady }) : s3SyncCommand(dags, DAGS_PATH)],
    MountPoints: [{ SourceVolume: 'dags', ContainerPath: DAGS_PATH, ReadOnly: false }],
    LogConfiguration: logConfiguration(logGroup, name),
  };
}

/** ECS's longest health check start period, in seconds (the HealthCheck API reference): what a first sync may take, plus the retries. */
const SYNC_START_PERIOD = 300;

/**
 * The service that fills the EFS volume from S3 for every task, as the seed's sync task did. Its container is
 * healthy once a sync has succeeded, and every Airflow service waits for it (DependsOn): CloudFormation creates a
 * service another one depends on only when its tasks are steady, which for a task with a health check means healthy.
 */
export function dagSyncResources(ctx: TaskContext): Resources {
  const { model } = ctx;
  const container = {
    ...dagsSyncContainer(model, 'dags-sync', 'DagSyncLogGroup', true, true),
    Essential: true,
    HealthCheck: { Command: ['CMD-SHELL', s3SyncedCommand()], Interval: 15, Timeout: 5, Retries: 10, StartPeriod: SYNC_START_PERIOD },
  };
  const size = { replicas: 1, cpu: 0.25, memory: '512Mi', memoryMiB: 512 };
  return {
    DagSyncLogGroup: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: `/afc/${model.name}/dag-sync`, RetentionInDays: model.logging.retentionDays } },
    // Only the DAG prefix: nobody needs a shell in a copy loop, so no ECS Exec either.
    ...taskRole(model, { component: 'dag-sync', s3: { dags: true }, exec: false }),
    DagSyncTaskDefinition: taskDefinition(ctx, 'dag-sync', size, [container], [efsVolume()]),
    DagSyncService: service(ctx, 'DagSync', { name: 'dag-sync', spec: '', size, command: [], health: '', env: { Environment: [], Secrets: [] } }, false),
  };
}

/** The logical id of the service that fills the EFS volume, which the Airflow services wait for. */
export const DAG_SYNC_SERVICE = 'DagSyncService';

function taskDefinition(ctx: TaskContext, name: string, size: Size, containers: unknown[], volumes: unknown[]) {
  return {
    Type: 'AWS::ECS::TaskDefinition',
    Properties: {
      Family: `${ctx.model.name}-${name}`,
      Cpu: String(cpuUnits(size.cpu)),
      Memory: String(size.memoryMiB),
      NetworkMode: 'awsvpc',
      RequiresCompatibilities: [ctx.launchType],
      RuntimePlatform: { OperatingSystemFamily: 'LINUX', CpuArchitecture: 'X86_64' },
      ExecutionRoleArn: executionRoleArn(),
      TaskRoleArn: taskRoleArn(name),
      ContainerDefinitions: containers,
      ...(volumes.length ? { Volumes: volumes } : {}),
      Tags: tags(ctx.model.name, name),
    },
  };
}

function service(ctx: TaskContext, id: string, c: Component, exec: boolean) {
  const { model } = ctx;
  // A task mounts EFS through the mount target in its subnet: without one yet, its start fails (and three such failures trip the circuit breaker).
  const efs = ctx.dags === 'efs' ? [...dagsMountTargets(ctx.network), ...(c.spec ? [DAG_SYNC_SERVICE] : [])] : [];
  const dependsOn = [...(c.web ? [model.network.tls ? 'HttpsListener' : 'HttpListener'] : []), ...efs];
  return {
    Type: 'AWS::ECS::Service',
    ...(dependsOn.length ? { DependsOn: dependsOn } : {}),
    Properties: {
      ServiceName: `${model.name}-${c.name}`,
      Cluster: clusterRef(),
      TaskDefinition: Ref(`${id}TaskDefinition`),
      // Autoscaled: no DesiredCount, so a stack update does not reset what the scaler chose.
      ...(c.autoscaling ? {} : { DesiredCount: c.size.replicas }),
      LaunchType: ctx.launchType,
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ctx.network.subnetIds, SecurityGroups: [Ref('TaskSecurityGroup')], AssignPublicIp: 'DISABLED' } },
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      EnableExecuteCommand: exec,
      PropagateTags: 'SERVICE',
      ...(c.web
        ? {
            LoadBalancers: [{ ContainerName: c.name, ContainerPort: model.components.webserver.port, TargetGroupArn: Ref('WebTargetGroup') }],
            HealthCheckGracePeriodSeconds: 180,
            ServiceRegistries: [{ RegistryArn: GetAtt('WebDiscoveryService', 'Arn') }],
          }
        : {}),
      Tags: tags(model.name, c.name),
    },
  };
}
