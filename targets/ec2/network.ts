import type { HclBlock } from '../../compiler/emit/hcl.ts';
import { expr } from '../../compiler/emit/hcl.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { Ec2Settings } from './settings.ts';

/** The subnet (given, or the default VPC's) and a security group: the UI from allowed_cidrs, SSH from ssh_cidrs, nothing else in. */
export function networkBlocks(model: Model, s: Ec2Settings): HclBlock[] {
  const ingress = (name: string, cidrs: string, port: number, description: string): HclBlock => ({
    type: 'resource',
    labels: ['aws_vpc_security_group_ingress_rule', name],
    attributes: {
      for_each: expr(`toset(${cidrs})`),
      security_group_id: expr('aws_security_group.host.id'),
      description,
      cidr_ipv4: expr('each.value'),
      ip_protocol: 'tcp',
      from_port: port,
      to_port: port,
    },
  });
  return [
    {
      type: 'data',
      labels: ['aws_availability_zones', 'available'],
      attributes: { state: 'available' },
    },
    {
      type: 'data',
      labels: ['aws_subnet', 'host'],
      comment: ["The data volume is created in this subnet's zone, so that it never follows a replaced instance elsewhere."],
      attributes: {
        id: expr('var.subnet_id'),
        availability_zone: expr('var.subnet_id == null ? data.aws_availability_zones.available.names[0] : null'),
        default_for_az: expr('var.subnet_id == null ? true : null'),
      },
    },
    {
      type: 'resource',
      labels: ['aws_security_group', 'host'],
      attributes: {
        name_prefix: `${model.name}-airflow-`,
        description: `Airflow host ${model.name}: the UI from var.allowed_cidrs, SSH from var.ssh_cidrs`,
        vpc_id: expr('data.aws_subnet.host.vpc_id'),
      },
      blocks: [{ type: 'lifecycle', attributes: { create_before_destroy: true } }],
    },
    ingress('ui', 'var.allowed_cidrs', s.uiPort, `Airflow ${model.facts.web.component}`),
    ingress('ssh', 'var.ssh_cidrs', 22, 'SSH'),
    {
      type: 'resource',
      labels: ['aws_vpc_security_group_egress_rule', 'all'],
      comment: ['Out: image registries, git, S3, SSM and Session Manager.'],
      attributes: { security_group_id: expr('aws_security_group.host.id'), description: 'Everything out', cidr_ipv4: '0.0.0.0/0', ip_protocol: '-1' },
    },
  ];
}
