import { GetAtt, Ref, Sub } from '../../compiler/emit/intrinsic.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { grantKeys, s3Grants, type S3Grant } from '../../compiler/aws/s3-access.ts';
import { ssmParameterNames, type ModelSecret } from '../../compiler/secrets/model-secrets.ts';
import { parameterArn, tags, type Resources } from './cfn.ts';

const assumeEcsTasks = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

function s3Statements(grant: S3Grant) {
  const keys = grantKeys(grant);
  return [
    { Effect: 'Allow', Action: grant.actions, Resource: Sub(`arn:\${AWS::Partition}:s3:::${grant.bucket}/${keys.objects}`) },
    {
      Effect: 'Allow',
      Action: 's3:ListBucket',
      Resource: Sub(`arn:\${AWS::Partition}:s3:::${grant.bucket}`),
      ...(keys.listPrefixes ? { Condition: { StringLike: { 's3:prefix': keys.listPrefixes } } } : {}),
    },
  ];
}

/**
 * The execution role pulls images, writes logs, and reads exactly the spec's
 * SSM parameters (decrypting through SSM only). The task role is what Airflow
 * runs as: ECS Exec, and exactly the S3 prefixes of remote logs and DAGs.
 */
export function roles(model: Model, parameters: readonly ModelSecret[]): Resources {
  const taskStatements: unknown[] = [
    {
      Effect: 'Allow',
      Action: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
      Resource: '*',
    },
  ];
  for (const grant of s3Grants(model)) taskStatements.push(...s3Statements(grant));
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
