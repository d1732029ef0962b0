import { createHash } from 'node:crypto';
import { TemplateError } from './intrinsics.ts';

/** Where the stack is created: CloudFormation's pseudo parameters. */
export interface StackPlace {
  stackName: string;
  region: string;
  accountId: string;
  partition: string;
  urlSuffix: string;
}

/** One resource of the stack, as its model sees it: its evaluated properties and what it is referred to by. */
export interface ResourceView {
  id: string;
  type: string;
  place: StackPlace;
  /** An evaluated property (undefined when absent). */
  prop(name: string): unknown;
}

interface ResourceModel {
  ref(r: ResourceView): string;
  attributes: Record<string, (r: ResourceView) => unknown>;
}

/**
 * The physical ids and attributes of the resource types that afc's
 * templates use, as AWS forms them (names CloudFormation generates when a
 * template gives none, ids and ARNs, endpoints), each derived from the stack
 * and the logical id so that every reference to a resource agrees. The
 * harness then serves what matters under those names (an RDS endpoint, a
 * Cloud Map name). Any other type, or attribute, is an error when used.
 */
const MODELS: Record<string, ResourceModel> = {
  'AWS::ECS::Cluster': {
    ref: (r) => named(r, 'ClusterName'),
    attributes: { Arn: (r) => arn(r, 'ecs', `cluster/${named(r, 'ClusterName')}`) },
  },
  'AWS::ECS::Service': {
    ref: (r) => serviceArn(r),
    attributes: { Name: (r) => named(r, 'ServiceName'), ServiceArn: (r) => serviceArn(r) },
  },
  'AWS::ECS::TaskDefinition': {
    ref: (r) => taskDefinitionArn(r),
    attributes: { TaskDefinitionArn: (r) => taskDefinitionArn(r) },
  },
  'AWS::Logs::LogGroup': {
    ref: (r) => named(r, 'LogGroupName', 512),
    attributes: { Arn: (r) => arn(r, 'logs', `log-group:${named(r, 'LogGroupName', 512)}:*`) },
  },
  'AWS::IAM::Role': {
    ref: (r) => named(r, 'RoleName'),
    attributes: { Arn: (r) => roleArn(r), RoleId: (r) => `AROA${id(r, 17).toUpperCase()}` },
  },
  'AWS::IAM::Policy': { ref: (r) => `${r.place.stackName}-${r.id}-${id(r, 12).toUpperCase()}`.slice(0, 128), attributes: {} },
  'AWS::IAM::ManagedPolicy': {
    ref: (r) => managedPolicyArn(r),
    attributes: { PolicyArn: (r) => managedPolicyArn(r) },
  },
  'AWS::EC2::SecurityGroup': {
    ref: (r) => `sg-${id(r, 17)}`,
    attributes: { GroupId: (r) => `sg-${id(r, 17)}`, VpcId: (r) => r.prop('VpcId') },
  },
  'AWS::EC2::SecurityGroupIngress': { ref: (r) => `sgr-${id(r, 17)}`, attributes: { Id: (r) => `sgr-${id(r, 17)}` } },
  'AWS::EFS::FileSystem': {
    ref: (r) => `fs-${id(r, 17)}`,
    attributes: { FileSystemId: (r) => `fs-${id(r, 17)}`, Arn: (r) => arn(r, 'elasticfilesystem', `file-system/fs-${id(r, 17)}`) },
  },
  'AWS::EFS::AccessPoint': {
    ref: (r) => `fsap-${id(r, 17)}`,
    attributes: { AccessPointId: (r) => `fsap-${id(r, 17)}`, Arn: (r) => arn(r, 'elasticfilesystem', `access-point/fsap-${id(r, 17)}`) },
  },
  'AWS::EFS::MountTarget': { ref: (r) => `fsmt-${id(r, 17)}`, attributes: {} },
  'AWS::RDS::DBInstance': {
    ref: (r) => dbInstanceIdentifier(r),
    attributes: {
      'Endpoint.Address': (r) => `${dbInstanceIdentifier(r)}.${accountRegionId(r, 12)}.${r.place.region}.rds.${r.place.urlSuffix}`,
      'Endpoint.Port': (r) =>
        String(r.prop('Port') ?? ENGINE_PORTS[String(r.prop('Engine'))] ?? fail(r, `no default port for engine ${String(r.prop('Engine'))}`)),
      DBInstanceArn: (r) => arn(r, 'rds', `db:${dbInstanceIdentifier(r)}`),
    },
  },
  'AWS::RDS::DBSubnetGroup': { ref: (r) => lower(named(r, 'DBSubnetGroupName', 255)), attributes: {} },
  'AWS::ElastiCache::ReplicationGroup': {
    ref: (r) => replicationGroupId(r),
    attributes: {
      'PrimaryEndPoint.Address': (r) => cacheEndpoint(r, 'primary'),
      'PrimaryEndPoint.Port': (r) => String(r.prop('Port') ?? 6379),
      'ReaderEndPoint.Address': (r) => cacheEndpoint(r, 'reader'),
      'ReaderEndPoint.Port': (r) => String(r.prop('Port') ?? 6379),
    },
  },
  'AWS::ElastiCache::SubnetGroup': { ref: (r) => lower(named(r, 'CacheSubnetGroupName', 255)), attributes: {} },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    ref: (r) => loadBalancerArn(r),
    attributes: {
      DNSName: (r) => `${r.prop('Scheme') === 'internal' ? 'internal-' : ''}${loadBalancerName(r)}-${digits(r, 10)}.${r.place.region}.elb.${r.place.urlSuffix}`,
      LoadBalancerFullName: (r) => `app/${loadBalancerName(r)}/${id(r, 16)}`,
      LoadBalancerName: (r) => loadBalancerName(r),
      LoadBalancerArn: (r) => loadBalancerArn(r),
    },
  },
  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    ref: (r) => targetGroupArn(r),
    attributes: {
      TargetGroupArn: (r) => targetGroupArn(r),
      TargetGroupName: (r) => named(r, 'Name', 32),
      TargetGroupFullName: (r) => `targetgroup/${named(r, 'Name', 32)}/${id(r, 16)}`,
    },
  },
  'AWS::ElasticLoadBalancingV2::Listener': {
    ref: (r) => `${String(r.prop('LoadBalancerArn')).replace(':loadbalancer/', ':listener/')}/${id(r, 16)}`,
    attributes: {},
  },
  'AWS::ServiceDiscovery::PrivateDnsNamespace': {
    ref: (r) => `ns-${id(r, 16)}`,
    attributes: {
      Id: (r) => `ns-${id(r, 16)}`,
      Arn: (r) => arn(r, 'servicediscovery', `namespace/ns-${id(r, 16)}`),
      HostedZoneId: (r) => `Z${id(r, 20).toUpperCase()}`,
    },
  },
  'AWS::ServiceDiscovery::Service': {
    ref: (r) => `srv-${id(r, 16)}`,
    attributes: {
      Id: (r) => `srv-${id(r, 16)}`,
      Arn: (r) => arn(r, 'servicediscovery', `service/srv-${id(r, 16)}`),
      Name: (r) => r.prop('Name') ?? fail(r, 'no Name'),
    },
  },
  'AWS::ApplicationAutoScaling::ScalableTarget': {
    ref: (r) => `${String(r.prop('ResourceId'))}|${String(r.prop('ScalableDimension'))}|${String(r.prop('ServiceNamespace'))}`,
    attributes: {},
  },
  'AWS::ApplicationAutoScaling::ScalingPolicy': {
    ref: (r) => arn(r, 'autoscaling', `scalingPolicy:${id(r, 36)}:resource/${String(r.prop('PolicyName'))}`),
    attributes: {},
  },
};

const ENGINE_PORTS: Record<string, number> = { postgres: 5432, mysql: 3306, mariadb: 3306 };

/** A resource's Ref, as its type defines it. */
export function physicalRef(r: ResourceView): string {
  return model(r).ref(r);
}

/** A resource's attribute (Fn::GetAtt), as its type defines it. */
export function physicalAttribute(r: ResourceView, attribute: string): unknown {
  const get = model(r).attributes[attribute];
  if (!get) throw new TemplateError(`Fn::GetAtt ${r.id}.${attribute}: the runtime harness does not model the ${attribute} attribute of ${r.type}`);
  return get(r);
}

function model(r: ResourceView): ResourceModel {
  const found = MODELS[r.type];
  if (!found) throw new TemplateError(`${r.id}: the runtime harness does not model resources of type ${r.type}`);
  return found;
}

function fail(r: ResourceView, why: string): never {
  throw new TemplateError(`${r.id} (${r.type}): ${why}`);
}

/** Lowercase hex, stable for the stack and the resource (its physical id's random part). */
function id(r: ResourceView, length: number): string {
  return createHash('sha256').update(`${r.place.stackName}/${r.id}`).digest('hex').slice(0, length);
}

function digits(r: ResourceView, length: number): string {
  return BigInt(`0x${id(r, 24)}`)
    .toString()
    .slice(0, length);
}

/** The random part AWS gives an account in a region (RDS endpoints, ElastiCache endpoints). */
function accountRegionId(r: ResourceView, length: number): string {
  return createHash('sha256').update(`${r.place.accountId}/${r.place.region}`).digest('hex').slice(0, length);
}

/** The name property, or the one CloudFormation generates: `<stack>-<logical id>-<random>`. */
function named(r: ResourceView, property: string, maxLength = 64): string {
  const given = r.prop(property);
  if (given !== undefined) {
    if (typeof given !== 'string') fail(r, `${property} is not a string`);
    return given;
  }
  const suffix = `-${id(r, 12).toUpperCase()}`;
  return `${`${r.place.stackName}-${r.id}`.slice(0, maxLength - suffix.length)}${suffix}`;
}

const lower = (name: string) => name.toLowerCase();

function arn(r: ResourceView, service: string, resource: string, region = r.place.region): string {
  return `arn:${r.place.partition}:${service}:${region}:${r.place.accountId}:${resource}`;
}

function serviceArn(r: ResourceView): string {
  const cluster = r.prop('Cluster');
  const clusterName = cluster === undefined ? 'default' : String(cluster).replace(/^arn:[^:]+:ecs:[^:]+:\d+:cluster\//, '');
  return arn(r, 'ecs', `service/${clusterName}/${named(r, 'ServiceName')}`);
}

function taskDefinitionArn(r: ResourceView): string {
  return arn(r, 'ecs', `task-definition/${named(r, 'Family', 255)}:1`);
}

function roleArn(r: ResourceView): string {
  return `arn:${r.place.partition}:iam::${r.place.accountId}:role${String(r.prop('Path') ?? '/')}${named(r, 'RoleName')}`;
}

function managedPolicyArn(r: ResourceView): string {
  return `arn:${r.place.partition}:iam::${r.place.accountId}:policy${String(r.prop('Path') ?? '/')}${named(r, 'ManagedPolicyName', 128)}`;
}

function dbInstanceIdentifier(r: ResourceView): string {
  return lower(named(r, 'DBInstanceIdentifier', 63));
}

function replicationGroupId(r: ResourceView): string {
  return lower(named(r, 'ReplicationGroupId', 40));
}

/**
 * ElastiCache's endpoints of a replication group without cluster mode: with
 * in-transit encryption `master.<id>.<random>.<region code>.cache.amazonaws.com`
 * and `replica.…`, without it `<id>.<random>.ng.0001.…` and `<id>-ro.…`.
 */
function cacheEndpoint(r: ResourceView, which: 'primary' | 'reader'): string {
  const group = replicationGroupId(r);
  const domain = `${accountRegionId(r, 6)}.${regionCode(r.place.region)}.cache.${r.place.urlSuffix}`;
  if (r.prop('TransitEncryptionEnabled') === true || r.prop('TransitEncryptionEnabled') === 'true')
    return `${which === 'primary' ? 'master' : 'replica'}.${group}.${domain}`;
  return `${which === 'primary' ? group : `${group}-ro`}.${accountRegionId(r, 6)}.ng.0001.${regionCode(r.place.region)}.cache.${r.place.urlSuffix}`;
}

/** eu-west-1 → euw1, ap-southeast-2 → apse2, as ElastiCache endpoints spell regions. */
function regionCode(region: string): string {
  const [area, direction, number] = region.split('-');
  const short: Record<string, string> = {
    east: 'e',
    west: 'w',
    north: 'n',
    south: 's',
    central: 'c',
    northeast: 'ne',
    northwest: 'nw',
    southeast: 'se',
    southwest: 'sw',
  };
  return `${area}${short[direction ?? ''] ?? direction}${number}`;
}

function loadBalancerName(r: ResourceView): string {
  return named(r, 'Name', 32);
}

function loadBalancerArn(r: ResourceView): string {
  return arn(r, 'elasticloadbalancing', `loadbalancer/app/${loadBalancerName(r)}/${id(r, 16)}`);
}

function targetGroupArn(r: ResourceView): string {
  return arn(r, 'elasticloadbalancing', `targetgroup/${named(r, 'Name', 32)}/${id(r, 16)}`);
}
