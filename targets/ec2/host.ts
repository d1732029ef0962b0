import type { HclBlock } from '../../compiler/emit/hcl.ts';
import { expr } from '../../compiler/emit/hcl.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { Ec2Settings } from './settings.ts';

export const CLOUD_CONFIG_FILE = 'cloud-init.yaml';
/** Canonical's public parameter of its latest Ubuntu 24.04 LTS image, for an architecture. */
const UBUNTU_AMI_PARAMETER = '/aws/service/canonical/ubuntu/server/24.04/stable/current/${local.architecture}/hvm/ebs-gp3/ami-id';

/**
 * The instance (Ubuntu, IMDSv2 only, encrypted gp3 root volume, provisioned
 * by cloud-init), its Elastic IP, and with a managed database a data volume
 * for Postgres that outlives the instance.
 */
export function hostBlocks(model: Model, s: Ec2Settings): HclBlock[] {
  const blocks: HclBlock[] = [
    { type: 'data', labels: ['aws_ec2_instance_type', 'host'], attributes: { instance_type: expr('var.instance_type') } },
    {
      type: 'data',
      labels: ['aws_ssm_parameter', 'ubuntu'],
      comment: ['A public parameter that Canonical keeps pointing at its newest image; not a secret.'],
      attributes: { name: expr(JSON.stringify(UBUNTU_AMI_PARAMETER)) },
    },
    {
      type: 'locals',
      comment: ["The AMI: var.ami_id, or Canonical's latest for the instance type's architecture."],
      attributes: {
        architecture: expr('contains(data.aws_ec2_instance_type.host.supported_architectures, "arm64") ? "arm64" : "amd64"'),
        ami: expr('coalesce(var.ami_id, data.aws_ssm_parameter.ubuntu.insecure_value)'),
      },
    },
    {
      type: 'resource',
      labels: ['aws_instance', 'host'],
      comment: [
        'cloud-init installs Docker, writes the compose bundle and starts it under systemd, at every boot.',
        'A new bundle (a changed spec) replaces the instance; the data volume and the Elastic IP move over.',
      ],
      attributes: {
        ami: expr('local.ami'),
        instance_type: expr('var.instance_type'),
        subnet_id: expr('data.aws_subnet.host.id'),
        vpc_security_group_ids: [expr('aws_security_group.host.id')],
        iam_instance_profile: expr('aws_iam_instance_profile.host.name'),
        key_name: expr('var.key_name'),
        user_data_base64: expr(`base64gzip(file("\${path.module}/${CLOUD_CONFIG_FILE}"))`),
        user_data_replace_on_change: true,
        tags: { Name: `${model.name}-airflow` },
      },
      blocks: [
        {
          type: 'metadata_options',
          comment: ['IMDSv2 only; containers reach the instance role through it, one hop further than the host.'],
          attributes: { http_endpoint: 'enabled', http_tokens: 'required', http_put_response_hop_limit: 2 },
        },
        { type: 'root_block_device', attributes: { volume_type: 'gp3', volume_size: expr('var.root_volume_gb'), encrypted: true } },
        {
          type: 'lifecycle',
          comment: ['A newer Ubuntu image would replace the host at any apply: take it with', '`terraform apply -replace=aws_instance.host`.'],
          attributes: { ignore_changes: [expr('ami')] },
        },
      ],
    },
    {
      type: 'resource',
      labels: ['aws_eip', 'host'],
      attributes: { domain: 'vpc', instance: expr('aws_instance.host.id'), tags: { Name: `${model.name}-airflow` } },
    },
  ];
  if (s.dataVolumeGb !== undefined) {
    blocks.push(
      {
        type: 'resource',
        labels: ['aws_ebs_volume', 'data'],
        comment: ["Postgres's files. Destroying it (terraform destroy) leaves a final snapshot."],
        attributes: {
          availability_zone: expr('data.aws_subnet.host.availability_zone'),
          size: expr('var.data_volume_gb'),
          type: 'gp3',
          encrypted: true,
          final_snapshot: true,
          tags: { Name: `${model.name}-airflow-data` },
        },
      },
      {
        type: 'resource',
        labels: ['aws_volume_attachment', 'data'],
        comment: ['The instance stops (Postgres shuts down cleanly) before the volume is detached.'],
        attributes: {
          device_name: '/dev/sdf',
          volume_id: expr('aws_ebs_volume.data.id'),
          instance_id: expr('aws_instance.host.id'),
          stop_instance_before_detaching: true,
        },
      },
    );
  }
  return blocks;
}
