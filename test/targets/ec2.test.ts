import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { composeTarget } from '../../targets/compose/index.ts';
import { ec2Target } from '../../targets/ec2/index.ts';
import { AWS_PROVIDER } from '../../targets/ec2/terraform.ts';
import { synthInTemp } from '../support/synth.ts';
import { cloudConfigOf, cloudInitSchema, type WrittenFile } from '../support/cloud-init.ts';
import { composeSchemaErrors, dockerComposeConfig } from '../support/compose-validators.ts';
import { putSecureStrings, useMoto } from '../support/moto.ts';
import { argumentProblems, awsProviderLib, awsProviderVersion, blocksOf, parseHcl, terraformCommand, terraformFmtCheck } from '../support/terraform.ts';
import { systemdVersion, verifyUnits } from '../support/systemd.ts';
import { haveTool, skipReason } from '../support/tools.ts';

const hasTerraform = terraformCommand() !== undefined;
const hasCloudInit = haveTool('cloud-init', ['--version']);
const hasShellcheck = haveTool('shellcheck');
const hasDockerCompose = haveTool('docker-compose', ['version']);
const hasJq = haveTool('jq');
const providerLib = awsProviderLib();
const systemd = haveTool('systemd-analyze') ? systemdVersion() : undefined;
const skipped = (tool: string, present: unknown) => (present ? '' : ` (skipped: ${skipReason(tool)})`);

interface Variant {
  version: '2.10.5' | '3.1.3';
  executor: 'LocalExecutor' | 'CeleryExecutor';
  database: 'managed' | 'external';
  ssh: boolean;
  dags: 'image' | 'git' | 's3';
}

function spec(v: Variant): string {
  const three = v.version.startsWith('3');
  const dags = {
    image: '',
    git: 'dags:\n  git: { repo: "git@github.com:acme/dags.git", subPath: dags, sshKey: { ssm: /ec2/git_key }, knownHosts: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" }\n',
    s3: 'dags: { s3: { bucket: acme-dags, prefix: dags/, period: 1m } }\n',
  }[v.dags];
  const database =
    v.database === 'managed'
      ? 'database:\n  managed: { password: { ssm: /ec2/db_password } }\n'
      : 'database:\n  external: { host: db.internal, user: airflow, password: { ssm: /ec2/db_password }, sslmode: require }\n';
  const broker =
    v.executor === 'CeleryExecutor'
      ? 'broker: { managed: {} }\ncomponents:\n  workers: { replicas: 2, concurrency: 8, queues: [default, heavy] }\n  flower: { enabled: true }\n'
      : '';
  const ssh = v.ssh ? '    keyName: ops\n    sshCidrs: [198.51.100.0/26]\n' : '';
  const backup = v.database === 'managed' ? '    backup: { s3: "s3://acme-backups/ec2/" }\n' : '';
  return `apiVersion: afc/v1
name: ec2
airflow:
  version: "${v.version}"
  executor: ${v.executor}
${dags}${database}${broker}secrets:
  fernetKey: { ssm: /ec2/fernet_key }
  apiSecretKey: { ssm: /ec2/api_secret_key }
${three ? '  jwtSecret: { ssm: /ec2/jwt_secret }\n' : ''}  adminUser: { email: ops@acme.io, password: { ssm: /ec2/admin_password } }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
  warehouse: { ssm: /ec2/conn/warehouse }
logging:
  remote: { s3: "s3://acme-logs/ec2" }
network:
  allowedCidrs: [203.0.113.0/24]
targets:
  ec2:
    region: eu-west-1
${ssh}${backup}`;
}

const variants: Variant[] = [];
const sources = ['image', 'git', 's3'] as const;
for (const version of ['2.10.5', '3.1.3'] as const)
  for (const executor of ['LocalExecutor', 'CeleryExecutor'] as const)
    for (const database of ['managed', 'external'] as const)
      for (const ssh of [false, true]) variants.push({ version, executor, database, ssh, dags: sources[variants.length % sources.length]! });

const name = (v: Variant) => `${v.executor}, Airflow ${v.version}, ${v.database} database, ${v.ssh ? 'SSH' : 'no SSH'}, DAGs from ${v.dags}`;

interface Built {
  dir: string;
  files: Record<string, string>;
  host: WrittenFile[];
  warnings: string[];
}

/** A host file of the cloud-config, by its name. */
const hostFile = (b: Built, file: string) => b.host.find((f) => basename(f.path) === file);

describe('ec2 target', () => {
  const built = new Map<Variant, Built>();
  beforeAll(async () => {
    for (const v of variants) {
      const b = await synthInTemp(ec2Target, spec(v), {}, undefined, { offline: true });
      if (b.errors.length) throw new Error(`${name(v)}: ${b.errors.map((e) => e.message).join('; ')}`);
      const files = b.tree();
      const text = (path: string) => b.read(path);
      built.set(v, {
        dir: b.outDir,
        files: Object.fromEntries(Object.keys(files).map((f) => [f, text(f)])),
        host: cloudConfigOf(text('cloud-init.yaml')).write_files,
        warnings: b.result.problems.map((d) => d.code),
      });
    }
  });

  it('writes the Terraform files, the cloud-config and the README, and no secret file', () => {
    for (const b of built.values()) {
      expect(Object.keys(b.files).sort()).toEqual([
        '.afc-manifest',
        '.gitignore',
        'README.md',
        'cloud-init.yaml',
        'main.tf',
        'outputs.tf',
        'variables.tf',
        'versions.tf',
      ]);
      expect(b.files['.gitignore']).not.toMatch(/^\//m);
      expect(b.warnings).toEqual([]);
    }
  });

  it.skipIf(!hasTerraform)(`terraform fmt -check accepts every file${skipped('terraform or tofu', hasTerraform)}`, () => {
    const check = terraformFmtCheck([...built.values()].map((b) => b.dir));
    expect(check.unformatted).toEqual([]);
    expect(check.status, check.stderr).toBe(0);
  });

  it("every file parses with hcl2json, and the IAM policy names exactly the spec's SSM parameters", async () => {
    for (const [v, b] of built) {
      for (const file of ['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf'])
        await expect(parseHcl(join(b.dir, file)), `${name(v)} ${file}`).resolves.toBeTypeOf('object');
      const main = await parseHcl(join(b.dir, 'main.tf'));
      const policy = blocksOf(main).find((x) => x.type === 'aws_iam_policy_document' && x.name === 'host')!.body as {
        statement: { sid: string; resources: string[] }[];
      };
      const read = policy.statement.find((s) => s.sid === 'ReadAirflowSecrets')!.resources.map((r) => r.replace('${local.parameter_arn}', ''));
      const expected = [
        '/ec2/admin_password',
        '/ec2/api_secret_key',
        '/ec2/conn/warehouse',
        '/ec2/db_password',
        '/ec2/fernet_key',
        ...(v.dags === 'git' ? ['/ec2/git_key'] : []),
        ...(v.version.startsWith('3') ? ['/ec2/jwt_secret'] : []),
      ];
      expect(read, name(v)).toEqual(expected.sort());
    }
  });

  it.skipIf(!providerLib)(
    `every resource, data source and argument exists in the AWS provider ${AWS_PROVIDER.version}${skipped('@cdktf/provider-aws', providerLib)}`,
    async () => {
      expect(awsProviderVersion(providerLib!).split('.')[0]).toBe(AWS_PROVIDER.version.replace(/^~> (\d+).*/, '$1'));
      const problems: string[] = [];
      let checked = 0;
      for (const b of built.values()) {
        for (const block of blocksOf(await parseHcl(join(b.dir, 'main.tf')))) {
          problems.push(...argumentProblems(providerLib!, block.kind, block.type, block.body));
          checked++;
        }
      }
      expect(problems).toEqual([]);
      expect(checked).toBeGreaterThan(variants.length * 15);
    },
  );

  it.skipIf(!hasCloudInit)(`cloud-init schema accepts every cloud-config${skipped('cloud-init', hasCloudInit)}`, () => {
    for (const [v, b] of built) {
      const result = cloudInitSchema(join(b.dir, 'cloud-init.yaml'));
      expect(result.status, `${name(v)}: ${result.output}`).toBe(0);
    }
  });

  it("keeps the user data under EC2's 16 KB once gzipped, as main.tf sends it", () => {
    for (const b of built.values()) expect(gzipSync(b.files['cloud-init.yaml']!).length).toBeLessThan(12 * 1024);
  });

  describe('scripts', () => {
    let scripts: string[] = [];
    beforeAll(() => {
      const dir = mkdtempSync(join(tmpdir(), 'afc-ec2-scripts-'));
      scripts = [...built.entries()].flatMap(([v, b], i) =>
        b.host
          .filter((f) => f.content.startsWith('#!/bin/bash'))
          .map((f) => {
            const path = join(dir, `${i}-${basename(f.path)}`);
            writeFileSync(path, f.content);
            expect(f.permissions, `${name(v)} ${f.path}`).toBe('0755');
            return path;
          }),
      );
    });

    it('every variant carries the scripts it needs', () => {
      for (const [v, b] of built) {
        const names = b.host
          .filter((f) => f.content.startsWith('#!/bin/bash'))
          .map((f) => basename(f.path))
          .sort();
        expect(names, name(v)).toEqual(
          v.database === 'managed'
            ? ['apply-bundle.sh', 'backup.sh', 'fetch-secrets.sh', 'mount-data.sh', 'restore-db.sh']
            : ['apply-bundle.sh', 'fetch-secrets.sh'],
        );
      }
    });

    it('bash -n parses every script', () => {
      for (const script of scripts) expect(spawnSync('bash', ['-n', script], { encoding: 'utf8' }).stderr, script).toBe('');
    });

    it.skipIf(!hasShellcheck)(`shellcheck -S warning accepts every script${skipped('shellcheck', hasShellcheck)}`, () => {
      const result = spawnSync('shellcheck', ['-S', 'warning', ...scripts], { encoding: 'utf8' });
      expect(result.stdout).toBe('');
      expect(result.status).toBe(0);
    });
  });

  describe('the compose bundle on the host', () => {
    /** The bundle as the host has it, with an .env of placeholder values in place of the one fetch-secrets.sh writes. */
    function bundleDir(b: Built): string {
      const dir = mkdtempSync(join(tmpdir(), 'afc-ec2-bundle-'));
      for (const f of b.host.filter((f) => f.path.startsWith('/opt/airflow/'))) writeFileSync(join(dir, basename(f.path)), f.content);
      const recipe = JSON.parse(hostFile(b, 'env-recipe.json')!.content) as {
        envFiles: { path: string; env: { name: string }[] }[];
        files: { path: string }[];
      };
      mkdirSync(join(dir, 'secrets'));
      for (const file of recipe.envFiles) writeFileSync(join(dir, file.path), file.env.map((e) => `${e.name}=placeholder\n`).join(''));
      for (const f of recipe.files) writeFileSync(join(dir, f.path), 'placeholder\n');
      return dir;
    }

    it.each(variants.map((v) => [name(v), v] as const))('%s: the compose schema accepts it', (_, v) => {
      expect(composeSchemaErrors(hostFile(built.get(v)!, 'docker-compose.yaml')!.content)).toEqual([]);
    });

    it.skipIf(!hasDockerCompose).each(variants.map((v) => [name(v), v] as const))(
      `%s: docker-compose config -q accepts it${skipped('docker-compose', hasDockerCompose)}`,
      (_, v) => {
        const config = dockerComposeConfig(bundleDir(built.get(v)!));
        expect(config.status, config.output).toBe(0);
      },
    );

    it('publishes the UI on every interface (the security group filters) and keeps Postgres on the data volume', () => {
      for (const [v, b] of built) {
        const compose = parse(hostFile(b, 'docker-compose.yaml')!.content) as {
          services: Record<string, { ports?: string[]; volumes?: string[]; env_file?: string[] }>;
          volumes?: Record<string, unknown>;
        };
        const web = compose.services[v.version.startsWith('3') ? 'airflow-apiserver' : 'airflow-webserver']!;
        expect(web.ports).toEqual(['8080:8080']);
        if (v.database === 'managed') {
          expect(compose.services.postgres!.volumes).toEqual(['/data/postgres:/var/lib/postgresql/data']);
          expect(Object.keys(compose.volumes ?? {})).not.toContain('postgres-db');
        } else expect(compose.services.postgres).toBeUndefined();
        // Every Airflow service takes its secrets from its own env file, which fetch-secrets.sh writes.
        const recipe = JSON.parse(hostFile(b, 'env-recipe.json')!.content) as { envFiles: { path: string; env: { name: string; parts: unknown[] }[] }[] };
        const written = new Set(recipe.envFiles.map((f) => f.path));
        for (const [service, body] of Object.entries(compose.services))
          if (service.startsWith('airflow-'))
            // Flower's one secret, the broker, is the plain URL of the Redis on the host unless the spec has its own.
            expect(body.env_file, service).toEqual(
              service === 'airflow-flower' && !written.has(`secrets/${service}.env`) ? undefined : [`secrets/${service}.env`],
            );
        const webFile = `secrets/${v.version.startsWith('3') ? 'airflow-apiserver' : 'airflow-webserver'}.env`;
        const env = recipe.envFiles.find((f) => f.path === webFile)!.env;
        expect(env.find((e) => e.name === 'AIRFLOW__CORE__FERNET_KEY')!.parts).toEqual([{ ssm: '/ec2/fernet_key' }]);
        expect(env.find((e) => e.name === (v.version.startsWith('3') ? 'AIRFLOW__API__SECRET_KEY' : 'AIRFLOW__WEBSERVER__SECRET_KEY'))!.parts).toEqual([
          { ssm: '/ec2/api_secret_key' },
        ]);
        if (v.version.startsWith('3')) expect(env.find((e) => e.name === 'AIRFLOW__API_AUTH__JWT_SECRET')!.parts).toEqual([{ ssm: '/ec2/jwt_secret' }]);
      }
    });
  });

  describe('boot order and retries', () => {
    /** A unit's `Key=value` lines as key → values (comments and sections dropped). */
    const unitSettings = (text: string) => {
      const settings: Record<string, string[]> = {};
      for (const line of text.split('\n')) {
        const match = /^([A-Za-z]+)=(.*)$/.exec(line);
        if (match) settings[match[1]!] = [...(settings[match[1]!] ?? []), match[2]!];
      }
      return settings;
    };

    it.skipIf(!systemd)(`systemd-analyze verify accepts airflow.service and docker.service with its drop-in${skipped('systemd-analyze', systemd)}`, () => {
      for (const [v, b] of built) {
        const units = ['/etc/systemd/system/airflow.service', '/etc/systemd/system/docker.service'];
        const result = verifyUnits(b.host, units);
        // systemd before 254 (Debian 12's 252) does not know the back-off steps; Ubuntu 24.04's 255 does.
        const unknown = systemd! < 254 ? /^.*Unknown key '(RestartSteps|RestartMaxDelaySec)' in section \[Service\], ignoring\.$/ : /^$/;
        const output = result.output.split('\n').filter((line) => line && !unknown.test(line));
        expect(output, name(v)).toEqual([]);
        expect(result.status, `${name(v)}: ${result.output}`).toBe(0);
      }
    });

    it('starts Airflow after Docker, the network, the data volume and the secrets, and retries a failed start with a back-off', () => {
      for (const [v, b] of built) {
        const unit = unitSettings(hostFile(b, 'airflow.service')!.content);
        expect(unit.Requires, name(v)).toEqual(['docker.service']);
        expect(unit.After, name(v)).toEqual(['docker.service network-online.target']);
        expect(unit.RequiresMountsFor, name(v)).toEqual(v.database === 'managed' ? ['/data'] : undefined);
        expect(unit.ExecStartPre, name(v)).toEqual(['/opt/airflow/fetch-secrets.sh']);
        expect(unit.Type, name(v)).toEqual(['oneshot']);
        expect(unit.Restart, name(v)).toEqual(['on-failure']);
        expect(unit.RestartSec, name(v)).toEqual(['30s']);
        expect(unit.RestartMaxDelaySec, name(v)).toEqual(['10min']);
        expect(unit.ExecReload, name(v)).toEqual(['/opt/airflow/fetch-secrets.sh', '/usr/bin/docker compose up --detach --remove-orphans']);
      }
    });

    it('makes dockerd wait for the data volume, and leaves the containers of a clean stop to airflow.service', () => {
      for (const [v, b] of built) {
        const dropIn = b.host.find((f) => f.path === '/etc/systemd/system/docker.service.d/afc-airflow-data.conf');
        if (v.database === 'managed') expect(unitSettings(dropIn!.content), name(v)).toEqual({ RequiresMountsFor: ['/data'] });
        else expect(dropIn, name(v)).toBeUndefined();
        const compose = parse(hostFile(b, 'docker-compose.yaml')!.content) as { services: Record<string, { restart?: string }> };
        // Every long-running service; one-shot ones (airflow-init, a first DAG sync) have no restart policy.
        for (const [service, body] of Object.entries(compose.services))
          expect(body.restart, `${name(v)} ${service}`).toBe(service.endsWith('-init') ? undefined : 'unless-stopped');
      }
    });
  });

  it('delivers a changed bundle to the running instance through an SSM document, and never replaces or stops it for one', async () => {
    for (const [v, b] of built) {
      const main = await parseHcl(join(b.dir, 'main.tf'));
      const blocks = blocksOf(main);
      const body = (type: string, name: string) => blocks.find((x) => x.type === type && x.name === name)!.body as Record<string, unknown>;
      const instance = body('aws_instance', 'host');
      expect(instance.user_data_base64, name(v)).toBe('${local.user_data}');
      expect(instance.user_data_replace_on_change, name(v)).toBe(false);
      expect((instance.lifecycle as { ignore_changes: string[] }[])[0]!.ignore_changes, name(v)).toEqual(['${ami}', '${user_data_base64}']);
      const locals = Object.assign({}, ...(main.locals as Record<string, unknown>[])) as Record<string, unknown>;
      expect(locals.user_data, name(v)).toBe('${base64gzip(file("${path.module}/cloud-init.yaml"))}');
      const document = body('aws_ssm_document', 'bundle');
      expect(document, name(v)).toMatchObject({ name: 'ec2-airflow-bundle', document_type: 'Command', content: '${jsonencode(local.bundle_document)}' });
      const step = (locals.bundle_document as { mainSteps: { action: string; inputs: { runCommand: string[] } }[] }).mainSteps[0]!;
      expect(step.action).toBe('aws:runShellScript');
      expect(step.inputs.runCommand, name(v)).toEqual([
        'set -eu',
        'cloud-init status --wait >/dev/null || true',
        'bundle="$(mktemp)"',
        'echo ${local.user_data} | base64 -d | gunzip >"$bundle"',
        'cloud-init --file "$bundle" single --name write_files --frequency always',
        'rm -f "$bundle"',
        '/opt/airflow/apply-bundle.sh',
      ]);
      const association = body('aws_ssm_association', 'bundle');
      expect(association, name(v)).toMatchObject({
        name: '${aws_ssm_document.bundle.name}',
        document_version: '${aws_ssm_document.bundle.latest_version}',
        targets: [{ key: 'InstanceIds', values: ['${aws_instance.host.id}'] }],
      });
      const apply = hostFile(b, 'apply-bundle.sh')!.content;
      expect(apply, name(v)).toContain('systemctl reload-or-restart airflow.service\n');
      expect(apply, name(v)).toContain(`systemctl enable --now airflow.service${v.database === 'managed' ? ' airflow-backup.timer' : ''}\n`);
    }
  });

  it.skipIf(!hasCloudInit)(`cloud-init single rewrites the files of write_files from the document's bundle${skipped('cloud-init', hasCloudInit)}`, () => {
    const b = built.get(variants[0]!)!;
    const dir = mkdtempSync(join(tmpdir(), 'afc-ec2-single-'));
    // The bundle as the document decodes it, its paths moved under a folder of this run.
    const config = cloudConfigOf(b.files['cloud-init.yaml']!);
    const moved = { write_files: config.write_files.map((f) => ({ ...f, path: join(dir, f.path) })) };
    writeFileSync(join(dir, 'bundle.yaml'), `#cloud-config\n${JSON.stringify(moved)}\n`);
    const result = spawnSync('cloud-init', ['--file', join(dir, 'bundle.yaml'), 'single', '--name', 'write_files', '--frequency', 'always'], {
      encoding: 'utf8',
    });
    expect(result.status, `${result.stdout}${result.stderr}`).toBe(0);
    for (const f of config.write_files) {
      expect(readFileSync(join(dir, f.path), 'utf8'), f.path).toBe(f.content);
      expect(statSync(join(dir, f.path)).mode & 0o777, f.path).toBe(Number.parseInt(f.permissions, 8));
    }
  });

  it('builds the same bytes twice', async () => {
    const v = variants[5]!;
    const again = await synthInTemp(ec2Target, spec(v), {}, undefined, { offline: true });
    expect(Object.fromEntries(Object.keys(built.get(v)!.files).map((f) => [f, again.read(f)]))).toEqual(built.get(v)!.files);
  });
});

describe('ec2 target rules', () => {
  const base = spec({ version: '3.1.3', executor: 'LocalExecutor', database: 'managed', ssh: false, dags: 'image' });
  const codes = async (text: string) =>
    (await synthInTemp(ec2Target, text, {}, undefined, { offline: true })).result.problems.map((d) => `${d.severity} ${d.code} ${d.message}`);

  it("points Airflow's links at network.hostname on the UI's plain-HTTP port", async () => {
    const text = base.replace('network:\n', 'network:\n  hostname: airflow.acme.io\n');
    const built = await synthInTemp(ec2Target, text, {}, undefined, { offline: true });
    const host = cloudConfigOf(built.read('cloud-init.yaml')).write_files;
    const compose = parse(host.find((f) => f.path.endsWith('/docker-compose.yaml'))!.content) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    expect(compose.services['airflow-scheduler']!.environment!.AIRFLOW__API__BASE_URL).toBe('http://airflow.acme.io:8080');
  });

  it('refuses KubernetesExecutor, DAGs from a host folder and secrets that are not in SSM, before writing', async () => {
    const text = base
      .replace('executor: LocalExecutor', 'executor: KubernetesExecutor\ndags: { path: ./dags }')
      .replace('fernetKey: { ssm: /ec2/fernet_key }', 'fernetKey: { env: FERNET }')
      .replace('warehouse: { ssm: /ec2/conn/warehouse }', 'warehouse: { value: "postgresql://u:p@h/db" }');
    const b = await synthInTemp(ec2Target, text, {}, undefined, { offline: true });
    expect(b.errors.map((d) => d.code).sort()).toEqual(['AFC2022', 'AFC2022', 'AFC3203']);
    expect(b.errors.filter((d) => d.code === 'AFC2022').map((d) => `${d.line}:${d.column} ${d.message} | ${d.hint}`)).toEqual([
      '5:13 ec2 cannot run KubernetesExecutor: the host runs Airflow with docker compose, which has no Kubernetes API | ec2 runs LocalExecutor or CeleryExecutor',
      '6:15 ec2 cannot take DAGs from dags.path: the host cannot see a folder beside the spec | ec2 takes DAGs from dags.image, dags.git or dags.s3',
    ]);
    expect(b.errors.find((d) => d.code === 'AFC3203')!.message).toBe(
      'the EC2 host reads secrets from SSM at boot; secrets.fernetKey, connections.warehouse are not SSM references',
    );
    expect(b.result.ok).toBe(false);
  });

  it('warns about what one host ignores, a Postgres without backups, and a UI open to the internet', async () => {
    const text = base
      .replace('    backup: { s3: "s3://acme-backups/ec2/" }\n', '')
      .replace('allowedCidrs: [203.0.113.0/24]', 'allowedCidrs: [0.0.0.0/0]\n  tls: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }');
    expect(await codes(text)).toEqual([
      "warning AFC3205 the host's Postgres has no daily backup",
      'warning AFC3206 the UI is open to the whole internet over plain HTTP',
      'warning AFC3204 ec2 ignores network.tls: put a TLS-terminating proxy in front of the published port',
    ]);
  });
});

/**
 * The host's side, run here: fetch-secrets.sh and render-env.jq, from the
 * cloud-config, with `docker run amazon/aws-cli` and the metadata service
 * faked. The .env they write must be the compose target's, byte for byte,
 * for the same spec and the same parameter values (read from moto).
 */
describe.skipIf(!hasJq)(`fetch-secrets.sh on the host${skipped('jq', hasJq)}`, () => {
  const values: Record<string, string> = {
    '/p/fernet_key': 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=',
    '/p/api_secret_key': 'with space and $dollar',
    '/p/jwt_secret': 'it\'s "quoted" \\ back',
    '/p/admin_password': 'p@ss!',
    '/p/db_password': "p@ss w0rd!*'()é/+%",
    '/p/git_key': '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnotARealKey0123456789\n-----END OPENSSH PRIVATE KEY-----\n',
    '/p/conn/warehouse': 'postgresql://u:p%40ss@warehouse:5432/db?sslmode=require',
    ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`/p/var/v${i}`, `value-${i}`])),
  };
  const text = `apiVersion: afc/v1
name: parity
airflow:
  version: "3.1.3"
  env: { TOKEN: { ssm: /p/api_secret_key } }
dags:
  git: { repo: "git@github.com:acme/dags.git", sshKey: { ssm: /p/git_key }, knownHosts: "github.com ssh-ed25519 AAAA" }
database:
  external: { host: db.internal, user: "air flow", password: { ssm: /p/db_password }, sslmode: require }
secrets:
  fernetKey: { ssm: /p/fernet_key }
  apiSecretKey: { ssm: /p/api_secret_key }
  jwtSecret: { ssm: /p/jwt_secret }
  adminUser: { email: ops@acme.io, password: { ssm: /p/admin_password } }
connections:
  warehouse: { ssm: /p/conn/warehouse }
variables:
${Array.from({ length: 12 }, (_, i) => `  v${i}: { ssm: /p/var/v${i} }`).join('\n')}
targets:
  ec2: { region: eu-west-1 }
`;
  useMoto(() => putSecureStrings(values));
  const asRoot = process.getuid?.() === 0;

  /** The bundle folder with fake `docker` and `curl` first on PATH; `calls` lists the names of each GetParameters call. */
  async function hostWith(parameters: Record<string, string>) {
    const b = await synthInTemp(ec2Target, text);
    expect(b.errors).toEqual([]);
    const host = cloudConfigOf(b.read('cloud-init.yaml')).write_files;
    const dir = mkdtempSync(join(tmpdir(), 'afc-host-'));
    const bin = join(dir, 'bin');
    const bundle = join(dir, 'opt-airflow');
    mkdirSync(bin);
    mkdirSync(bundle);
    for (const f of host.filter((f) => f.path.startsWith('/opt/airflow/')))
      writeFileSync(join(bundle, basename(f.path)), f.content, { mode: Number.parseInt(f.permissions, 8) });
    writeFileSync(join(dir, 'ssm.json'), JSON.stringify(parameters));
    writeFileSync(join(bin, 'curl'), '#!/bin/bash\ncase "$*" in *api/token*) echo token ;; *placement/region*) echo eu-west-1 ;; *) exit 22 ;; esac\n');
    // `docker run … amazon/aws-cli ssm get-parameters --with-decryption --names a b --output json`, answered from ssm.json.
    writeFileSync(
      join(bin, 'docker'),
      `#!/bin/bash
names=(); on=0
for a in "$@"; do
  case "$a" in --names) on=1; continue ;; --*) on=0 ;; esac
  if [ $on = 1 ]; then names+=("$a"); fi
done
printf '%s\\n' "\${names[*]}" >>"${join(dir, 'calls')}"
jq -n --slurpfile ssm "${join(dir, 'ssm.json')}" '{Parameters: [$ARGS.positional[] | select($ssm[0][.] != null) | {Name: ., Value: $ssm[0][.]}], InvalidParameters: [$ARGS.positional[] | select($ssm[0][.] == null)]}' --args "\${names[@]}"
`,
    );
    chmodSync(join(bin, 'curl'), 0o755);
    chmodSync(join(bin, 'docker'), 0o755);
    const run = () =>
      spawnSync('bash', [join(bundle, 'fetch-secrets.sh')], {
        encoding: 'utf8',
        env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, RUNTIME_DIRECTORY: dir },
      });
    return {
      bundle,
      run,
      calls: () =>
        readFileSync(join(dir, 'calls'), 'utf8')
          .trim()
          .split('\n')
          .map((line) => line.split(' ')),
    };
  }

  it.skipIf(!asRoot)(
    `writes the .env and the git key the compose target writes, 0600, in ceil(N/10) calls${asRoot ? '' : ' (skipped: chown to the Airflow user needs root)'}`,
    async () => {
      const compose = await synthInTemp(composeTarget, text.replace('targets:\n  ec2: { region: eu-west-1 }\n', ''));
      expect(compose.errors).toEqual([]);
      const host = await hostWith(values);
      const result = host.run();
      expect(result.status, result.stderr).toBe(0);
      const lines = (file: string) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .filter((l) => l && !l.startsWith('#'));
      // Every env file the compose target writes, line for line, and no other.
      const envFiles = (root: string) => ['.env', ...readdirSync(join(root, 'secrets')).map((f) => `secrets/${f}`)].sort();
      expect(envFiles(host.bundle)).toEqual(envFiles(compose.outDir));
      expect(envFiles(host.bundle).length).toBeGreaterThan(5);
      for (const file of envFiles(host.bundle)) {
        expect(lines(join(host.bundle, file)), file).toEqual(lines(join(compose.outDir, file)));
        expect(statSync(join(host.bundle, file)).mode & 0o777, file).toBe(0o600);
      }
      expect(readFileSync(join(host.bundle, 'git-ssh-key'), 'utf8')).toBe(compose.read('git-ssh-key'));
      expect(statSync(join(host.bundle, '.env')).mode & 0o777).toBe(0o600);
      expect(statSync(join(host.bundle, 'git-ssh-key')).mode & 0o777).toBe(0o600);
      expect(statSync(join(host.bundle, 'git-ssh-key')).uid).toBe(50000);
      const calls = host.calls();
      expect(Object.keys(values)).toHaveLength(19);
      expect(calls.map((c) => c.length)).toEqual([10, 9]);
      expect(calls.flat().sort()).toEqual(Object.keys(values).sort());
    },
  );

  it('fails on a missing parameter, naming it and no value, and leaves the previous .env alone', async () => {
    const host = await hostWith(Object.fromEntries(Object.entries(values).filter(([k]) => k !== '/p/jwt_secret')));
    writeFileSync(join(host.bundle, '.env'), 'PREVIOUS=1\n');
    const result = host.run();
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('SSM parameters not found: /p/jwt_secret');
    for (const value of Object.values(values)) expect(`${result.stdout}${result.stderr}`).not.toContain(value);
    expect(readFileSync(join(host.bundle, '.env'), 'utf8')).toBe('PREVIOUS=1\n');
  });

  it('checks at build time that the parameters exist, and no value reaches any file', async () => {
    const ok = await synthInTemp(ec2Target, text);
    expect(ok.errors).toEqual([]);
    const everything = Object.values(ok.tree()).join('\n');
    for (const value of Object.values(values)) if (value.length > 8) expect(everything).not.toContain(value);
    const missing = await synthInTemp(ec2Target, text.replace('/p/conn/warehouse', '/p/conn/nowhere'));
    expect(missing.errors.map((d) => d.code)).toEqual(['AFC4005']);
    expect(missing.result.ok).toBe(false);
  });
});
