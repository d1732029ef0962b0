import { decide, type AttachedPolicy } from './iam.ts';
import { TemplateError } from './intrinsics.ts';
import type { Stack } from './stack.ts';

/**
 * What the ECS agent does with a task's execution role before a container
 * starts, and refuses as it would: pull the image (an ECR image needs
 * ecr:GetAuthorizationToken and the repository's ecr:BatchGetImage and
 * ecr:GetDownloadUrlForLayer), set up the awslogs driver (its log group must
 * exist; logs:CreateLogStream and logs:PutLogEvents), and fetch `Secrets`
 * from Parameter Store (ssm:GetParameters on each parameter's ARN, the name
 * given as an ARN or, in the task's region, as a name).
 */
export class EcsAgent {
  constructor(
    private readonly stack: Stack,
    /** The execution role's policies; undefined when the task definition names none. */
    private readonly executionRole: { arn: string; policies: AttachedPolicy[] } | undefined,
    private readonly ssm: ReadonlyMap<string, string>,
    private readonly where: string,
  ) {}

  /** `Secrets` as environment variables: each value from SSM, as the execution role may read it. */
  secrets(secrets: { Name: string; ValueFrom: string }[], container: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const secret of secrets) {
      const where = `${this.where}: container ${container}, secret ${secret.Name}`;
      const { arn, name } = this.parameter(secret.ValueFrom, where);
      this.require('ssm:GetParameters', arn, `${where} (unable to retrieve secrets from ssm)`);
      const value = this.ssm.get(name) ?? this.ssm.get(name.replace(/^\//, ''));
      if (value === undefined) throw new TemplateError(`${where}: ResourceInitializationError: the SSM parameter ${name} does not exist (invalid parameters)`);
      env[secret.Name] = value;
    }
    return env;
  }

  /** Pulling `image`: an image in ECR is pulled with the execution role. */
  pull(image: string, container: string): void {
    const ecr = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
    if (!ecr) return;
    const [, account, region, repository] = ecr;
    const where = `${this.where}: container ${container}, image ${image} (CannotPullContainerError)`;
    this.require('ecr:GetAuthorizationToken', '*', where);
    for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'])
      this.require(action, `arn:${this.stack.place.partition}:ecr:${region}:${account}:repository/${repository}`, where);
  }

  /** The awslogs driver: the group must exist (or be created by the driver), and the role may write to it. */
  logs(configuration: { LogDriver: string; Options?: Record<string, string> } | undefined, container: string, task: string): void {
    if (!configuration) return;
    const where = `${this.where}: container ${container}, LogConfiguration`;
    if (configuration.LogDriver !== 'awslogs')
      throw new TemplateError(`${where}: the runtime harness runs the awslogs driver only, not ${configuration.LogDriver}`);
    const group = configuration.Options?.['awslogs-group'];
    const prefix = configuration.Options?.['awslogs-stream-prefix'];
    const region = configuration.Options?.['awslogs-region'] ?? this.stack.place.region;
    if (!group) throw new TemplateError(`${where}: awslogs needs awslogs-group`);
    const create = configuration.Options?.['awslogs-create-group'] === 'true';
    const groupArn = `arn:${this.stack.place.partition}:logs:${region}:${this.stack.place.accountId}:log-group:${group}`;
    if (create) this.require('logs:CreateLogGroup', `${groupArn}:*`, where);
    else if (region !== this.stack.place.region || !this.stack.find('AWS::Logs::LogGroup', group)) {
      throw new TemplateError(
        `${where}: ResourceInitializationError: the log group ${group} (${region}) is not one of the stack's, and awslogs-create-group is not set`,
      );
    }
    const stream = `${groupArn}:log-stream:${prefix ? `${prefix}/${container}/${task}` : task}`;
    for (const action of ['logs:CreateLogStream', 'logs:PutLogEvents']) this.require(action, stream, where);
  }

  private parameter(valueFrom: string, where: string): { arn: string; name: string } {
    const { partition, region, accountId } = this.stack.place;
    const arn = /^arn:([^:]+):([^:]+):([^:]*):(\d*):(.*)$/.exec(valueFrom);
    if (!arn) return { arn: `arn:${partition}:ssm:${region}:${accountId}:parameter${valueFrom.startsWith('/') ? '' : '/'}${valueFrom}`, name: valueFrom };
    const [, , service, arnRegion, account, resource] = arn;
    if (service === 'secretsmanager') throw new TemplateError(`${where}: ${valueFrom}: the runtime harness seeds no Secrets Manager secrets`);
    if (service !== 'ssm' || !resource!.startsWith('parameter/')) throw new TemplateError(`${where}: ${valueFrom} is not an SSM parameter ARN`);
    if (arnRegion !== region || account !== accountId)
      throw new TemplateError(`${where}: ${valueFrom} is in ${arnRegion}/${account}; the harness's SSM holds ${region}/${accountId}`);
    return { arn: valueFrom, name: resource!.slice('parameter'.length) };
  }

  private require(action: string, resource: string, where: string): void {
    if (!this.executionRole) throw new TemplateError(`${where}: the task definition has no ExecutionRoleArn, which ${action} needs`);
    const decision = decide(this.executionRole.policies, action, resource);
    if (!decision.allowed) {
      const why = decision.by
        ? `explicitly denied by ${decision.by}`
        : `no policy of the role allows it (${this.executionRole.policies.map((p) => p.source).join('; ') || 'it has none'})`;
      throw new TemplateError(`${where}: AccessDenied: ${this.executionRole.arn} is not authorized to perform ${action} on ${resource}: ${why}`);
    }
  }
}
