import { grantKeys, s3Grants, s3Location, type S3Grant } from '../../compiler/aws/s3-access.ts';
import type { HclBlock, HclValue } from '../../compiler/emit/hcl.ts';
import { expr, interpolated, reference } from '../../compiler/emit/hcl.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { ACCOUNT, PARTITION, REGION } from './terraform.ts';
import type { Ec2Settings } from './settings.ts';

function statement(sid: string, actions: string[], resources: HclValue[], condition?: { test: string; variable: string; values: HclValue[] }): HclBlock {
  return { type: 'statement', attributes: { sid, actions, resources }, ...(condition ? { blocks: [{ type: 'condition', attributes: condition }] } : {}) };
}

function s3Statements(grant: S3Grant): HclBlock[] {
  const keys = grantKeys(grant);
  const sid = grant.purpose.replace(/(^|\s)(\w)/g, (_, __, c: string) => c.toUpperCase());
  const bucket = interpolated`arn:${reference(PARTITION)}:s3:::${grant.bucket}`;
  return [
    statement(sid, grant.actions, [interpolated`${bucket}/${keys.objects}`]),
    statement(
      `List${sid}`,
      ['s3:ListBucket'],
      [bucket],
      keys.listPrefixes ? { test: 'StringLike', variable: 's3:prefix', values: keys.listPrefixes } : undefined,
    ),
  ];
}

/**
 * The instance role: Session Manager (AmazonSSMManagedInstanceCore), exactly
 * the spec's SSM parameters (decrypted through SSM only), and exactly the S3
 * prefixes of remote task logs, DAGs and database backups.
 */
export function iamBlocks(model: Model, s: Ec2Settings, parameters: readonly string[]): HclBlock[] {
  const name = interpolated`${model.name}-airflow-${reference(REGION)}`;
  const grants = s3Grants(model);
  if (s.backup) grants.push({ purpose: 'database backups', ...s3Location(s.backup.s3), actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'] });
  const statements: HclBlock[] = [
    statement(
      'ReadAirflowSecrets',
      ['ssm:GetParameters'],
      parameters.map((p) => interpolated`${reference('local.parameter_arn')}${p.startsWith('/') ? p : `/${p}`}`),
    ),
    statement('DecryptSecretsThroughSsm', ['kms:Decrypt'], ['*'], {
      test: 'StringEquals',
      variable: 'kms:ViaService',
      values: [interpolated`ssm.${reference(REGION)}.amazonaws.com`],
    }),
    ...grants.flatMap(s3Statements),
  ];
  return [
    {
      type: 'locals',
      comment: ['The ARN of an SSM parameter is this, then its name.'],
      attributes: { parameter_arn: interpolated`arn:${reference(PARTITION)}:ssm:${reference(REGION)}:${reference(ACCOUNT)}:parameter` },
    },
    {
      type: 'data',
      labels: ['aws_iam_policy_document', 'assume_role'],
      attributes: {},
      blocks: [
        {
          type: 'statement',
          attributes: { actions: ['sts:AssumeRole'] },
          blocks: [{ type: 'principals', attributes: { type: 'Service', identifiers: ['ec2.amazonaws.com'] } }],
        },
      ],
    },
    {
      type: 'resource',
      labels: ['aws_iam_role', 'host'],
      attributes: {
        name,
        description: `The Airflow host ${model.name}`,
        assume_role_policy: expr('data.aws_iam_policy_document.assume_role.json'),
      },
    },
    {
      type: 'resource',
      labels: ['aws_iam_role_policy_attachment', 'session_manager'],
      attributes: { role: expr('aws_iam_role.host.name'), policy_arn: interpolated`arn:${reference(PARTITION)}:iam::aws:policy/AmazonSSMManagedInstanceCore` },
    },
    { type: 'data', labels: ['aws_iam_policy_document', 'host'], attributes: {}, blocks: statements },
    {
      type: 'resource',
      labels: ['aws_iam_role_policy', 'host'],
      attributes: { name: 'airflow', role: expr('aws_iam_role.host.id'), policy: expr('data.aws_iam_policy_document.host.json') },
    },
    {
      type: 'resource',
      labels: ['aws_iam_instance_profile', 'host'],
      attributes: { name, role: expr('aws_iam_role.host.name') },
    },
  ];
}
