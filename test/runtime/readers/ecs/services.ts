import type { PodPlan } from '../../plan.ts';
import { TemplateError } from './intrinsics.ts';
import type { Stack } from './stack.ts';
import { readTaskDefinition } from './task-definition.ts';

/** One ECS service as ECS runs it: its tasks (one pod each) and where the load balancer sends traffic. */
export interface ServiceTasks {
  id: string;
  name: string;
  pods: PodPlan[];
  loadBalancers: { targetGroupArn: string; container: string; port: number }[];
}

const SERVICE_PROPERTIES = new Set([
  'ServiceName',
  'Cluster',
  'TaskDefinition',
  'DesiredCount',
  'LaunchType',
  'PlatformVersion',
  'CapacityProviderStrategy',
  'NetworkConfiguration',
  'DeploymentConfiguration',
  'DeploymentController',
  'EnableExecuteCommand',
  'EnableECSManagedTags',
  'PropagateTags',
  'Tags',
  'LoadBalancers',
  'HealthCheckGracePeriodSeconds',
  'ServiceRegistries',
  'SchedulingStrategy',
]);

/**
 * Every AWS::ECS::Service of the stack, as ECS runs it: as many tasks as its
 * desired count (CloudFormation creates a service without one at 1, and an
 * Application Auto Scaling target then brings it within its minimum and
 * maximum), each task a pod of its task definition's containers in one
 * network namespace, named by Fargate after its address and registered in
 * Cloud Map under its service discovery names. ECS starts every service's
 * tasks at once; a task whose essential container stops is replaced, of which
 * restarting the container (restart: always) is the nearest the harness has.
 */
export function readServices(stack: Stack, ssm: ReadonlyMap<string, string>): ServiceTasks[] {
  return stack.ofType('AWS::ECS::Service').map((id) => {
    const where = `stack.yaml: Resources.${id}`;
    const prop = (name: string) => stack.property(id, name);
    for (const key of Object.keys(stack.resources.get(id)!.Properties ?? {})) {
      if (!SERVICE_PROPERTIES.has(key)) throw new TemplateError(`${where}.Properties.${key}: the runtime harness does not read this service property`);
    }
    checkFargate(prop, where);
    const name = String(stack.property(id, 'ServiceName') ?? stack.physicalId(id).split('/').at(-1));
    const taskDefinitionId = stack.find('AWS::ECS::TaskDefinition', prop('TaskDefinition'));
    if (!taskDefinitionId) throw new TemplateError(`${where}: TaskDefinition ${String(prop('TaskDefinition'))} is not one of the stack's`);
    const taskDefinition = readTaskDefinition(stack, taskDefinitionId, ssm);
    checkMountTargets(stack, id, taskDefinition.fileSystems, where);
    const count = desiredCount(stack, id, name);
    const names = discoveryNames(stack, id, where);
    const pods: PodPlan[] = [];
    for (let i = 1; i <= count; i++) {
      const pod = `${name}-${i}`;
      pods.push({
        name: pod,
        hostname: pod,
        addressHostname: (address) => fargateHostname(address, stack.place.region),
        names,
        containers: taskDefinition.containers(pod),
        after: [],
        restart: 'always',
        runsToCompletion: false,
      });
    }
    const loadBalancers = (
      (prop('LoadBalancers') ?? []) as { ContainerName: string; ContainerPort: number; TargetGroupArn?: string; LoadBalancerName?: string }[]
    ).map((lb) => {
      if (!lb.TargetGroupArn) throw new TemplateError(`${where}: LoadBalancers: the runtime harness reads target groups (a Classic Load Balancer has none)`);
      if (!taskDefinition.portMappings.some((p) => p.container === lb.ContainerName && p.port === Number(lb.ContainerPort))) {
        throw new TemplateError(`${where}: LoadBalancers: container ${lb.ContainerName} maps no port ${lb.ContainerPort}`);
      }
      return { targetGroupArn: lb.TargetGroupArn, container: lb.ContainerName, port: Number(lb.ContainerPort) };
    });
    return { id, name, pods, loadBalancers };
  });
}

function checkFargate(prop: (name: string) => unknown, where: string): void {
  const launchType = prop('LaunchType');
  const providers = (prop('CapacityProviderStrategy') ?? []) as { CapacityProvider: string }[];
  const fargate =
    launchType === 'FARGATE' || (launchType === undefined && providers.length > 0 && providers.every((p) => /^FARGATE(_SPOT)?$/.test(p.CapacityProvider)));
  if (!fargate)
    throw new TemplateError(
      `${where}: LaunchType ${String(launchType ?? 'EC2 (the default)')}: the runtime harness runs Fargate tasks; on EC2, tasks need container instances the stack does not create`,
    );
  if ((prop('SchedulingStrategy') ?? 'REPLICA') !== 'REPLICA')
    throw new TemplateError(`${where}: SchedulingStrategy ${String(prop('SchedulingStrategy'))} does not run on Fargate`);
  const network = prop('NetworkConfiguration') as { AwsvpcConfiguration?: unknown } | undefined;
  if (!network?.AwsvpcConfiguration) throw new TemplateError(`${where}: a Fargate service needs NetworkConfiguration.AwsvpcConfiguration`);
  const controller = (prop('DeploymentController') as { Type?: string } | undefined)?.Type ?? 'ECS';
  if (controller !== 'ECS') throw new TemplateError(`${where}: DeploymentController ${controller}: the runtime harness runs the ECS rolling deployment`);
}

/**
 * A task mounts an EFS file system through the mount target in its subnet,
 * which must exist when the task starts: CloudFormation creates the service
 * (and ECS its tasks) only after the mount targets when the service refers
 * to them or names them in DependsOn; otherwise both are created at once, and
 * a task that starts first fails to mount (three such failures trip the
 * deployment circuit breaker).
 */
function checkMountTargets(stack: Stack, id: string, fileSystems: readonly string[], where: string): void {
  const subnets = ((stack.property(id, 'NetworkConfiguration') as { AwsvpcConfiguration: { Subnets?: string[] } }).AwsvpcConfiguration.Subnets ?? []).map(
    String,
  );
  const before = stack.prerequisites(id);
  for (const fileSystem of fileSystems) {
    for (const subnet of subnets) {
      const target = stack
        .ofType('AWS::EFS::MountTarget')
        .find((t) => stack.property(t, 'FileSystemId') === fileSystem && stack.property(t, 'SubnetId') === subnet);
      if (!target) throw new TemplateError(`${where}: its tasks run in ${subnet}, where file system ${fileSystem} has no mount target: they cannot mount it`);
      if (!before.has(target))
        throw new TemplateError(
          `${where}: ECS may start its tasks before ${target} (the mount target of ${fileSystem} in ${subnet}) exists, and they fail to mount it: the service neither refers to it nor names it in DependsOn`,
        );
    }
  }
}

/** DesiredCount (1 when absent, as CloudFormation creates it), brought within the bounds of an Application Auto Scaling target for it. */
function desiredCount(stack: Stack, id: string, name: string): number {
  let count = Number(stack.property(id, 'DesiredCount') ?? 1);
  const cluster = String(stack.property(id, 'Cluster') ?? 'default').replace(/^arn:[^:]+:ecs:[^:]+:\d+:cluster\//, '');
  for (const target of stack.ofType('AWS::ApplicationAutoScaling::ScalableTarget')) {
    const p = (n: string) => stack.property(target, n);
    if (p('ServiceNamespace') !== 'ecs' || p('ScalableDimension') !== 'ecs:service:DesiredCount' || p('ResourceId') !== `service/${cluster}/${name}`) continue;
    const [min, max] = [Number(p('MinCapacity')), Number(p('MaxCapacity'))];
    count = Math.min(Math.max(count, min), max);
  }
  if (!Number.isInteger(count) || count < 0) throw new TemplateError(`stack.yaml: Resources.${id}: desired count ${count}`);
  return count;
}

/** Cloud Map: each registry's service name in its private (or public) DNS namespace resolves to the service's tasks. */
function discoveryNames(stack: Stack, id: string, where: string): string[] {
  const registries = (stack.property(id, 'ServiceRegistries') ?? []) as { RegistryArn: string }[];
  return registries.map((registry) => {
    const service = stack.find('AWS::ServiceDiscovery::Service', registry.RegistryArn, 'Arn');
    if (!service) throw new TemplateError(`${where}: ServiceRegistries: ${registry.RegistryArn} is not one of the stack's Cloud Map services`);
    const dns = stack.property(service, 'DnsConfig') as { NamespaceId?: string; DnsRecords?: { Type: string }[] } | undefined;
    if (!dns?.DnsRecords?.some((r) => r.Type === 'A'))
      throw new TemplateError(`stack.yaml: Resources.${service}: an awsvpc task registers A records; the service has none`);
    const namespaceId = stack.property(service, 'NamespaceId') ?? dns.NamespaceId;
    const namespace = ['AWS::ServiceDiscovery::PrivateDnsNamespace', 'AWS::ServiceDiscovery::PublicDnsNamespace']
      .map((type) => stack.find(type, namespaceId, 'Id'))
      .find(Boolean);
    if (!namespace) throw new TemplateError(`stack.yaml: Resources.${service}: namespace ${String(namespaceId)} is not one of the stack's DNS namespaces`);
    return `${String(stack.property(service, 'Name'))}.${String(stack.property(namespace, 'Name'))}`;
  });
}

/** Fargate names a task after its private address when the VPC has DNS host names: ip-10-0-1-5.eu-west-1.compute.internal (ec2.internal in us-east-1). */
function fargateHostname(address: string, region: string): string {
  return `ip-${address.replace(/\./g, '-')}.${region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`}`;
}
