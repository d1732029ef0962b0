import type { ContainerUser } from '../../host/container.ts';
import type { CheckTiming, ContainerPlan, HealthCheck, PlanMount } from '../../plan.ts';
import { EcsAgent } from './agent.ts';
import { EcsAgentEndpoint } from '../../platform/ecs-agent.ts';
import { rolePolicies } from './iam.ts';
import { TemplateError } from './intrinsics.ts';
import type { Stack } from './stack.ts';

interface ContainerDefinition {
  Name: string;
  Image: string;
  Essential?: boolean;
  EntryPoint?: string[];
  Command?: string[];
  Environment?: { Name: string; Value: string }[];
  Secrets?: { Name: string; ValueFrom: string }[];
  User?: string;
  WorkingDirectory?: string;
  MountPoints?: { SourceVolume: string; ContainerPath: string; ReadOnly?: boolean }[];
  DependsOn?: { ContainerName: string; Condition: string }[];
  HealthCheck?: { Command: string[]; Interval?: number; Timeout?: number; Retries?: number; StartPeriod?: number };
  PortMappings?: { ContainerPort: number; HostPort?: number; Protocol?: string }[];
  LogConfiguration?: { LogDriver: string; Options?: Record<string, string> };
  LinuxParameters?: Record<string, unknown>;
  ReadonlyRootFilesystem?: boolean;
  Privileged?: boolean;
}

interface Volume {
  Name: string;
  EFSVolumeConfiguration?: {
    FilesystemId: string;
    RootDirectory?: string;
    TransitEncryption?: string;
    TransitEncryptionPort?: number;
    AuthorizationConfig?: { AccessPointId?: string; IAM?: string };
  };
  Host?: { SourcePath?: string };
  DockerVolumeConfiguration?: unknown;
  ConfiguredAtLaunch?: boolean;
}

/**
 * Container definition properties the harness reads, and those it leaves to
 * the platform with the reason. Any other property is an error.
 */
const READ = new Set([
  'Name',
  'Image',
  'Essential',
  'EntryPoint',
  'Command',
  'Environment',
  'Secrets',
  'User',
  'WorkingDirectory',
  'MountPoints',
  'DependsOn',
  'HealthCheck',
  'PortMappings',
  'LogConfiguration',
  'LinuxParameters',
  'ReadonlyRootFilesystem',
  'Privileged',
]);
const NOT_REPRODUCED: Record<string, string> = {
  Cpu: 'no CPU shares on one machine',
  Memory: 'no memory limits on one machine',
  MemoryReservation: 'no memory limits on one machine',
  StopTimeout: 'the harness stops every container with its own grace period',
  DockerLabels: 'labels change nothing a container does',
};
const TASK_PROPERTIES = new Set([
  'Family',
  'Cpu',
  'Memory',
  'NetworkMode',
  'RequiresCompatibilities',
  'RuntimePlatform',
  'ExecutionRoleArn',
  'TaskRoleArn',
  'ContainerDefinitions',
  'Volumes',
  'Tags',
  'EphemeralStorage',
]);

/** ECS's health check defaults (the HealthCheck API reference). */
const HEALTH_DEFAULTS = { Interval: 30, Timeout: 5, Retries: 3, StartPeriod: 0 };

/** Where a task's volume comes from: a shared EFS directory (one harness volume for all), or the task's own. */
export type VolumeSource = { efs: string } | { task: string };

/** A task definition as the ECS agent starts it: its containers (for one task), after the execution role's checks. */
export interface TaskDefinition {
  id: string;
  family: string;
  /** The containers of one task, with volumes named for that task. */
  containers(task: string): ContainerPlan[];
  portMappings: { container: string; port: number }[];
  /** The EFS file systems its volumes mount. */
  fileSystems: string[];
}

export function readTaskDefinition(stack: Stack, id: string, ssm: ReadonlyMap<string, string>): TaskDefinition {
  const where = `stack.yaml: Resources.${id}`;
  const prop = (name: string) => stack.property(id, name);
  for (const key of Object.keys(stack.resources.get(id)!.Properties ?? {})) {
    if (!TASK_PROPERTIES.has(key)) throw new TemplateError(`${where}.Properties.${key}: the runtime harness does not read this task definition property`);
  }
  if (prop('NetworkMode') !== 'awsvpc')
    throw new TemplateError(
      `${where}: NetworkMode ${String(prop('NetworkMode'))}: the runtime harness runs awsvpc tasks (each task its own network namespace)`,
    );
  const executionRoleArn = prop('ExecutionRoleArn') as string | undefined;
  const agent = new EcsAgent(
    stack,
    executionRoleArn === undefined
      ? undefined
      : { arn: executionRoleArn, policies: rolePolicies(stack, executionRoleArn, `${where}.Properties.ExecutionRoleArn`) },
    ssm,
    where,
  );
  const definitions = (prop('ContainerDefinitions') ?? []) as ContainerDefinition[];
  const volumes = new Map(((prop('Volumes') ?? []) as Volume[]).map((v) => [v.Name, volumeSource(stack, v, `${where}.Properties.Volumes.${v.Name}`)]));
  const names = new Set(definitions.map((d) => d.Name));
  const family = String(prop('Family'));
  // What the agent checks and fetches once per task definition; each task gets the same values.
  const prepared = definitions.map((definition) => {
    const at = `${where}: container ${definition.Name}`;
    for (const key of Object.keys(definition)) {
      if (!READ.has(key) && !(key in NOT_REPRODUCED)) throw new TemplateError(`${at}: ${key}: the runtime harness does not read this container property`);
    }
    checkLinux(definition, at);
    agent.pull(definition.Image, definition.Name);
    agent.logs(definition.LogConfiguration, definition.Name, 'TASK_ID');
    const env = Object.fromEntries((definition.Environment ?? []).map((e) => [e.Name, String(e.Value)]));
    const secrets = agent.secrets(definition.Secrets ?? [], definition.Name);
    const twice = Object.keys(secrets).filter((name) => name in env);
    if (twice.length) throw new TemplateError(`${at}: ${twice.join(', ')} in both Environment and Secrets`);
    for (const dep of definition.DependsOn ?? []) {
      if (!names.has(dep.ContainerName)) throw new TemplateError(`${at}: DependsOn ${dep.ContainerName}: no such container in the task`);
      if (!['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'].includes(dep.Condition)) throw new TemplateError(`${at}: DependsOn condition ${dep.Condition}`);
    }
    for (const mount of definition.MountPoints ?? []) {
      if (!volumes.has(mount.SourceVolume)) throw new TemplateError(`${at}: MountPoints: no volume ${mount.SourceVolume} in the task definition`);
    }
    return { definition, env: { ...env, ...secrets }, at };
  });
  // A container others wait for to be HEALTHY must have its health checked, even when the task's health does not depend on it.
  const awaitedHealthy = new Set(definitions.flatMap((d) => (d.DependsOn ?? []).filter((x) => x.Condition === 'HEALTHY').map((x) => x.ContainerName)));
  return {
    id,
    family,
    fileSystems: [...new Set(((prop('Volumes') ?? []) as Volume[]).flatMap((v) => (v.EFSVolumeConfiguration ? [v.EFSVolumeConfiguration.FilesystemId] : [])))],
    portMappings: definitions.flatMap((d) =>
      (d.PortMappings ?? []).map((p) => {
        if (p.HostPort !== undefined && p.HostPort !== p.ContainerPort)
          throw new TemplateError(`${where}: container ${d.Name}: awsvpc needs HostPort equal to ContainerPort`);
        return { container: d.Name, port: Number(p.ContainerPort) };
      }),
    ),
    containers: (task) =>
      prepared.map(({ definition, env, at }) => {
        const essential = definition.Essential ?? true;
        return {
          name: definition.Name,
          image: definition.Image,
          ...(definition.EntryPoint ? { entrypoint: definition.EntryPoint.map(String) } : {}),
          ...(definition.Command ? { command: definition.Command.map(String) } : {}),
          // What the ECS agent adds to every container: its endpoint for this task (scale-in protection).
          env: { ECS_AGENT_URI: EcsAgentEndpoint.agentUri(task), ...env },
          ...(definition.User !== undefined ? { user: user(definition.User, at) } : {}),
          ...(definition.WorkingDirectory ? { workingDir: definition.WorkingDirectory } : {}),
          mounts: (definition.MountPoints ?? []).map((m): PlanMount => {
            const source = volumes.get(m.SourceVolume)!;
            return { volume: 'efs' in source ? source.efs : `${task}-${source.task}`, target: m.ContainerPath, readOnly: m.ReadOnly ?? false };
          }),
          dependsOn: (definition.DependsOn ?? []).map((d) => ({
            container: d.ContainerName,
            condition: d.Condition as 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY',
          })),
          essential,
          healthChecks: definition.HealthCheck ? [healthCheck(definition.HealthCheck, at, essential || awaitedHealthy.has(definition.Name))] : [],
        } satisfies ContainerPlan;
      }),
  };
}

/**
 * An EFS volume is one folder of the run per file system and directory (the
 * access point's root, or RootDirectory), shared by every task that mounts
 * it; a volume without configuration is the task's own.
 */
function volumeSource(stack: Stack, volume: Volume, where: string): VolumeSource {
  if (volume.Host?.SourcePath !== undefined || volume.DockerVolumeConfiguration !== undefined || volume.ConfiguredAtLaunch) {
    throw new TemplateError(
      `${where}: the runtime harness runs Fargate volumes: EFS, or a task's own (no Host.SourcePath, DockerVolumeConfiguration or ConfiguredAtLaunch)`,
    );
  }
  const efs = volume.EFSVolumeConfiguration;
  if (!efs) return { task: volume.Name };
  const fileSystem = stack.find('AWS::EFS::FileSystem', efs.FilesystemId);
  if (!fileSystem) throw new TemplateError(`${where}: file system ${efs.FilesystemId} is not one of the stack's`);
  if (efs.AuthorizationConfig?.IAM === 'ENABLED')
    throw new TemplateError(`${where}: EFS IAM authorization: the runtime harness does not evaluate the task role for EFS`);
  let directory = efs.RootDirectory ?? '/';
  const accessPointId = efs.AuthorizationConfig?.AccessPointId;
  if (accessPointId !== undefined) {
    // As ECS requires: transit encryption with an access point, and the root directory left to the access point.
    if (efs.TransitEncryption !== 'ENABLED') throw new TemplateError(`${where}: an access point needs TransitEncryption ENABLED`);
    if (directory !== '/') throw new TemplateError(`${where}: with an access point, RootDirectory must be / (the access point's root applies)`);
    const accessPoint = stack.find('AWS::EFS::AccessPoint', accessPointId);
    if (!accessPoint) throw new TemplateError(`${where}: access point ${accessPointId} is not one of the stack's`);
    if (stack.property(accessPoint, 'FileSystemId') !== efs.FilesystemId)
      throw new TemplateError(`${where}: access point ${accessPointId} belongs to another file system`);
    directory = String((stack.property(accessPoint, 'RootDirectory') as { Path?: string } | undefined)?.Path ?? '/');
  }
  return { efs: `efs-${efs.FilesystemId}${directory.replace(/\/+$/, '').replace(/[^A-Za-z0-9_.-]/g, '_')}` };
}

function checkLinux(definition: ContainerDefinition, where: string): void {
  if (definition.ReadonlyRootFilesystem)
    throw new TemplateError(`${where}: ReadonlyRootFilesystem: the runtime harness gives every container a writable layer`);
  if (definition.Privileged) throw new TemplateError(`${where}: Privileged containers do not run on Fargate`);
  for (const [key, value] of Object.entries(definition.LinuxParameters ?? {})) {
    // Fargate's init process reaps zombies and forwards signals; the harness signals each container's process group itself.
    if (key === 'InitProcessEnabled' && typeof value === 'boolean') continue;
    throw new TemplateError(`${where}: LinuxParameters.${key}: the runtime harness does not reproduce it`);
  }
}

function healthCheck(check: NonNullable<ContainerDefinition['HealthCheck']>, where: string, gatesReadiness: boolean): HealthCheck {
  const [kind, ...rest] = check.Command.map(String);
  let argv: string[];
  if (kind === 'CMD-SHELL' && rest.length === 1) argv = ['/bin/sh', '-c', rest[0]!];
  else if (kind === 'CMD' && rest.length > 0) argv = rest;
  else throw new TemplateError(`${where}: HealthCheck.Command ${JSON.stringify(check.Command)} is not [CMD-SHELL, command] or [CMD, argument…]`);
  const timing: CheckTiming = {
    interval: Number(check.Interval ?? HEALTH_DEFAULTS.Interval),
    timeout: Number(check.Timeout ?? HEALTH_DEFAULTS.Timeout),
    retries: Number(check.Retries ?? HEALTH_DEFAULTS.Retries),
    startPeriod: Number(check.StartPeriod ?? HEALTH_DEFAULTS.StartPeriod),
  };
  return { kind: 'exec', argv, timing, source: `${where}: HealthCheck`, gatesReadiness };
}

/** ECS `User`: uid, uid:gid (names would need the image's /etc/passwd: refused). */
function user(value: string, where: string): ContainerUser {
  const [uid, gid = '0', ...rest] = String(value).split(':');
  if (rest.length || !/^\d+$/.test(uid!) || !/^\d+$/.test(gid)) throw new TemplateError(`${where}: User "${value}": the runtime harness runs numeric users`);
  return { uid: Number(uid), gid: Number(gid) };
}
