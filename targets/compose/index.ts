import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import { resolvedValue } from '../../compiler/airflow/settings.ts';
import { DEFAULTS } from '../../compiler/normalize/normalize.ts';
import type { SpecPath } from '../../compiler/diagnostics/problem.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { CheckContext, RenderContext, Target, TargetDocument } from '../../compiler/targets/target.ts';
import { describeRef } from '../../compiler/secrets/collect.ts';
import type { SecretRef } from '../../schema/generated/types.ts';
import { outputReadme, README_FILE } from '../../compiler/secrets/by-component.ts';
import { COMPOSE_FILE, composeBundle, PROJECT_ENV_FILE } from './bundle.ts';
import { AWS_PASS_THROUGH } from './dags.ts';
import { dotenv } from './dotenv.ts';
import { composeManifest } from './manifest.ts';
import { ignoredOnOneHost } from './single-host.ts';

export const ENV_FILE = PROJECT_ENV_FILE;

const README_INTRO = [
  '`afc build` wrote this folder: `docker-compose.yaml`, with every plain setting, and an env file per service that needs secrets (`secrets/<service>.env`, mode 0600, git-ignored), which only that service reads. `.env` holds the project name only.',
  'Start it with `docker compose up -d` from this folder.',
];

export const composeTarget: Target = {
  ...composeManifest,
  secrets: 'values',
  check: checkCompose,
  render: renderCompose,
};

export default composeTarget;

/** What compose cannot do is an error; settings it ignores are warnings that name them. */
function checkCompose(model: Model, ctx: CheckContext): void {
  const ignored = (path: SpecPath, what: string) => ctx.report('warning', 'AFC3102', path, `compose ignores ${what}`);
  for (const setting of ignoredOnOneHost(model)) ignored(setting.path, setting.what);
  if (model.database.kind === 'managed' && model.database.storageGb !== DEFAULTS.managedDatabase.storageGb)
    ignored(['database', 'managed', 'storageGb'], 'database.managed.storageGb: the data lives in a Docker volume');
  if (model.network.hostname) ignored(['network', 'hostname'], 'network.hostname: compose publishes a port; point the name at the host yourself');
  if (model.network.allowedCidrs.length > 0) {
    ctx.report(
      'warning',
      'AFC3103',
      ['network', 'allowedCidrs'],
      'compose cannot filter by address: with network.allowedCidrs the UI is published on every interface',
      "restrict access with the host's firewall or security group (the ec2 target does)",
    );
  }
  if (model.dags.kind === 'git' && model.dags.sshKey) {
    ctx.report(
      'warning',
      'AFC3104',
      ['dags', 'git', 'sshKey'],
      `git-sync reads the SSH key as AIRFLOW_UID (${OFFICIAL_IMAGE.uid} unless set), but the key file afc writes is 0600 and belongs to whoever builds`,
      'on Linux, start compose as that user: AIRFLOW_UID=$(id -u) docker compose up (Docker Desktop needs nothing)',
    );
  }
  if (model.dags.kind === 's3') {
    ctx.report(
      'warning',
      'AFC3105',
      ['dags', 's3'],
      `dags-sync-init reads s3://${model.dags.bucket}/${model.dags.prefix} with ${AWS_PASS_THROUGH.join(', ')} from the shell that runs docker compose, and no other credentials (no ~/.aws, no instance role off EC2): without them the first sync fails and no Airflow component starts`,
      'export credentials first, e.g. eval "$(aws configure export-credentials --format env)" && docker compose up (the ec2 target uses its instance role instead)',
    );
  }
}

function renderCompose(model: Model, ctx: RenderContext): TargetDocument[] {
  const bundle = composeBundle(model, { specDirFromOutput: ctx.specDirFromOutput });
  const reported = new Set<SecretRef>();
  const envValue = (ref: SecretRef) => {
    const value = ctx.secrets.value(ref);
    if (!/[\r\n]/.test(value)) return value;
    // Once, however many services' env files hold it.
    if (reported.has(ref)) return '';
    reported.add(ref);
    ctx.report(
      'error',
      'AFC4011',
      ctx.secrets.usedAt(ref),
      `${describeRef(ref)} holds a line break, which an env file cannot carry`,
      'store the value on one line; `--value "$(cat file)"` drops a trailing newline',
    );
    // The build stops after this render: an empty stand-in keeps the rest of it going.
    return '';
  };
  // No AIRFLOW_UID: who builds is not part of the output. The containers run as the image's user
  // unless the shell that runs `docker compose up` exports AIRFLOW_UID (see AFC3104).
  const documents: TargetDocument[] = [
    { path: COMPOSE_FILE, format: 'yaml', content: bundle.compose, keyOrder: bundle.keyOrder },
    ...bundle.envFiles.map(
      (file): TargetDocument => ({
        path: file.path,
        format: 'text',
        content: dotenv(file.entries.map((e) => [e.name, 'text' in e ? e.text : 'secret' in e ? envValue(e.secret) : resolvedValue(e.setting, envValue)])),
        secret: true,
        commentPrefix: '#',
      }),
    ),
    {
      path: README_FILE,
      format: 'text',
      content: outputReadme(`${model.name}: docker compose`, README_INTRO, bundle.secretsByService),
      commentPrefix: '<!--',
      commentSuffix: '-->',
    },
  ];
  for (const file of bundle.files) {
    if ('text' in file) documents.push({ path: file.path, format: 'text', content: file.text });
    else documents.push({ path: file.path, format: 'text', content: `${ctx.secrets.value(file.secret).trimEnd()}\n`, secret: true });
  }
  return documents;
}
