import { GetAtt, Ref, Sub } from '../../compiler/emit/intrinsic.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { SecretRef } from '../../schema/generated/types.ts';
import { parameterArn, tags, type Resources } from './cfn.ts';

const assumeEcsTasks = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

/** `s3://bucket/prefix` → the bucket and the key prefix without slashes at its ends. */
export function s3Location(url: string): { bucket: string; prefix: string } {
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url)!;
  return { bucket: bucket!, prefix: prefix!.replace(/\/+$/, '') };
}

function s3Statements(bucket: string, prefix: string, actions: string[]) {
  const keys = prefix ? `${prefix}/*` : '*';
  return [
    { Effect: 'Allow', Action: actions, Resource: Sub(`arn:\${AWS::Partition}:s3:::${bucket}/${keys}`) },
    { Effect: 'Allow', Action: 's3:ListBucket', Resource: Sub(`arn:\${AWS::Partition}:s3:::${bucket}`), ...(prefix ? { Condition: { StringLike: { 's3:prefix': [prefix, `${prefix}/*`] } } } : {}) },
  ];
}

/**
 * The execution role pulls images, writes logs, and reads exactly the spec's
 * SSM parameters (decrypting through SSM only). The task role is what Airflow
 * runs as: ECS Exec, and exactly the S3 prefixes of remote logs and DAGs.
 */
export function roles(model: Model, parameters: readonly SecretRef[]): Resources {
  const taskStatements: unknown[] = [
    { Effect: 'Allow', Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'], Resource: '*' },
  ];
  if (model.logging.remote) {
    const { bucket, prefix } = s3Location(model.logging.remote.s3);
    taskStatements.push(...s3Statements(bucket, prefix, ['s3:GetObject', 's3:PutObject', 's3:DeleteObject']));
  }
  if (model.dags.kind === 's3') taskStatements.push(...s3Statements(model.dags.bucket, model.dags.prefix.replace(/\/+$/, ''), ['s3:GetObject']));
  const names = [...new Set(parameters.map((p) => p.ssm!))].sort();
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
    TaskRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: assumeEcsTasks,
        Policies: [{ PolicyName: 'airflow-tasks', PolicyDocument: { Version: '2012-10-17', Statement: taskStatements } }],
        Tags: tags(model.name, 'iam'),
      },
    },
  };
}

export const executionRoleArn = () => GetAtt('TaskExecutionRole', 'Arn');
export const taskRoleArn = () => GetAtt('TaskRole', 'Arn');
export const clusterRef = () => Ref('Cluster');
