import { chmodSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { parse } from 'yaml';
import { InstanceMetadata } from '../platform/instance-metadata.ts';
import type { DeploymentPlan, PlanMount } from '../plan.ts';
import { DEFAULT_REGION, EC2_INSTANCE } from '../translation.ts';
import { readCompose } from './compose.ts';
import type { ReaderContext } from './index.ts';

interface CloudConfig {
  write_files?: WriteFile[];
  packages?: string[];
  runcmd?: (string | string[])[];
  package_update?: boolean;
}

/** What Ubuntu's packages give the instance, and who stands for each here. */
const PACKAGES: Record<string, string> = {
  'docker.io': 'docker run of the AWS CLI: images/docker-on-ec2.sh; docker compose: the compose reader',
  'docker-compose-v2': 'the compose reader (compose-go)',
  jq: "the host's jq",
};

/**
 * airflow.service's settings the reader knows: it runs ExecStartPre and
 * ExecStart once; the others are ordering, timeouts and retries of a host's
 * boot, and ExecReload, which apply-bundle.sh runs on a changed bundle (the
 * same two commands again), not the first start that the harness runs.
 */
const UNIT_KEYS = new Set([
  'Description',
  'Requires',
  'After',
  'Wants',
  'RequiresMountsFor',
  'Type',
  'RemainAfterExit',
  'WorkingDirectory',
  'ExecStartPre',
  'ExecStart',
  'ExecStop',
  'ExecReload',
  'Restart',
  'RestartSec',
  'RestartSteps',
  'RestartMaxDelaySec',
  'TimeoutStartSec',
  'TimeoutStopSec',
  'WantedBy',
]);

/**
 * The cloud-config keys and commands the harness knows: packages it has
 * stand-ins for, and the boot commands afc writes, which start
 * airflow.service (what the harness runs). mount-data.sh formats and mounts
 * the data volume, which is a folder of the instance's disk here, and the
 * backup timer does not run (translation.ts). Anything else is an error.
 */
function checkCloudConfig(config: CloudConfig): void {
  const keys = Object.keys(config).filter((k) => !['write_files', 'packages', 'runcmd', 'package_update'].includes(k));
  if (keys.length) throw new Error(`cloud-init.yaml: the runtime harness does not run ${keys.join(', ')}`);
  const packages = (config.packages ?? []).filter((p) => !(p in PACKAGES));
  if (packages.length) throw new Error(`cloud-init.yaml: the runtime harness has no stand-in for the packages ${packages.join(', ')}`);
  for (const command of config.runcmd ?? []) {
    const words = typeof command === 'string' ? command.split(' ') : command;
    const line = words.join(' ');
    const known =
      line === '/opt/airflow/mount-data.sh' ||
      line === 'systemctl daemon-reload' ||
      (/^systemctl enable --now( \S+)+$/.test(line) && words.slice(3).every((u) => u === 'airflow.service' || u === 'airflow-backup.timer'));
    if (!known) throw new Error(`cloud-init.yaml: runcmd ${JSON.stringify(command)} is not a boot command the harness knows`);
  }
}

interface WriteFile {
  path: string;
  content?: string;
  encoding?: string;
  permissions?: string;
  owner?: string;
}

/**
 * Reads the ec2 target's output as the instance runs it: cloud-init writes
 * `write_files` onto the instance's disk (a folder of the run), systemd
 * starts airflow.service, whose `ExecStartPre` steps (fetch-secrets.sh: the
 * parameters from SSM, with the instance role, through IMDSv2 and the AWS
 * CLI image) run as root in its WorkingDirectory, then `docker compose up` in
 * that folder: the compose bundle, read only once the steps wrote `.env`.
 * Terraform's resources are the platform (moto stands for the AWS APIs the
 * instance calls; the instance role for its credentials).
 */
export async function readEc2(outDir: string, context: ReaderContext): Promise<DeploymentPlan> {
  const cloudConfig = parse(readFileSync(join(outDir, 'cloud-init.yaml'), 'utf8')) as CloudConfig;
  checkCloudConfig(cloudConfig);
  const disk = join(context.runDir, 'ec2-instance');
  for (const file of cloudConfig.write_files ?? []) writeInstanceFile(disk, file);

  const unit = systemdUnit(readFileSync(join(disk, 'etc/systemd/system/airflow.service'), 'utf8'));
  const unknown = Object.keys(unit).filter((key) => !UNIT_KEYS.has(key));
  if (unknown.length) throw new Error(`airflow.service: the runtime harness does not run ${unknown.join(', ')}`);
  const workingDirectory = unit.WorkingDirectory?.[0];
  const start = unit.ExecStart?.[0];
  if (!workingDirectory || !start || !/^\/usr\/bin\/docker compose up\b/.test(start)) {
    throw new Error(
      `airflow.service: the harness runs \`docker compose up\` in a WorkingDirectory; found ExecStart=${start}, WorkingDirectory=${workingDirectory}`,
    );
  }
  const steps = unit.ExecStartPre ?? [];
  for (const step of steps) {
    // systemd's quoting, specifiers (%), variables and prefixes (-, +, !, @, :) would change what runs.
    if (!/^\/[^\s"'%$\\]*( [^\s"'%$\\]+)*$/.test(step)) throw new Error(`airflow.service: ExecStartPre=${step}: the harness runs plain absolute commands`);
  }
  const region = context.model.targets.ec2?.region ?? DEFAULT_REGION;
  const mount: PlanMount = { hostPath: join(disk, workingDirectory), target: workingDirectory };
  return {
    pods: [
      {
        name: 'ec2-instance',
        hostname: 'ip-10-0-0-10',
        names: [],
        containers: steps.map((step, i) => ({
          name: `ExecStartPre-${i + 1}`,
          image: EC2_INSTANCE,
          // systemd splits the line into words; afc's units hold plain paths.
          command: step.split(/\s+/),
          env: {},
          workingDir: workingDirectory,
          mounts: [mount],
          init: i < steps.length - 1,
          healthChecks: [],
        })),
        after: [],
        restart: 'never',
        runsToCompletion: true,
      },
    ],
    // Before the steps ran, there is no UI; the next stage has it.
    ui: { pod: 'ec2-instance', port: 0 },
    platformChecks: [],
    awsIdentity: true,
    services: [new InstanceMetadata(region, context.hostAddress)],
    nextStage: async () => {
      const bundle = await readCompose(join(disk, workingDirectory));
      for (const pod of bundle.pods) {
        pod.after.push({ pod: 'ec2-instance', condition: 'completed', source: 'airflow.service: ExecStartPre before ExecStart' });
        for (const container of pod.containers) container.mounts = container.mounts.map((m) => onInstance(m, disk));
      }
      return { ...bundle, awsIdentity: true };
    },
  };
}

/** A host path of the bundle is on the instance's disk (`/data/postgres` is the data volume's folder). */
function onInstance(mount: PlanMount, disk: string): PlanMount {
  if (!('hostPath' in mount) || !isAbsolute(mount.hostPath) || !relative(disk, mount.hostPath).startsWith('..')) return mount;
  const path = join(disk, mount.hostPath);
  mkdirSync(path, { recursive: true });
  return { ...mount, hostPath: path };
}

function writeInstanceFile(disk: string, file: WriteFile): void {
  if (!isAbsolute(file.path)) throw new Error(`write_files: ${file.path} is not absolute`);
  const path = join(disk, file.path);
  mkdirSync(dirname(path), { recursive: true });
  const raw = file.content ?? '';
  const encoding = file.encoding ?? 'text/plain';
  const bytes = ['b64', 'base64'].includes(encoding)
    ? Buffer.from(raw, 'base64')
    : ['gz+b64', 'gzip+base64', 'gz+base64', 'gzip+b64'].includes(encoding)
      ? gunzipSync(Buffer.from(raw, 'base64'))
      : Buffer.from(raw);
  writeFileSync(path, bytes);
  chmodSync(path, parseInt(file.permissions ?? '0644', 8));
  const [user = 'root', group = user] = (file.owner ?? 'root:root').split(':');
  if (!/^(root|\d+)$/.test(user) || !/^(root|\d+)$/.test(group))
    throw new Error(`write_files: ${file.path} is owned by ${file.owner}; the harness knows root and numeric ids`);
  chownSync(path, user === 'root' ? 0 : Number(user), group === 'root' ? 0 : Number(group));
}

/** A systemd unit's settings by key, each key's values in order (the [Service] keys afc writes are unique per section). */
function systemdUnit(text: string): Record<string, string[]> {
  const settings: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) settings[match[1]!] = [...(settings[match[1]!] ?? []), match[2]!];
  }
  return settings;
}
