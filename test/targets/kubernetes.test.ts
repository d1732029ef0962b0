import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { eksTarget } from '../../targets/eks/index.ts';
import { kubernetesTarget } from '../../targets/kubernetes/index.ts';
import { buildInTemp } from '../support/build.ts';
import { manifestProblem, manifests } from '../support/kubernetes-validators.ts';
import { haveTool, skipReason } from '../support/tools.ts';

const hasKubectl = haveTool('kubectl', ['version', '--client']);

const FILES = {
  'secrets/fernet_key': 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=\n',
  'secrets/api_secret_key': 'api-secret-key-0123456789abcdef0123456789\n',
  'secrets/jwt_secret': 'jwt-secret-0123456789abcdef0123456789abcdef\n',
  'secrets/admin_password': 'admin-password-0123456789\n',
  'secrets/db_password': 'db-password-0123456789\n',
  'secrets/git_key': '-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAnotARealKey0123456789\n-----END OPENSSH PRIVATE KEY-----\n',
};

interface Variant {
  version: '2.10.5' | '3.1.3';
  executor: 'KubernetesExecutor' | 'CeleryExecutor';
  dags: 'image' | 'git' | 's3';
  externalSecrets: boolean;
}

function spec(v: Variant): string {
  const ref = (file: string, ssm: string) => (v.externalSecrets ? `{ ssm: /k8s/${ssm} }` : `{ file: ./secrets/${file} }`);
  const dags = {
    image: '',
    git: `dags:\n  git: { repo: "git@github.com:acme/dags.git", subPath: dags, sshKey: ${ref('git_key', 'git_key')}, knownHosts: "github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl" }\n`,
    s3: 'dags: { s3: { bucket: acme-dags, prefix: dags/ } }\n',
  }[v.dags];
  const celery = v.executor === 'CeleryExecutor' ? 'broker: { managed: {} }\ncomponents:\n  workers: { replicas: 2, autoscaling: { min: 1, max: 8 }, queues: [default, heavy] }\n  flower: { enabled: true }\n  webserver: { replicas: 2 }\n' : '';
  return `apiVersion: afc/v1
name: k8s
airflow:
  version: "${v.version}"
  executor: ${v.executor}
${dags}database:
  external: { host: db.internal, user: airflow, password: ${ref('db_password', 'db_password')}, sslmode: require }
${celery}secrets:
  fernetKey: ${ref('fernet_key', 'fernet_key')}
  apiSecretKey: ${ref('api_secret_key', 'api_secret_key')}
${v.version.startsWith('3') ? `  jwtSecret: ${ref('jwt_secret', 'jwt_secret')}\n` : ''}  adminUser: { email: ops@acme.io, password: ${ref('admin_password', 'admin_password')} }
logging:
  remote: { s3: "s3://acme-logs/k8s" }
connections:
  aws_default: { uri: "aws://?region_name=eu-west-1" }
network:
  hostname: airflow.acme.io
  allowedCidrs: [10.0.0.0/8]
  tls: { certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/abc" }
targets:
  eks:
    namespace: data
    serviceAccount: { roleArn: "arn:aws:iam::123456789012:role/airflow" }
    externalSecrets: { enabled: ${v.externalSecrets}, storeName: aws-ssm }
`;
}

const variants: Variant[] = [];
for (const version of ['2.10.5', '3.1.3'] as const)
  for (const executor of ['KubernetesExecutor', 'CeleryExecutor'] as const)
    for (const dags of ['image', 'git', 's3'] as const) for (const externalSecrets of [false, true]) variants.push({ version, executor, dags, externalSecrets });

type Obj = { kind: string; metadata: { name: string }; spec?: Record<string, unknown>; data?: Record<string, string>; stringData?: Record<string, string> };

/** Every object of every YAML file in the output, the pod template's Pod included. */
function objectsOf(outDir: string, read: (p: string) => string): Obj[] {
  const files = readdirSync(outDir).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
  const objects = files.flatMap((f) => manifests(read(f))) as Obj[];
  for (const cm of objects.filter((o) => o.kind === 'ConfigMap')) {
    if (cm.data?.['pod_template_file.yaml']) objects.push(parse(cm.data['pod_template_file.yaml']) as Obj);
  }
  return objects;
}

type Container = { name: string; image: string; envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[] };
function airflowContainers(objects: Obj[], image: string): { where: string; container: Container }[] {
  const out: { where: string; container: Container }[] = [];
  for (const o of objects) {
    const pod = (o.kind === 'Pod' ? o.spec : ((o.spec?.template as { spec?: Record<string, unknown> })?.spec)) as { containers?: Container[]; initContainers?: Container[] } | undefined;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) if (c.image === image) out.push({ where: `${o.kind}/${o.metadata.name}/${c.name}`, container: c });
  }
  return out;
}

describe('eks target', () => {
  describe.each(variants)('Airflow $version, $executor, DAGs from $dags, external secrets $externalSecrets', (variant) => {
    let built: Awaited<ReturnType<typeof buildInTemp>> | undefined;
    // External secrets need no value: those variants build --offline, as a CI job without AWS would.
    const build = async () => (built ??= await buildInTemp(eksTarget, spec(variant), FILES, undefined, { offline: variant.externalSecrets }));

    it('renders manifests that kubernetes-models validates', async () => {
      const b = await build();
      expect(b.errors).toEqual([]);
      const objects = objectsOf(b.outDir, b.read);
      expect(objects.map(manifestProblem).filter(Boolean)).toEqual([]);
      const kinds = new Set(objects.map((o) => o.kind));
      expect(kinds.has(variant.externalSecrets ? 'ExternalSecret' : 'Secret')).toBe(true);
      expect(kinds.has('ScaledObject')).toBe(variant.executor === 'CeleryExecutor');
      expect(kinds.has('Role')).toBe(variant.executor === 'KubernetesExecutor');
      expect(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name.replace(/-[0-9a-f]{8}$/, ''))).toEqual(['k8s-migrate-db', 'k8s-create-user']);
      if (!variant.externalSecrets) expect(statSync(join(b.outDir, 'secret.yaml')).mode & 0o777).toBe(0o600);
    });

    it('gives every Airflow container, task pods included, the same ConfigMap and Secret', async () => {
      const b = await build();
      const objects = objectsOf(b.outDir, b.read);
      const containers = airflowContainers(objects, 'apache/airflow:' + variant.version);
      expect(containers.length).toBeGreaterThan(5);
      if (variant.executor === 'KubernetesExecutor') expect(containers.map((c) => c.where)).toContain('Pod/placeholder-name/base');
      for (const { where, container } of containers) {
        expect(container.envFrom, where).toEqual([{ configMapRef: { name: 'k8s-config' } }, { secretRef: { name: 'k8s-secrets' } }]);
      }
      const secret = objects.find((o) => o.metadata.name === 'k8s-secrets')!;
      const keys = Object.keys(variant.externalSecrets ? (((secret.spec!.target as { template: { data: Record<string, string> } }).template.data)) : secret.stringData!);
      const three = variant.version.startsWith('3');
      expect(keys).toEqual(expect.arrayContaining(['AIRFLOW__CORE__FERNET_KEY', three ? 'AIRFLOW__API__SECRET_KEY' : 'AIRFLOW__WEBSERVER__SECRET_KEY', 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', ...(three ? ['AIRFLOW__API_AUTH__JWT_SECRET'] : [])]));
      const config = objects.find((o) => o.metadata.name === 'k8s-config')!.data!;
      expect(Object.keys(config).filter((k) => keys.includes(k))).toEqual([]);
    });

    it.skipIf(!hasKubectl)(`builds with kubectl kustomize${hasKubectl ? '' : ` (skipped: ${skipReason('kubectl')})`}`, async () => {
      const b = await build();
      const result = spawnSync('kubectl', ['kustomize', b.outDir], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(manifests(result.stdout).length).toBeGreaterThan(8);
    });
  });

  it('builds the same bytes twice', async () => {
    const v: Variant = { version: '3.1.3', executor: 'CeleryExecutor', dags: 'git', externalSecrets: false };
    const [a, b] = [await buildInTemp(eksTarget, spec(v), FILES), await buildInTemp(eksTarget, spec(v), FILES)];
    expect(b.tree()).toEqual(a.tree());
  });

  it('renames the migration Job when the image changes, so an upgrade migrates again', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: true };
    const jobName = async (text: string) => (manifests((await buildInTemp(eksTarget, text, FILES, undefined, { offline: true })).read('migrate-jobs.yaml'))[0] as Obj).metadata.name;
    const before = await jobName(spec(v));
    const after = await jobName(spec(v).replace('version: "3.1.3"', 'version: "3.1.3"\n  image: { tag: "3.1.3-python3.12" }'));
    expect(before).toMatch(/^k8s-migrate-db-[0-9a-f]{8}$/);
    expect(after).not.toBe(before);
  });

  it('--offline needs external secrets: without them it names the SSM parameters it would need', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: true };
    const off = await buildInTemp(eksTarget, spec(v).replace('enabled: true', 'enabled: false'), FILES, undefined, { offline: true });
    expect(off.errors.map((d) => d.code)).toEqual(['AFC4007']);
    expect(off.errors[0]!.message).toContain('the eks target writes secret values, so it needs SSM parameters /k8s/admin_password, /k8s/api_secret_key');
  });

  it('says what a cluster cannot do', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: true };
    const codes = async (text: string) => (await buildInTemp(eksTarget, text, FILES, undefined, { offline: true })).result.diagnostics.map((d) => `${d.severity} ${d.code}`);
    expect(await codes(spec(v).replace(/database:\n {2}external: .*\n/, 'database: { managed: {} }\n'))).toEqual(['error AFC3402']);
    expect(await codes(spec(v).replace('executor: KubernetesExecutor', 'executor: KubernetesExecutor\ndags: { path: ./dags }'))).toEqual(['error AFC3401']);
    expect(await codes(spec(v).replace('fernetKey: { ssm: /k8s/fernet_key }', 'fernetKey: { file: ./secrets/fernet_key }'))).toEqual(['error AFC3405']);
    expect(await codes(spec(v).replace(/logging:\n {2}remote: .*\n/, ''))).toEqual(['warning AFC3406']);
  });

  it('the kubernetes flavour: no AWS parts, and a development Postgres in the cluster with a warning', async () => {
    const v: Variant = { version: '3.1.3', executor: 'CeleryExecutor', dags: 'image', externalSecrets: false };
    const text = spec(v).replace(/database:\n {2}external: .*\n/, 'database: { managed: { password: { file: ./secrets/db_password } } }\n').replace('targets:\n  eks:', 'targets:\n  kubernetes:\n    ingress: { className: nginx }\n  eks:');
    const b = await buildInTemp(kubernetesTarget, text, FILES);
    expect(b.result.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning AFC3403', 'warning AFC3408']);
    const objects = objectsOf(b.outDir, b.read);
    expect(objects.map(manifestProblem).filter(Boolean)).toEqual([]);
    expect(objects.some((o) => o.kind === 'StatefulSet' && o.metadata.name === 'k8s-postgres')).toBe(true);
    const all = readdirSync(b.outDir).map((f) => b.read(f)).join('\n');
    expect(all).not.toContain('alb.ingress.kubernetes.io');
    expect(all).not.toContain('eks.amazonaws.com/role-arn');
    expect(all).toContain('ingressClassName: nginx');
  });
});
