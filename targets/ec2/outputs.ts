import type { HclBlock } from '../../compiler/emit/hcl.ts';
import { expr, interpolated, reference } from '../../compiler/emit/hcl.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { REGION } from './terraform.ts';
import type { Ec2Settings } from './settings.ts';

function output(name: string, description: string, value: ReturnType<typeof expr>): HclBlock {
  return { type: 'output', labels: [name], attributes: { description, value } };
}

export function outputBlocks(model: Model, s: Ec2Settings): HclBlock[] {
  const host = model.network.hostname ?? reference('aws_eip.host.public_ip');
  const session = interpolated`aws ssm start-session --region ${reference(REGION)} --target ${reference('aws_instance.host.id')}`;
  const blocks = [
    output('instance_id', 'The Airflow host', expr('aws_instance.host.id')),
    output('public_ip', 'Its Elastic IP', expr('aws_eip.host.public_ip')),
    output(
      'ui_url',
      `The Airflow UI, from var.allowed_cidrs${model.network.hostname ? ` (point ${model.network.hostname} at public_ip)` : ''}`,
      interpolated`http://${host}:${s.uiPort}`,
    ),
    output('ssm_session_command', 'A shell on the host through Session Manager', session),
    output(
      'ui_tunnel_command',
      `The UI on http://localhost:${s.uiPort} through Session Manager, from anywhere`,
      interpolated`${session} --document-name AWS-StartPortForwardingSession --parameters '{"portNumber":["${s.uiPort}"],"localPortNumber":["${s.uiPort}"]}'`,
    ),
  ];
  if (s.dataVolumeGb !== undefined) blocks.push(output('data_volume_id', "The volume holding Postgres's files", expr('aws_ebs_volume.data.id')));
  return blocks;
}
