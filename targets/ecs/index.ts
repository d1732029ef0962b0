import { toYaml } from '../../compiler/emit/yaml.ts';
import { GetAtt, Ref, sub } from '../../compiler/emit/intrinsic.ts';
import { airflowCatalogue, commandName } from '../../compiler/airflow/components.ts';
import { celeryScalingProbes } from '../../compiler/airflow/celery-scaling.ts';
import { airflowSettings, publicUiUrl } from '../../compiler/airflow/settings.ts';
import { derivedName } from '../../compiler/names.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { CheckContext, RenderContext, Target, TargetDocument } from '../../compiler/targets/target.ts';
import { modelSecrets } from '../../compiler/secrets/model-secrets.ts';
import { outputReadme, README_FILE } from '../../compiler/secrets/by-component.ts';
import { ecsWiredSecrets } from './readme.ts';
import { attribute, cloudFormationFlowItems, cloudFormationKeyOrder, logicalId, type Resources } from './cfn.ts';
import { broker, dagsFileSystem, database, REDIS_PORT } from './data-services.ts';
import { cpuUnits, isFargateSize, nearestFargateSizes } from './fargate.ts';
import { executionRole } from './iam.ts';
import { DB_INSTANCE, ecsManifest, LOAD_BALANCER, REPLICATION_GROUP, TARGET_GROUP } from './manifest.ts';
import { apiServerHost, loadBalancer, securityGroups, serviceDiscovery, type EcsNetwork } from './network.ts';
import { componentResources, dagSyncResources, DAGS_PATH, ecsComponents, stepEnvironment, type TaskContext } from './services.ts';

export const STACK_FILE = 'stack.yaml';

export const ecsTarget: Target = {
  ...ecsManifest,
  secrets: 'references',
  check: checkEcs,
  render: renderEcs,
};

export default ecsTarget;

function checkEcs(model: Model, ctx: CheckContext): void {
  const ecs = model.targets.ecs;
  if (!ecs) {
    ctx.report(
      'error',
      'AFC3501',
      ['targets'],
      'the ecs target needs targets.ecs { vpcId, subnetIds, publicSubnetIds }',
      'add them: the template does not create a VPC',
    );
    return;
  }
  if (model.database.kind === 'managed' && /^\d+$/.test(model.database.version)) {
    ctx.report(
      'warning',
      'AFC3509',
      ['database', 'managed', 'version'],
      `RDS takes a full engine version; with "${model.database.version}" alone it picks its default minor, and cfn-lint calls the major alone deprecated`,
      'write the full version, such as "16.8"',
    );
  }
  if (model.database.kind === 'managed' && !model.database.password?.ssm) {
    ctx.report(
      'error',
      'AFC3504',
      ['database', 'managed'],
      'RDS needs a master password: set database.managed.password to an SSM SecureString',
      'password: { ssm: /<name>/db_password }; CloudFormation reads it with a dynamic reference',
    );
  }
  // AFC3504 covers the RDS master password.
  const local = modelSecrets(model)
    .filter((s) => s.ref.ssm === undefined && s.at !== 'database.managed.password')
    .map((s) => s.at);
  if (local.length)
    ctx.report(
      'error',
      'AFC3505',
      ['secrets'],
      `ECS reads secrets from SSM itself (ValueFrom); ${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} not SSM references`,
      'move them to SSM Parameter Store',
    );
  const launchType = ecs.launchType ?? 'FARGATE';
  if (launchType === 'FARGATE') {
    // Sizes only: no settings needed.
    for (const c of ecsComponents(model, airflowCatalogue(model), [])) {
      const cpu = cpuUnits(c.size.cpu);
      if (!isFargateSize(cpu, c.size.memoryMiB)) {
        ctx.report(
          'error',
          'AFC3506',
          ['components', c.spec],
          `Fargate has no task size of ${c.size.cpu} vCPU with ${c.size.memory} (${c.name})`,
          `nearest valid sizes: ${nearestFargateSizes(cpu, c.size.memoryMiB).join('; ')}`,
        );
      }
    }
  } else {
    ctx.report(
      'warning',
      'AFC3507',
      ['targets', 'ecs', 'launchType'],
      'with the EC2 launch type, the cluster needs container instances; this template does not create them',
      'attach an Auto Scaling group capacity provider to the cluster',
    );
  }
  if (model.components.workers?.autoscaling?.min === 0)
    ctx.report(
      'warning',
      'AFC3511',
      ['components', 'workers', 'autoscaling', 'min'],
      'ECS scales the workers on queued and running tasks per running worker; with no worker running there is no such ratio, so the stack keeps at least one worker',
      'set autoscaling.min to 1 or more',
    );
  if (!model.network.tls)
    ctx.report(
      'warning',
      'AFC3508',
      ['network'],
      'without network.tls the load balancer serves the UI over plain HTTP',
      'add network.tls.certificateArn (an ACM certificate)',
    );
  if (model.broker?.kind === 'managed' && model.broker.password)
    ctx.report(
      'warning',
      'AFC3510',
      ['broker', 'managed', 'password'],
      "ecs ignores broker.managed.password: ElastiCache takes TLS connections from this deployment's tasks only (its security group)",
      'remove it, unless the spec is also built for eks or kubernetes, whose in-cluster Redis uses it',
    );
}

/**
 * ECS registers a task definition of at most 64 KiB ("Task definition size",
 * Amazon ECS service quotas; docs/airflow-facts.md §15), measured as the JSON
 * of its properties; CloudFormation's functions in it stand for ARNs and
 * names of about their own length.
 */
export const TASK_DEFINITION_MAX_BYTES = 65_536;

/**
 * CloudFormation takes a template of at most 51,200 bytes in the request and
 * 1 MB from S3 ("Template body size in a request", "in an Amazon S3 object",
 * CloudFormation quotas; docs/airflow-facts.md §15); `aws cloudformation
 * deploy` refuses a larger file without `--s3-bucket`.
 */
export const TEMPLATE_BODY_MAX_BYTES = 51_200;
export const TEMPLATE_URL_MAX_BYTES = 1_000_000;

function checkTaskDefinitionSizes(resources: Resources, ctx: RenderContext): void {
  for (const [id, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
    const bytes = Buffer.byteLength(JSON.stringify(resource.Properties ?? {}));
    if (bytes <= TASK_DEFINITION_MAX_BYTES) continue;
    ctx.report(
      'error',
      'AFC3512',
      [],
      `task definition ${id} is about ${bytes} bytes as JSON; ECS registers at most ${TASK_DEFINITION_MAX_BYTES} (64 KiB)`,
      'each container carries every plain connection and variable it needs: keep them in SSM (connections.fromSsmPath, variables.fromSsmPath), which adds one ARN each instead of the value; an S3 environment file (environmentFiles) is not written by afc yet',
    );
  }
}

function renderEcs(model: Model, render: RenderContext): TargetDocument[] {
  const ecs = model.targets.ecs!;
  const network: EcsNetwork = { vpcId: ecs.vpcId, subnetIds: ecs.subnetIds, publicSubnetIds: ecs.publicSubnetIds };
  const dags: TaskContext['dags'] = model.dags.kind === 's3' ? (ecs.dagsSync ?? 'efs') : 'image';
  const settings = airflowSettings(model, {
    ...(model.database.kind === 'managed' ? { database: { host: attribute('Database', 'Endpoint.Address'), port: 5432 } } : {}),
    // ElastiCache with transit encryption speaks only TLS.
    ...(model.broker?.kind === 'managed' ? { redis: { host: attribute('Redis', 'PrimaryEndPoint.Address'), port: REDIS_PORT, tls: true } } : {}),
    apiServer: `http://${apiServerHost(model)}:${model.components.webserver.port}`,
    // The load balancer serves HTTPS with network.tls's certificate.
    ...publicUiUrl(model, model.network.tls ? 'https' : 'http'),
    ...(dags !== 'image' ? { dagsFolder: DAGS_PATH } : {}),
    // A task's host name does not resolve in the VPC.
    addressByIp: true,
  });
  const catalogue = airflowCatalogue(model);
  const { migrate, createAdmin, waitForMigrations } = catalogue.steps;
  const probes = model.components.workers?.autoscaling ? celeryScalingProbes(model) : undefined;
  const stepEnv = {
    migrate: stepEnvironment([migrate, ...(createAdmin ? [createAdmin] : [])], settings),
    wait: stepEnvironment([waitForMigrations], settings),
  };
  const scaling = probes
    ? { probes, demand: stepEnvironment([probes.needs.demand], settings), busy: stepEnvironment([probes.needs.busy], settings) }
    : undefined;
  const ctx: TaskContext = { model, catalogue, network, stepEnv, ...(scaling ? { scaling } : {}), launchType: ecs.launchType ?? 'FARGATE', dags };

  const parameters = modelSecrets(model);
  const resources: Resources = {
    Cluster: { Type: 'AWS::ECS::Cluster', Properties: { ClusterName: model.name, ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] } },
    ...executionRole(model, parameters),
    ...securityGroups(model, network),
    ...loadBalancer(model, network, { loadBalancer: derivedName(model.name, LOAD_BALANCER), targetGroup: derivedName(model.name, TARGET_GROUP) }),
    ...serviceDiscovery(model, network),
    ...database(model, network, derivedName(model.name, DB_INSTANCE)),
    ...broker(model, network, derivedName(model.name, REPLICATION_GROUP)),
    ...(dags === 'efs' ? { ...dagsFileSystem(model, network), ...dagSyncResources(ctx) } : {}),
  };
  const all = ecsComponents(model, catalogue, settings);
  for (const c of all) Object.assign(resources, componentResources(ctx, c));

  const scheme = model.network.tls ? 'https' : 'http';
  const outputs: Record<string, unknown> = {
    UiUrl: {
      Description: 'The Airflow UI',
      Value: model.network.hostname ? `${scheme}://${model.network.hostname}` : sub`${scheme}://\${LoadBalancer.DNSName}`,
    },
    LoadBalancerDnsName: { Description: 'Point network.hostname at this name', Value: GetAtt('LoadBalancer', 'DNSName') },
    ClusterName: { Description: 'The ECS cluster', Value: Ref('Cluster') },
  };
  for (const c of all) {
    outputs[`${logicalId(c.name)}ServiceName`] = { Description: `The ${c.name} service`, Value: GetAtt(`${logicalId(c.name)}Service`, 'Name') };
    outputs[`${logicalId(c.name)}LogGroupName`] = { Description: `Logs of the ${c.name} tasks`, Value: Ref(`${logicalId(c.name)}LogGroup`) };
  }
  const template = {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Apache Airflow ${model.airflow.version.raw} (${model.airflow.executor}) on ECS: ${model.name}`,
    Metadata: {
      afc: {
        ordering: `The scheduler task runs \`${commandName(migrate.args)}\` (and creates the admin user) in a non-essential container that its scheduler container waits for (DependsOn SUCCESS); every other task waits for the migration with \`${commandName(waitForMigrations.args)}\`. One migration per deploy, no one-off task to schedule.`,
        ...(model.components.workers?.autoscaling
          ? {
              scaling:
                'Workers scale on their work: a sidecar of the scheduler task publishes the task instances queued or running on the workers’ queues, a target tracking policy keeps that number per running worker at the worker concurrency, and a sidecar of each worker task protects it from scale-in while it holds a task.',
            }
          : {}),
        secrets:
          'Each container gets only the secrets it needs (README.md), as Secrets[].ValueFrom with its SSM parameter ARN; the database URL, which holds the password, is composed in the container by Airflow’s own _CMD option.',
      },
    },
    Parameters: {
      ImageTag: { Type: 'String', Description: `Tag of ${model.airflow.image.repository} to run`, Default: model.airflow.image.tag },
      ...(model.network.allowedCidrs.length
        ? {}
        : { InternalCidr: { Type: 'String', Description: 'Address range allowed to reach the internal load balancer (the VPC CIDR)', Default: '10.0.0.0/8' } }),
    },
    Resources: resources,
    Outputs: outputs,
  };
  checkTaskDefinitionSizes(resources, render);
  const templateBytes = Buffer.byteLength(
    toYaml(template, { header: render.header, keyOrder: cloudFormationKeyOrder, flowItems: cloudFormationFlowItems, intrinsics: true }),
  );
  if (templateBytes > TEMPLATE_URL_MAX_BYTES)
    render.report(
      'error',
      'AFC3513',
      [],
      `${STACK_FILE} is ${templateBytes} bytes; CloudFormation reads a template of at most ${TEMPLATE_URL_MAX_BYTES} bytes, even from S3`,
      'keep connections and variables in SSM (connections.fromSsmPath, variables.fromSsmPath)',
    );
  // Larger than CloudFormation takes inline: `deploy` must upload it to a bucket first.
  const upload = templateBytes > TEMPLATE_BODY_MAX_BYTES ? ' --s3-bucket <a bucket of yours>' : '';
  const readme = outputReadme(
    `${model.name}: ECS (CloudFormation)`,
    [
      `\`afc build\` wrote \`${STACK_FILE}\`, a CloudFormation template; \`aws cloudformation deploy --template-file ${STACK_FILE} --stack-name ${model.name} --capabilities CAPABILITY_NAMED_IAM${upload}\` deploys it${upload ? ` (the template is ${templateBytes} bytes, more than the ${TEMPLATE_BODY_MAX_BYTES} CloudFormation takes inline: deploy uploads it to the bucket first)` : ''}.`,
      'Each container reads its secrets from SSM Parameter Store itself (`Secrets[].ValueFrom`, with the task execution role), only the ones it needs; a database URL is composed in the container by Airflow’s `_CMD` option from the `AFC_SECRET_*` variables listed here.',
    ],
    ecsWiredSecrets(model, resources, settings),
  );
  return [
    { path: STACK_FILE, format: 'yaml', content: template, keyOrder: cloudFormationKeyOrder, flowItems: cloudFormationFlowItems, intrinsics: true },
    { path: README_FILE, format: 'text', content: readme, commentPrefix: '<!--', commentSuffix: '-->' },
  ];
}
