import type { HclBlock } from '../../compiler/emit/hcl.ts';
import { expr, interpolated, reference } from '../../compiler/emit/hcl.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { APPLY_BUNDLE, HOST, type Ec2Settings } from './settings.ts';

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
      comment: [
        "The AMI: var.ami_id, or Canonical's latest for the instance type's architecture.",
        'The user data, which the first boot runs and the bundle document applies to the running host.',
      ],
      attributes: {
        architecture: expr('contains(data.aws_ec2_instance_type.host.supported_architectures, "arm64") ? "arm64" : "amd64"'),
        ami: expr('coalesce(var.ami_id, data.aws_ssm_parameter.ubuntu.insecure_value)'),
        user_data: expr(`base64gzip(file("\${path.module}/${CLOUD_CONFIG_FILE}"))`),
      },
    },
    {
      type: 'resource',
      labels: ['aws_instance', 'host'],
      comment: [
        'cloud-init installs Docker, writes the compose bundle and starts it under systemd, at every boot.',
        'A new bundle (a changed spec) reaches the running host through aws_ssm_association.bundle; the',
        'user data matters only to a new instance, so a change of it neither replaces nor stops this one.',
      ],
      attributes: {
        ami: expr('local.ami'),
        instance_type: expr('var.instance_type'),
        subnet_id: expr('data.aws_subnet.host.id'),
        vpc_security_group_ids: [expr('aws_security_group.host.id')],
        iam_instance_profile: expr('aws_iam_instance_profile.host.name'),
        key_name: expr('var.key_name'),
        user_data_base64: expr('local.user_data'),
        user_data_replace_on_change: false,
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
          comment: [
            'A newer Ubuntu image would replace the host at any apply: take it with',
            '`terraform apply -replace=aws_instance.host`. A new user data would stop and start it:',
            'the bundle document delivers it instead.',
          ],
          attributes: { ignore_changes: [expr('ami'), expr('user_data_base64')] },
        },
      ],
    },
    ...bundleDelivery(model),
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

/**
 * The bundle's delivery to the running host: an SSM Command document that
 * carries the user data (gzip, base64: well under the 64 KB a document may
 * hold, as the user data is under EC2's 16 KB) and, once cloud-init is done,
 * has cloud-init write its `write_files` again and apply-bundle.sh reload
 * Airflow. Every change of the user data is a new document version, and State
 * Manager runs an association again when its document version changes
 * (AWS Systems Manager API Reference, `Association.DocumentVersion`).
 */
function bundleDelivery(model: Model): HclBlock[] {
  const name = `${model.name}-airflow-bundle`;
  return [
    {
      type: 'resource',
      labels: ['aws_ssm_document', 'bundle'],
      comment: ['The compose bundle and host units of cloud-init.yaml, for the running host; not a secret (the host fetches those).'],
      attributes: {
        name,
        document_type: 'Command',
        document_format: 'JSON',
        content: expr('jsonencode(local.bundle_document)'),
      },
    },
    {
      type: 'locals',
      comment: ['The document: wait for the first boot, write the files again, apply them.'],
      attributes: {
        bundle_document: {
          schemaVersion: '2.2',
          description: `Writes the Airflow bundle of ${model.name} on its host and applies it.`,
          mainSteps: [
            {
              action: 'aws:runShellScript',
              name: 'applyBundle',
              inputs: {
                timeoutSeconds: 3600,
                runCommand: [
                  'set -eu',
                  'cloud-init status --wait >/dev/null || true',
                  'bundle="$(mktemp)"',
                  interpolated`echo ${reference('local.user_data')} | base64 -d | gunzip >"$bundle"`,
                  'cloud-init --file "$bundle" single --name write_files --frequency always',
                  'rm -f "$bundle"',
                  `${HOST.bundleDir}/${APPLY_BUNDLE}`,
                ],
              },
            },
          ],
        },
      },
    },
    {
      type: 'resource',
      labels: ['aws_ssm_association', 'bundle'],
      comment: ['Runs the document on the host when it is created and whenever the document changes.'],
      attributes: {
        name: expr('aws_ssm_document.bundle.name'),
        association_name: name,
        document_version: expr('aws_ssm_document.bundle.latest_version'),
        max_errors: '0',
      },
      blocks: [{ type: 'targets', attributes: { key: 'InstanceIds', values: [expr('aws_instance.host.id')] } }],
    },
  ];
}
