import { GetAtt, Ref } from '../../compiler/emit/intrinsic.ts';
import { loadBalancerScheme } from '../../compiler/aws/load-balancer-scheme.ts';
import { airflowCatalogue } from '../../compiler/airflow/components.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { tags, type Resources } from './cfn.ts';

export interface EcsNetwork {
  vpcId: string;
  subnetIds: readonly string[];
  publicSubnetIds: readonly string[];
}

/** Cloud Map name of the api-server, so that Celery workers reach the execution API inside the VPC. */
export function apiServerHost(model: Model): string {
  return `${model.facts.web.component}.${model.name}.airflow.internal`;
}

/**
 * Security groups: the load balancer admits `network.allowedCidrs` (or, when
 * there are none, the InternalCidr parameter: the VPC's range); tasks admit
 * the balancer on the UI port, and each other on it (the execution API) and
 * on the log servers' ports.
 */
export function securityGroups(model: Model, network: EcsNetwork): Resources {
  const port = model.components.webserver.port;
  // The log servers of the components that run, by whose logs they serve.
  const logs: { task?: number; triggerer?: number } = Object.fromEntries(
    airflowCatalogue(model).components.flatMap((c) => (c.ports.logs ? [[c.ports.logs.of, c.ports.logs.port]] : [])),
  );
  const listenerPorts = model.network.tls ? [80, 443] : [80];
  const sources = model.network.allowedCidrs.length ? model.network.allowedCidrs.map((cidr) => ({ CidrIp: cidr })) : [{ CidrIp: Ref('InternalCidr') }];
  return {
    LoadBalancerSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${model.name}: who may reach the Airflow UI`,
        VpcId: network.vpcId,
        SecurityGroupIngress: listenerPorts.flatMap((p) =>
          sources.map((s) => ({ IpProtocol: 'tcp', FromPort: p, ToPort: p, ...s, Description: 'Airflow UI' })),
        ),
        Tags: tags(model.name, 'load-balancer'),
      },
    },
    TaskSecurityGroup: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${model.name}: Airflow tasks`,
        VpcId: network.vpcId,
        SecurityGroupIngress: [
          { IpProtocol: 'tcp', FromPort: port, ToPort: port, SourceSecurityGroupId: Ref('LoadBalancerSecurityGroup'), Description: 'from the load balancer' },
        ],
        Tags: tags(model.name, 'tasks'),
      },
    },
    TaskSecurityGroupSelfIngress: selfIngress(port, 'task execution API between Airflow tasks'),
    ...(logs.task ? { TaskSecurityGroupTaskLogsIngress: selfIngress(logs.task, 'logs of running tasks, for the UI') } : {}),
    ...(logs.triggerer ? { TaskSecurityGroupTriggererLogsIngress: selfIngress(logs.triggerer, 'logs of running triggers, for the UI') } : {}),
  };
}

/** The Airflow tasks admit each other on one port (a rule of its own: a group cannot name itself while it is created). */
function selfIngress(port: number, description: string) {
  return {
    Type: 'AWS::EC2::SecurityGroupIngress',
    Properties: {
      GroupId: Ref('TaskSecurityGroup'),
      IpProtocol: 'tcp',
      FromPort: port,
      ToPort: port,
      SourceSecurityGroupId: Ref('TaskSecurityGroup'),
      Description: description,
    },
  };
}

/** A security group that admits the Airflow tasks on one port: the database, Redis, EFS. */
export function admitTasks(model: Model, network: EcsNetwork, what: string, port: number) {
  return {
    Type: 'AWS::EC2::SecurityGroup',
    Properties: {
      GroupDescription: `${model.name}: ${what}, from the Airflow tasks only`,
      VpcId: network.vpcId,
      SecurityGroupIngress: [
        { IpProtocol: 'tcp', FromPort: port, ToPort: port, SourceSecurityGroupId: Ref('TaskSecurityGroup'), Description: 'Airflow tasks' },
      ],
      Tags: tags(model.name, what),
    },
  };
}

/**
 * An Application Load Balancer in the public subnets, a target group of
 * task IPs checked on the UI's health path for this Airflow version, and
 * HTTPS with the ACM certificate (HTTP redirected), or HTTP alone.
 */
export function loadBalancer(model: Model, network: EcsNetwork, names: { loadBalancer: string; targetGroup: string }): Resources {
  const tls = model.network.tls;
  const forward = [{ Type: 'forward', TargetGroupArn: Ref('WebTargetGroup') }];
  const resources: Resources = {
    LoadBalancer: {
      Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
      Properties: {
        Name: names.loadBalancer,
        Type: 'application',
        Scheme: loadBalancerScheme(model.network.allowedCidrs),
        Subnets: network.publicSubnetIds,
        SecurityGroups: [Ref('LoadBalancerSecurityGroup')],
        LoadBalancerAttributes: [{ Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' }],
        Tags: tags(model.name, 'load-balancer'),
      },
    },
    WebTargetGroup: {
      Type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
      Properties: {
        Name: names.targetGroup,
        TargetType: 'ip',
        Protocol: 'HTTP',
        Port: model.components.webserver.port,
        VpcId: network.vpcId,
        HealthCheckPath: airflowCatalogue(model).web.readiness!.path,
        HealthCheckIntervalSeconds: 30,
        Matcher: { HttpCode: '200' },
        TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
        Tags: tags(model.name, model.facts.web.component),
      },
    },
  };
  if (tls) {
    resources.HttpsListener = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: Ref('LoadBalancer'),
        Port: 443,
        Protocol: 'HTTPS',
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{ CertificateArn: tls.certificateArn }],
        DefaultActions: forward,
      },
    };
    resources.HttpListener = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: {
        LoadBalancerArn: Ref('LoadBalancer'),
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301' } }],
      },
    };
  } else {
    resources.HttpListener = {
      Type: 'AWS::ElasticLoadBalancingV2::Listener',
      Properties: { LoadBalancerArn: Ref('LoadBalancer'), Port: 80, Protocol: 'HTTP', DefaultActions: forward },
    };
  }
  return resources;
}

/** Cloud Map: a private DNS name for the api-server, registered by its ECS service. */
export function serviceDiscovery(model: Model, network: EcsNetwork): Resources {
  return {
    ServiceNamespace: {
      Type: 'AWS::ServiceDiscovery::PrivateDnsNamespace',
      Properties: { Name: `${model.name}.airflow.internal`, Vpc: network.vpcId, Description: `${model.name} Airflow services` },
    },
    WebDiscoveryService: {
      Type: 'AWS::ServiceDiscovery::Service',
      Properties: {
        Name: model.facts.web.component,
        NamespaceId: GetAtt('ServiceNamespace', 'Id'),
        DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }] },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
      },
    },
  };
}
