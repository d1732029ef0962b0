import type { HclBlock } from '../../compiler/emit/hcl.ts';
import { expr } from '../../compiler/emit/hcl.ts';
import type { Model } from '../../compiler/normalize/model.ts';

/**
 * The AWS provider afc's Terraform is written and checked against (the
 * argument lists of @cdktf/provider-aws 21, which is 6.x).
 */
export const AWS_PROVIDER = { source: 'hashicorp/aws', version: '~> 6.0' } as const;

/** versions.tf. */
export function versionsBlocks(): HclBlock[] {
  return [
    {
      type: 'terraform',
      comment: ['The AWS provider 6.x: afc checks the resource arguments it writes against that version.'],
      attributes: { required_version: '>= 1.5' },
      blocks: [{ type: 'required_providers', attributes: { aws: { source: AWS_PROVIDER.source, version: AWS_PROVIDER.version } } }],
    },
  ];
}

/** The provider, tagging everything it creates, and the account facts ARNs are built from. */
export function providerBlocks(model: Model): HclBlock[] {
  return [
    {
      type: 'provider',
      labels: ['aws'],
      attributes: { region: expr('var.region') },
      blocks: [{ type: 'default_tags', attributes: { tags: { 'afc:deployment': model.name, ManagedBy: 'afc' } } }],
    },
    { type: 'data', labels: ['aws_partition', 'current'] },
    { type: 'data', labels: ['aws_region', 'current'] },
    { type: 'data', labels: ['aws_caller_identity', 'current'] },
  ];
}

export const PARTITION = 'data.aws_partition.current.partition';
export const REGION = 'data.aws_region.current.region';
export const ACCOUNT = 'data.aws_caller_identity.current.account_id';
