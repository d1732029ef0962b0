import type { HclBlock, HclValue } from '../../compiler/emit/hcl.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { Ec2Settings } from './settings.ts';

function variable(name: string, type: string, description: string, defaultValue: HclValue): HclBlock {
  return { type: 'variable', labels: [name], attributes: { description, type: { $expr: type }, default: defaultValue } };
}

/** What an operator may change per apply without editing the spec; each defaults to the spec's value. */
export function variables(model: Model, s: Ec2Settings): HclBlock[] {
  const blocks = [
    variable('region', 'string', "AWS region of the host; null takes the provider's (AWS_REGION, the profile).", s.region ?? null),
    variable('instance_type', 'string', 'EC2 instance type of the host.', s.instanceType),
    variable('ami_id', 'string', "AMI of the host; null takes the latest Ubuntu 24.04 LTS for the instance type's architecture.", s.ami ?? null),
    variable('subnet_id', 'string', "Subnet of the host; null takes the default VPC's subnet in the first availability zone.", s.subnetId ?? null),
    variable(
      'allowed_cidrs',
      'list(string)',
      `Address ranges that may reach the Airflow UI on port ${s.uiPort}; none: reach it through a Session Manager tunnel.`,
      [...model.network.allowedCidrs].sort(),
    ),
    variable('key_name', 'string', 'Existing EC2 key pair for SSH; null: Session Manager is the way in.', s.keyName ?? null),
    variable('ssh_cidrs', 'list(string)', 'Address ranges that may SSH in; none by default.', s.sshCidrs),
    variable('root_volume_gb', 'number', 'Size of the root volume (the OS, Docker images, task logs) in GiB.', s.rootVolumeGb),
  ];
  if (s.dataVolumeGb !== undefined)
    blocks.push(variable('data_volume_gb', 'number', 'Size of the data volume (Postgres) in GiB; it outlives the instance.', s.dataVolumeGb));
  return blocks;
}
