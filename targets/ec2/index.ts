import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { AWS_CLI_IMAGE } from '../../compiler/aws/aws-cli.ts';
import { MANAGED_DATABASE, publicUiUrl } from '../../compiler/airflow/settings.ts';
import { byAddress, type HclBlock } from '../../compiler/emit/hcl.ts';
import { toYaml } from '../../compiler/emit/yaml.ts';
import { registerPartial, renderTemplate } from '../../compiler/emit/text-template.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import { packageRoot } from '../../compiler/package-root.ts';
import { modelSecrets, ssmParameterNames } from '../../compiler/secrets/model-secrets.ts';
import type { CheckContext, RenderContext, Target, TargetDocument } from '../../compiler/targets/target.ts';
import { COMPOSE_FILE, composeBundle, type BundleOptions } from '../compose/bundle.ts';
import { cloudConfig, cloudConfigKeyOrder, type HostFile } from './cloud-config.ts';
import { secretsByComponentSection } from '../../compiler/secrets/by-component.ts';
import { envRecipe, recipeJson } from './env-recipe.ts';
import { CLOUD_CONFIG_FILE, hostBlocks } from './host.ts';
import { iamBlocks } from './iam.ts';
import { ec2Manifest } from './manifest.ts';
import { networkBlocks } from './network.ts';
import { outputBlocks } from './outputs.ts';
import { APPLY_BUNDLE, ec2Settings, HOST, type Ec2Settings } from './settings.ts';
import { providerBlocks, versionsBlocks } from './terraform.ts';
import { variables } from './variables.ts';

export const ec2Target: Target = {
  ...ec2Manifest,
  // The host fetches every secret from SSM at boot with its role; afc only checks that they exist.
  secrets: 'references',
  check: checkEc2,
  render: renderEc2,
};

export default ec2Target;

const DATA_LABEL = 'airflow-data';

function checkEc2(model: Model, ctx: CheckContext): void {
  const local = modelSecrets(model)
    .filter((s) => s.ref.ssm === undefined)
    .map((s) => s.at);
  if (local.length) {
    ctx.report(
      'error',
      'AFC3203',
      ['secrets'],
      `the EC2 host reads secrets from SSM at boot; ${local.join(', ')} ${local.length === 1 ? 'is' : 'are'} not SSM references`,
      'move them to SSM Parameter Store: no secret value may be in user data or Terraform state',
    );
  }
  for (const setting of composeBundle(model, bundleOptions(model)).ignored) ctx.report('warning', 'AFC3204', setting.path, `ec2 ignores ${setting.what}`);
  const backup = model.targets.ec2?.backup;
  if (model.database.kind === 'managed' && !backup) {
    ctx.report(
      'warning',
      'AFC3205',
      ['database', 'managed'],
      "the host's Postgres has no daily backup",
      'set targets.ec2.backup.s3 to an S3 folder; the data volume alone is one disk',
    );
  }
  if (model.database.kind === 'external' && backup)
    ctx.report(
      'warning',
      'AFC3204',
      ['targets', 'ec2', 'backup'],
      "ec2 ignores targets.ec2.backup: it backs up the host's own Postgres, and this database is external",
    );
  if (model.network.allowedCidrs.includes('0.0.0.0/0')) {
    ctx.report(
      'warning',
      'AFC3206',
      ['network', 'allowedCidrs'],
      'the UI is open to the whole internet over plain HTTP',
      'list the office and VPN ranges, or none and use the Session Manager tunnel (terraform output ui_tunnel_command)',
    );
  }
}

const templates = join(packageRoot(), 'targets', 'ec2', 'templates');
const template = (name: string, data: object) => renderTemplate(join(templates, `${name}.hbs`), data);
registerPartial('aws-cli', join(templates, '_aws-cli.sh.hbs'));

/**
 * EC2 takes at most 16 KB of user data, "in raw form, before it is
 * base64-encoded" (EC2 User Guide, "Run commands when you launch an EC2
 * instance with user data input"; docs/airflow-facts.md §15): the host gets
 * cloud-init.yaml through `base64gzip`, so the limit is on its gzipped size,
 * measured here with gzip's best compression, as Terraform's base64gzip
 * writes it (within a few bytes).
 */
export const USER_DATA_MAX_BYTES = 16_384;

function checkUserDataSize(cloudInit: string, ctx: RenderContext): void {
  const gzipped = gzipSync(cloudInit, { level: 9 }).length;
  if (gzipped <= USER_DATA_MAX_BYTES) return;
  ctx.report(
    'error',
    'AFC3207',
    [],
    `${CLOUD_CONFIG_FILE} is ${gzipped} bytes gzipped (${Buffer.byteLength(cloudInit)} bytes as text); EC2 accepts at most ${USER_DATA_MAX_BYTES} bytes of user data`,
    'the compose file carries every plain connection and variable: keep them in SSM instead (connections.fromSsmPath, variables.fromSsmPath, or { ssm: } references, which the host fetches at boot); user data that fetches the bundle from S3 is not written by afc yet',
  );
}

function renderEc2(model: Model, ctx: RenderContext): TargetDocument[] {
  const s = ec2Settings(model);
  const managed = model.database.kind === 'managed';
  const bundle = composeBundle(model, bundleOptions(model));
  const header = ctx.header[0]!;
  const parameters = ssmParameterNames(modelSecrets(model));
  const data = {
    header,
    name: model.name,
    unit: HOST.unit,
    backupUnit: HOST.backupUnit,
    bundleDir: HOST.bundleDir,
    ...(managed ? { dataDir: HOST.dataDir } : {}),
    postgresDataDir: HOST.postgresDataDir,
    label: DATA_LABEL,
    awsCliImage: AWS_CLI_IMAGE,
    dbUser: MANAGED_DATABASE.user,
    dbName: MANAGED_DATABASE.name,
    dbService: bundle.services.database,
    brokerService: bundle.services.broker,
    folder: s.backup?.s3 ?? '',
    retentionDays: s.backup?.retentionDays ?? 0,
    start: startUnits(s),
  };
  const file = (path: string, content: string, permissions: HostFile['permissions'] = '0644'): HostFile => ({
    path: `${HOST.bundleDir}/${path}`,
    permissions,
    content,
  });
  const files: HostFile[] = [
    file(COMPOSE_FILE, toYaml(bundle.compose, { header: ctx.header, keyOrder: bundle.keyOrder })),
    file('env-recipe.json', recipeJson(envRecipe(bundle))),
    file('render-env.jq', template('render-env.jq', data)),
    file('fetch-secrets.sh', template('fetch-secrets.sh', data), '0755'),
    file(APPLY_BUNDLE, template('apply-bundle.sh', data), '0755'),
    { path: `/etc/systemd/system/${HOST.unit}`, permissions: '0644', content: template('airflow.service', data) },
  ];
  // Secret files reach the host through the recipe; the rest travel in the user data.
  for (const f of bundle.files) if ('text' in f) files.push(file(f.path, f.text));
  const firstBoot: string[][] = [];
  if (managed) {
    files.push(file('mount-data.sh', template('mount-data.sh', data), '0755'), {
      path: `/etc/systemd/system/docker.service.d/${HOST.dockerDropIn}`,
      permissions: '0644',
      content: template('docker-data.conf', data),
    });
    firstBoot.push([`${HOST.bundleDir}/mount-data.sh`]);
  }
  if (s.backup) {
    files.push(
      file('backup.sh', template('backup.sh', data), '0755'),
      file('restore-db.sh', template('restore-db.sh', data), '0755'),
      { path: `/etc/systemd/system/${HOST.backupUnit}.service`, permissions: '0644', content: template('airflow-backup.service', data) },
      { path: `/etc/systemd/system/${HOST.backupUnit}.timer`, permissions: '0644', content: template('airflow-backup.timer', data) },
    );
  }
  firstBoot.push(['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', ...data.start]);

  const hcl = (path: string, blocks: HclBlock[]): TargetDocument => ({ path, format: 'hcl', content: byAddress(blocks) });
  const cloudInit = cloudConfig(files, firstBoot);
  checkUserDataSize(`#cloud-config\n${toYaml(cloudInit, { header: ctx.header, keyOrder: cloudConfigKeyOrder })}`, ctx);
  return [
    hcl('versions.tf', versionsBlocks()),
    hcl('variables.tf', variables(model, s)),
    hcl('main.tf', mainBlocks(model, s, parameters)),
    hcl('outputs.tf', outputBlocks(model, s)),
    { path: CLOUD_CONFIG_FILE, format: 'yaml', preamble: '#cloud-config', content: cloudInit, keyOrder: cloudConfigKeyOrder },
    {
      path: 'README.md',
      format: 'text',
      content: `${readme(model, s, parameters, bundle.services.scheduler)}\n${secretsByComponentSection(bundle.secretsByService)}`,
      commentPrefix: '<!--',
      commentSuffix: '-->',
    },
  ];
}

/** The units the first boot enables and starts, and apply-bundle.sh after every change. */
function startUnits(s: Ec2Settings): string[] {
  return [HOST.unit, ...(s.backup ? [`${HOST.backupUnit}.timer`] : [])];
}

/**
 * The host's bundle: its Postgres data on the data volume, the UI on every
 * interface (the security group decides who reaches it), and containers that
 * dockerd restarts at boot only after an unclean stop: airflow.service starts
 * them, after the data volume and fetch-secrets.sh.
 */
function bundleOptions(model: Model): BundleOptions {
  const s = ec2Settings(model);
  return {
    specDirFromOutput: '.',
    ...(model.database.kind === 'managed' ? { postgresDataDir: HOST.postgresDataDir } : {}),
    uiPort: `${s.uiPort}:${s.uiPort}`,
    restart: 'unless-stopped',
    // The UI is plain HTTP on its port at network.hostname (outputs.tf's ui_url).
    ...publicUiUrl(model, 'http', s.uiPort),
  };
}

/** main.tf: the provider and account facts, the locals, then network, IAM and the host. */
function mainBlocks(model: Model, s: Ec2Settings, parameters: string[]): HclBlock[] {
  const resources = [...networkBlocks(model, s), ...iamBlocks(model, s, parameters), ...hostBlocks(model, s)];
  return [...providerBlocks(model), ...resources.filter((b) => b.type === 'locals'), ...resources.filter((b) => b.type !== 'locals')];
}

function readme(model: Model, s: Ec2Settings, parameters: string[], scheduler: string): string {
  return template('README.md', {
    name: model.name,
    version: model.airflow.version.raw,
    executor: model.airflow.executor,
    bundleDir: HOST.bundleDir,
    unit: HOST.unit,
    backupUnit: HOST.backupUnit,
    scheduler,
    parameters,
    fernetParameter: model.secrets.fernetKey.ssm ?? '',
    allowedCidrs: [...model.network.allowedCidrs].sort(),
    uiPort: s.uiPort,
    ssh: s.sshCidrs.length > 0 && s.keyName !== undefined,
    dataVolume: s.dataVolumeGb !== undefined,
    ...(s.backup ? { backup: s.backup } : {}),
  });
}
