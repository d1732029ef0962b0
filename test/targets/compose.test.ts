import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assert, describe, expect, it } from 'vitest';
import { composeTarget } from '../../targets/compose/index.ts';
import { synthInTemp } from '../support/synth.ts';
import { composeSchemaErrors, dockerComposeConfig } from '../support/compose-validators.ts';
import { haveTool, skipReason } from '../support/tools.ts';
import { AWS_CLI_IMAGE, GIT_SYNC_IMAGE, gitSyncHealthCommand, s3SyncCommand, s3SyncLoop } from '../../compiler/dags/sync.ts';
import type { ComposeService } from '../../targets/compose/compose-types.ts';
import { AWS_PASS_THROUGH } from '../../targets/compose/dags.ts';

const S3_DAGS = { kind: 's3', bucket: 'acme-dags', prefix: 'dags/', period: '1m' } as const;

const hasDockerCompose = haveTool('docker-compose', ['version']);

const FILES = {
  'secrets/fernet_key': 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=\n',
  'secrets/api_secret_key': 'api-secret-key-0123456789abcdef0123456789\n',
  'secrets/jwt_secret': 'jwt-secret-0123456789abcdef0123456789abcdef\n',
  'secrets/admin_password': "p@ss w0rd'$HOME\n",
  'secrets/db_password': 'db-password-0123456789\n',
  'secrets/git_key': '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnotARealKey0123456789\n-----END OPENSSH PRIVATE KEY-----\n',
  'dags/hello.py': 'print("hello")\n',
};

type Dags = 'image' | 'path' | 'git' | 's3';
interface Variant {
  version: '2.10.5' | '3.1.3';
  executor: 'LocalExecutor' | 'CeleryExecutor';
  dags: Dags;
  external?: boolean;
}

function spec(v: Variant): string {
  const three = v.version.startsWith('3');
  const dags = {
    image: '',
    path: 'dags: { path: ./dags }\n',
    git: 'dags:\n  git: { repo: "git@github.com:acme/dags.git", subPath: dags, sshKey: { file: ./secrets/git_key }, knownHosts: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" }\n',
    s3: 'dags: { s3: { bucket: acme-dags, prefix: dags/, period: 1m } }\n',
  }[v.dags];
  const database = v.external
    ? 'database:\n  external: { host: db.internal, user: airflow, password: { file: ./secrets/db_password }, sslmode: require }\n'
    : 'database:\n  managed: { password: { file: ./secrets/db_password } }\n';
  const broker =
    v.executor !== 'CeleryExecutor' ? '' : v.external ? 'broker:\n  external: { url: { env: AFC_TEST_BROKER_URL } }\n' : 'broker: { managed: {} }\n';
  const celery =
    v.executor === 'CeleryExecutor' ? 'components:\n  workers: { replicas: 3, concurrency: 8, queues: [default, heavy] }\n  flower: { enabled: true }\n' : '';
  return `apiVersion: afc/v1
name: matrix
airflow:
  version: "${v.version}"
  executor: ${v.executor}
  config:
    core: { load_examples: false }
${dags}${database}${broker}${celery}secrets:
  fernetKey: { file: ./secrets/fernet_key }
  apiSecretKey: { file: ./secrets/api_secret_key }
${three ? '  jwtSecret: { file: ./secrets/jwt_secret }\n' : ''}  adminUser: { email: ops@acme.io, password: { file: ./secrets/admin_password } }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
variables:
  env_name: test
`;
}

const variants: Variant[] = [];
for (const version of ['2.10.5', '3.1.3'] as const) {
  for (const executor of ['LocalExecutor', 'CeleryExecutor'] as const) {
    for (const dags of ['image', 'path', 'git', 's3'] as const) variants.push({ version, executor, dags });
  }
  variants.push({ version, executor: 'CeleryExecutor', dags: 'image', external: true });
}
process.env.AFC_TEST_BROKER_URL = 'rediss://:broker-password-0123@cache.internal:6379/0';

const secretValues = [...Object.values(FILES).map((v) => v.trim()), process.env.AFC_TEST_BROKER_URL].filter((v) => v.length > 8 && !v.startsWith('print'));

describe('compose target', () => {
  describe.each(variants)('Airflow $version, $executor, DAGs from $dags, external $external', (variant) => {
    let built: Awaited<ReturnType<typeof synthInTemp>> | undefined;
    const build = async () => (built ??= await synthInTemp(composeTarget, spec(variant), FILES));

    it.skipIf(!hasDockerCompose)(
      `is accepted by docker-compose config -q${hasDockerCompose ? '' : ` (skipped: ${skipReason('docker-compose')})`}`,
      async () => {
        const config = dockerComposeConfig((await build()).outDir);
        expect(config.status, config.output).toBe(0);
      },
    );

    it("renders a compose file the compose schema accepts, with secrets only in each service's own env file", async () => {
      const built = await build();
      expect(built.errors).toEqual([]);
      const text = built.read('docker-compose.yaml');
      expect(text).not.toMatch(/^version:/m);
      expect(composeSchemaErrors(text)).toEqual([]);
      for (const value of secretValues) expect(text).not.toContain(value);
      expect(statSync(join(built.outDir, '.env')).mode & 0o777).toBe(0o600);
      expect(built.read('.gitignore')).toContain('/.env\n');
      // .env is only for compose itself: the project name, no secret.
      expect(built.read('.env').replace(/^#.*\n/gm, '')).toMatch(/^COMPOSE_PROJECT_NAME=[^\n]*\n$/);

      const compose = parse(text) as {
        services: Record<
          string,
          { command?: string[]; env_file?: string[]; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> }
        >;
      };
      const airflow = Object.entries(compose.services).filter(([name]) => name.startsWith('airflow-'));
      const three = variant.version.startsWith('3');
      const names = Object.keys(compose.services);
      expect(names).toContain(three ? 'airflow-apiserver' : 'airflow-webserver');
      expect(names.includes('airflow-dag-processor')).toBe(three);
      expect(names.includes('airflow-worker')).toBe(variant.executor === 'CeleryExecutor');
      for (const [name, service] of airflow) {
        // Flower may hold no secret: its one, the broker, is the plain URL of the Redis that compose runs unless the spec has its own.
        if (name === 'airflow-flower' && !existsSync(join(built.outDir, `secrets/${name}.env`))) expect(service.env_file, name).toBeUndefined();
        else {
          expect(service.env_file, name).toEqual([`secrets/${name}.env`]);
          expect(statSync(join(built.outDir, `secrets/${name}.env`)).mode & 0o777, name).toBe(0o600);
          expect(built.read('.gitignore'), name).toContain(`/secrets/${name}.env\n`);
        }
        // The init service runs the database steps, with the database's settings only.
        if (name !== 'airflow-init') expect(service.environment?.AIRFLOW__CORE__EXECUTOR, name).toBe(variant.executor);
        if (name !== 'airflow-init') expect(service.depends_on?.['airflow-init'], name).toEqual({ condition: 'service_completed_successfully' });
        if (three && name !== 'airflow-init')
          expect(service.environment?.AIRFLOW__CORE__EXECUTION_API_SERVER_URL, name).toBe('http://airflow-apiserver:8080/execution/');
      }
      const web = three ? 'airflow-apiserver' : 'airflow-webserver';
      const env = built.read(`secrets/${web}.env`);
      for (const key of [
        'AIRFLOW__CORE__FERNET_KEY',
        three ? 'AIRFLOW__API__SECRET_KEY' : 'AIRFLOW__WEBSERVER__SECRET_KEY',
        ...(three ? ['AIRFLOW__API_AUTH__JWT_SECRET'] : []),
      ]) {
        expect(env.match(new RegExp(`^${key}=`, 'gm')), key).toHaveLength(1);
      }
      expect(env).toContain(`AIRFLOW__CORE__FERNET_KEY=${FILES['secrets/fernet_key'].trim()}\n`);
    });
  });

  it('builds the same bytes twice', async () => {
    const first = await synthInTemp(composeTarget, spec({ version: '3.1.3', executor: 'CeleryExecutor', dags: 'git' }), FILES);
    const second = await synthInTemp(composeTarget, spec({ version: '3.1.3', executor: 'CeleryExecutor', dags: 'git' }), FILES);
    expect(second.tree()).toEqual(first.tree());
  });

  it.each([
    ['17', '/var/lib/postgresql/data'],
    ['18', '/var/lib/postgresql'],
    ['19.1', '/var/lib/postgresql'],
  ])('mounts Postgres %s data at the image VOLUME %s (18 moved it and versioned PGDATA)', async (version, mountPath) => {
    const text = spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'image' }).replace(
      'managed: { password:',
      `managed: { version: "${version}", password:`,
    );
    const built = await synthInTemp(composeTarget, text, FILES);
    const compose = parse(built.read('docker-compose.yaml')) as { services: Record<string, { image?: string; volumes?: string[] }> };
    expect(compose.services.postgres?.image).toBe(`public.ecr.aws/docker/library/postgres:${version}`);
    expect(compose.services.postgres?.volumes).toEqual([`postgres-db:${mountPath}`]);
  });

  it('quotes env file values so compose reads them literally', async () => {
    const built = await synthInTemp(composeTarget, spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'image' }), FILES);
    expect(built.read('secrets/airflow-init.env')).toContain(`_AFC_ADMIN_PASSWORD="p@ss w0rd'\\$HOME"\n`);
    // Who builds is not part of the output: AIRFLOW_UID comes from the shell that runs compose, or is the image's.
    expect(built.read('.env')).not.toContain('AIRFLOW_UID');
  });

  it.skipIf(!hasDockerCompose)(
    `writes a dollar sign of the spec so that compose keeps it${hasDockerCompose ? '' : ` (skipped: ${skipReason('docker-compose')})`}`,
    async () => {
      const text = spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'git' })
        .replace('env_name: test', 'price: "costs $5, not ${HOME}"')
        .replace('subPath: dags,', 'subPath: dags, branch: "rel$ease",');
      const built = await synthInTemp(composeTarget, text, FILES);
      expect(built.errors).toEqual([]);
      const compose = built.read('docker-compose.yaml');
      expect(compose).toContain('AIRFLOW_VAR_PRICE: costs $$5, not $${HOME}');
      expect(compose).toContain('GITSYNC_REF: rel$$ease');
      const config = spawnSync('docker-compose', ['config'], { cwd: built.outDir, encoding: 'utf8', env: { ...process.env, AIRFLOW_UID: '50000' } });
      expect(config.stderr).not.toContain('is not set');
      expect(config.stdout).toContain('costs $$5, not $${HOME}');
    },
  );

  it('refuses KubernetesExecutor before writing anything', async () => {
    const built = await synthInTemp(
      composeTarget,
      spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'image' }).replace('executor: LocalExecutor', 'executor: KubernetesExecutor'),
      FILES,
    );
    expect(built.errors.map((d) => `${d.code} ${d.message} | ${d.hint}`)).toEqual([
      'AFC2022 compose cannot run KubernetesExecutor: it has no Kubernetes API to start task pods | compose runs LocalExecutor or CeleryExecutor',
    ]);
    expect(existsSync(built.outDir)).toBe(false);
  });

  it('warns, naming the field, about what compose ignores', async () => {
    const text = spec({ version: '3.1.3', executor: 'CeleryExecutor', dags: 'image' })
      .replace('workers: { replicas: 3', 'workers: { autoscaling: { max: 5 }, replicas: 3')
      .replace('broker: { managed: {} }', 'broker: { managed: { password: { env: AFC_TEST_BROKER_URL } } }');
    const built = await synthInTemp(composeTarget, text, FILES);
    expect(built.result.problems.map((d) => `${d.code} ${d.message}`)).toEqual([
      "AFC3102 compose ignores broker.managed.password: Redis runs without one, reachable only on the deployment's private network",
      'AFC3102 compose ignores components.workers.autoscaling: one host runs a fixed 3 workers',
    ]);
  });

  it('says that git-sync reads the SSH key as AIRFLOW_UID, which the output does not set', async () => {
    const text = spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'git' });
    const built = await synthInTemp(composeTarget, text, FILES);
    expect(built.result.problems.map((d) => [d.severity, d.code, d.line, d.hint])).toEqual([
      [
        'warning',
        'AFC3104',
        text.split('\n').findIndex((l) => l.includes('sshKey')) + 1,
        'on Linux, start compose as that user: AIRFLOW_UID=$(id -u) docker compose up (Docker Desktop needs nothing)',
      ],
    ]);
    expect(built.read('.env')).not.toContain('AIRFLOW_UID');
    expect(built.read('docker-compose.yaml')).toContain('user: ${AIRFLOW_UID:-50000}:0');
  });

  it('starts Airflow after one S3 sync, with AWS credentials passed through from the shell by name, and says so', async () => {
    const text = spec({ version: '3.1.3', executor: 'CeleryExecutor', dags: 's3' });
    const built = await synthInTemp(composeTarget, text, FILES);
    expect(built.result.problems.map((d) => [d.severity, d.code, d.line])).toEqual([
      ['warning', 'AFC3105', text.split('\n').findIndex((l) => l.includes('s3:')) + 1],
    ]);
    const compose = parse(built.read('docker-compose.yaml')) as { services: Record<string, ComposeService> };
    const { 'dags-sync-init': init, 'dags-sync': loop } = compose.services;
    expect(init?.image).toBe(AWS_CLI_IMAGE);
    expect(init?.command).toEqual([s3SyncCommand(S3_DAGS, '/dags')]);
    expect(init?.restart).toBeUndefined();
    // compose reads `$$` as a dollar sign: the loop compose runs is the shared one, with its SIGTERM trap.
    expect(loop?.command?.map((c) => c.replaceAll('$$', '$'))).toEqual([s3SyncLoop(S3_DAGS, '/dags')]);
    expect(loop?.depends_on).toEqual({ 'dags-sync-init': { condition: 'service_completed_successfully' } });
    for (const service of [init, loop]) expect(service?.environment).toEqual(AWS_PASS_THROUGH);
    expect(built.read('docker-compose.yaml')).not.toMatch(/AWS_[A-Z_]+=/);
    for (const [name, service] of Object.entries(compose.services).filter(([n]) => n.startsWith('airflow-') && n !== 'airflow-init'))
      expect(service.depends_on?.['dags-sync-init'], name).toEqual({ condition: 'service_completed_successfully' });
    // The migration needs no DAGs.
    expect(compose.services['airflow-init']?.depends_on?.['dags-sync-init']).toBeUndefined();
  });

  it("starts Airflow after one git sync, and checks the sidecar's endpoint", async () => {
    const built = await synthInTemp(composeTarget, spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'git' }), FILES);
    const compose = parse(built.read('docker-compose.yaml')) as { services: Record<string, ComposeService> };
    const { 'git-sync-init': init, 'git-sync': loop } = compose.services;
    for (const service of [init, loop]) expect(service?.image).toBe(GIT_SYNC_IMAGE);
    expect((init?.environment as Record<string, string> | undefined)?.GITSYNC_ONE_TIME).toBe('true');
    expect((loop?.environment as Record<string, string> | undefined)?.GITSYNC_HTTP_BIND).toBe(':8000');
    expect(loop?.healthcheck?.test.map((c) => c.replaceAll('$$', '$'))).toEqual(['CMD', ...gitSyncHealthCommand()]);
    expect(loop?.depends_on).toEqual({ 'git-sync-init': { condition: 'service_completed_successfully' } });
    for (const [name, service] of Object.entries(compose.services).filter(([n]) => n.startsWith('airflow-') && n !== 'airflow-init'))
      expect(service.depends_on?.['git-sync-init'], name).toEqual({ condition: 'service_completed_successfully' });
  });

  it('pulls the image as image.pullPolicy says, and names what else it ignores', async () => {
    const text = spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'image' })
      .replace('  executor: LocalExecutor', '  executor: LocalExecutor\n  image: { pullPolicy: Always }')
      .replace('variables:', 'logging: { retentionDays: 7 }\nnetwork: { hostname: airflow.example.com }\nvariables:');
    const built = await synthInTemp(composeTarget, text, FILES);
    expect(built.result.problems.map((d) => `${d.code} ${d.message}`)).toEqual([
      'AFC3102 compose ignores logging.retentionDays: task logs stay in a volume on the host (logging.remote ships them to S3)',
      'AFC3102 compose ignores network.hostname: compose publishes a port; point the name at the host yourself',
    ]);
    const compose = parse(built.read('docker-compose.yaml')) as { services: Record<string, { pull_policy?: string }> };
    for (const [name, service] of Object.entries(compose.services)) if (name.startsWith('airflow-')) expect(service.pull_policy, name).toBe('always');
  });

  it('needs SSM values, so --offline fails naming the parameters, and writes nothing', async () => {
    const built = await synthInTemp(
      composeTarget,
      spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'image' }).replace(
        'fernetKey: { file: ./secrets/fernet_key }',
        'fernetKey: { ssm: /matrix/fernet_key }',
      ),
      FILES,
      undefined,
      { offline: true },
    );
    expect(built.errors.map((d) => `${d.code}@${d.line}:${d.column}`)).toEqual(['AFC4007@11:14']);
    expect(built.errors[0]!.message).toBe('--offline: the compose target writes secret values, so it needs SSM parameters /matrix/fernet_key');
    expect(existsSync(built.outDir)).toBe(false);
  });

  it('fails the build when a secret value would land in a reviewable file', async () => {
    const leaky = spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'image' }).replace(
      'env_name: test',
      `env_name: ${FILES['secrets/fernet_key'].trim()}`,
    );
    const built = await synthInTemp(composeTarget, leaky, FILES);
    expect(built.errors.map((d) => d.code)).toEqual(['AFC4010']);
    expect(built.errors[0]!.message).toBe('a secret value appears in docker-compose.yaml, which is not a secret file');
    expect(existsSync(built.outDir)).toBe(false);
  });

  it('keeps the previous output when a build breaks, prunes what it no longer writes, and keeps foreign files', async () => {
    const git = spec({ version: '3.1.3', executor: 'LocalExecutor', dags: 'git' });
    const built = await synthInTemp(composeTarget, git, FILES);
    writeFileSync(join(built.outDir, 'NOTES.md'), 'ours\n');
    const before = built.tree();

    // An unreadable secret (a folder where the file should be): the build fails and the output is untouched.
    rmSync(join(built.dir, 'secrets/git_key'));
    mkdirSync(join(built.dir, 'secrets/git_key'));
    const { buildOutput } = await import('../../compiler/build/build.ts');
    const broken = await buildOutput({ file: join(built.dir, 'airflow.yaml'), target: composeTarget, outDir: built.outDir });
    expect(broken.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['AFC4002']);
    expect(built.tree()).toEqual(before);

    // DAGs from the image: the git files go, NOTES.md stays.
    writeFileSync(join(built.dir, 'airflow.yaml'), git.replace(/dags:\n {2}git: .*\n/, ''));
    const { writeOutput } = await import('../../compiler/write/write-output.ts');
    const rebuilt = await buildOutput({ file: join(built.dir, 'airflow.yaml'), target: composeTarget, outDir: built.outDir });
    assert(rebuilt.ok);
    writeOutput(built.outDir, rebuilt.files);
    const after = built.tree();
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['git-ssh-key', 'git-known-hosts', 'NOTES.md']));
    expect(
      Object.keys(after)
        .filter((f) => !f.startsWith('secrets/'))
        .sort(),
    ).toEqual(['.afc-manifest', '.env', '.gitignore', 'NOTES.md', 'README.md', 'docker-compose.yaml']);
    expect(readFileSync(join(built.outDir, 'NOTES.md'), 'utf8')).toBe('ours\n');
  });
});
