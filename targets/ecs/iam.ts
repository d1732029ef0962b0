import { GetAtt, Ref, Sub, sub } from '../../compiler/emit/intrinsic.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { grantKeys, s3Grants, type S3Grant, type S3Needs } from '../../compiler/aws/s3-access.ts';
import { ssmParameterNames, type ModelSecret } from '../../compiler/secrets/model-secrets.ts';
import { logicalId, parameterArn, tags, type Resources } from './cfn.ts';

const assumeEcsTasks = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

function s3Statements(grant: S3Grant) {
  const keys = grantKeys(grant);
  return [
    { Effect: 'Allow', Action: grant.actions, Resource: sub`arn:\${AWS::Partition}:s3:::${grant.bucket}/${keys.objects}` },
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: sub`arn:\${AWS::Partition}:s3:::${grant.bucket}`,
      ...(keys.listPrefixes ? { Condition: { StringLike: { 's3:prefix': keys.listPrefixes } } } : {}),
    },
  ];
}

/** What the tasks of one service do with AWS, and so what their task role grants. */
export interface TaskRoleNeeds {
  /** The component (or `dag-sync`) whose tasks assume the role: `<Component>TaskRole`. */
  component: string;
  /** Its S3 access: remote task logs (read or write) and the DAG prefix (read). */
  s3: S3Needs;
  /** ECS Exec is enabled on its service: the SSM agent's channels. */
  exec: boolean;
  /** It publishes the workers' scaling metric into this CloudWatch namespace. */
  metricNamespace?: string;
}

/**
 * The execution role pulls images, writes logs, and reads exactly the spec's
 * SSM parameters (decrypting through SSM only). It is the ECS agent's, shared
 * by every task definition; what Airflow runs as is each service's task role.
 */
export function executionRole(model: Model, parameters: readonly ModelSecret[]): Resources {
  const names = ssmParameterNames(parameters);
  const execution: unknown[] = [];
  if (names.length) {
    execution.push(
      { Effect: 'Allow', Action: 'ssm:GetParameters', Resource: names.map((ssm) => parameterArn({ ssm })) },
      { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*', Condition: { StringEquals: { 'kms:ViaService': Sub('ssm.${AWS::Region}.amazonaws.com') } } },
    );
  }
  return {
    TaskExecutionRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumeEcsTasks,
        ManagedPolicyArns: [Sub('arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy')],
        ...(execution.length ? { Policies: [{ PolicyName: 'read-airflow-secrets', PolicyDocument: { Version: '2012-10-17', Statement: execution } }] } : {}),
        Tags: tags(model.name, 'iam'),
      },
    },
  };
}

/**
 * One service's task role, with only what its containers do: ECS Exec where
 * the service enables it, the remote-log prefix for the processes that write
 * (or, for the UI, read) task logs, the DAG prefix where a container copies
 * the DAGs from S3, and `cloudwatch:PutMetricData` in the scaling metric's
 * namespace for the process that publishes it. A role with nothing to grant
 * has no policy.
 */
export function taskRole(model: Model, needs: TaskRoleNeeds): Resources {
  const statements: unknown[] = [];
  if (needs.exec)
    statements.push({
      Effect: 'Allow',
      Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
      Resource: '*',
    });
  for (const grant of s3Grants(model, needs.s3)) statements.push(...s3Statements(grant));
  // PutMetricData has no resource ARN; the namespace condition key scopes it (Service Authorization Reference, Amazon CloudWatch).
  if (needs.metricNamespace)
    statements.push({
      Effect: 'Allow',
      Action: 'cloudwatch:PutMetricData',
      Resource: '*',
      Condition: { StringEquals: { 'cloudwatch:namespace': needs.metricNamespace } },
    });
  return {
    [taskRoleId(needs.component)]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumeEcsTasks,
        ...(statements.length
          ? { Policies: [{ PolicyName: `${needs.component}-task`, PolicyDocument: { Version: '2012-10-17', Statement: statements } }] }
          : {}),
        Tags: tags(model.name, needs.component),
      },
    },
  };
}

const taskRoleId = (component: string) => `${logicalId(component)}TaskRole`;

export const executionRoleArn = () => GetAtt('TaskExecutionRole', 'Arn');
export const taskRoleArn = (component: string) => GetAtt(taskRoleId(component), 'Arn');
export const clusterRef = () => Ref('Cluster');
