import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AWS_CLI_IMAGE } from '../../compiler/aws/aws-cli.ts';
import { GIT_SYNC_IMAGE, s3SyncCommand, s3SyncLoop } from '../../compiler/dags/sync.ts';
import { uriComponent } from '../../compiler/airflow/settings.ts';
import { eksTarget } from '../../targets/eks/index.ts';
import { kubernetesTarget } from '../../targets/kubernetes/index.ts';
import { synthInTemp } from '../support/synth.ts';
import { kustomizeBuild, manifestProblem, manifests } from '../support/kubernetes-validators.ts';
import { skipReason } from '../support/tools.ts';
import { expand } from '../runtime/readers/kubernetes/expansion.ts';

const kustomize = kustomizeBuild();

const FILES = {
  'secrets/fernet_key': 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmE=\n',
  'secrets/api_secret_key': 'api-secret-key-0123456789abcdef0123456789\n',
  'secrets/jwt_secret': 'jwt-secret-0123456789abcdef0123456789abcdef\n',
  'secrets/admin_password': 'admin-password-0123456789\n',
  'secrets/db_password': 'db-password-0123456789\n',
  'secrets/redis_password': 'redis pass/with+odd&chars%\n',
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
  const celery =
    v.executor === 'CeleryExecutor'
      ? 'broker: { managed: {} }\ncomponents:\n  workers: { replicas: 2, autoscaling: { min: 1, max: 8 }, queues: [default, heavy] }\n  flower: { enabled: true }\n  webserver: { replicas: 2 }\n'
      : '';
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
    for (const dags of ['image', 'git', 's3'] as const)
      for (const externalSecrets of [false, true]) variants.push({ version, executor, dags, externalSecrets });

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

function airflowContainers(objects: Obj[], image: string): { where: string; container: Container }[] {
  const out: { where: string; container: Container }[] = [];
  for (const o of objects) {
    const pod = (o.kind === 'Pod' ? o.spec : (o.spec?.template as { spec?: Record<string, unknown> })?.spec) as
      | { containers?: Container[]; initContainers?: Container[] }
      | undefined;
    for (const c of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])])
      if (c.image === image) out.push({ where: `${o.kind}/${o.metadata.name}/${c.name}`, container: c });
  }
  return out;
}

type PodSpec = {
  serviceAccountName?: string;
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { name: string; secret?: { secretName: string } }[];
};
type Container = {
  name: string;
  image: string;
  command?: string[];
  env?: { name: string; value?: string; valueFrom?: unknown }[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string }[];
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
  startupProbe?: { httpGet?: { path: string } };
};
function podSpecOf(o: Obj): PodSpec | undefined {
  return (o.kind === 'Pod' ? o.spec : (o.spec?.template as { spec?: PodSpec } | undefined)?.spec) as PodSpec | undefined;
}

/** Every container of every pod (Deployments, Jobs, StatefulSets, the task pod), init containers included. */
function allContainers(objects: Obj[]): { where: string; container: Container }[] {
  return objects.flatMap((o) => {
    const pod = podSpecOf(o);
    return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])].map((container) => ({
      where: `${o.kind}/${o.metadata.name}/${container.name}`,
      container,
    }));
  });
}

/** The keys of a Secret as afc renders it: stringData of a Secret, or the template of the ExternalSecret that makes it. */
function secretData(objects: Obj[], name: string): Record<string, string> | undefined {
  const secret = objects.find((o) => (o.kind === 'Secret' || o.kind === 'ExternalSecret') && o.metadata.name === name);
  if (!secret) return undefined;
  return secret.kind === 'Secret' ? secret.stringData! : (secret.spec!.target as { template: { data: Record<string, string> } }).template.data;
}

/** Go's url.QueryEscape (what text/template's urlquery calls): unreserved bytes kept, a space as "+", every other byte %XX. */
function goQueryEscape(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : b === 0x20 ? '+' : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
}

/**
 * Renders the template actions afc writes into an ExternalSecret: `{{ .param | fn args… }}`
 * with urlquery, sprig's replace and trim, emulated as External Secrets runs them.
 */
function renderEsoTemplate(template: string, data: Record<string, string>): string {
  return template.replace(/\{\{ \.(\w+)((?: \| [^|}]+)*) \}\}/g, (_, param: string, pipeline: string) => {
    let value = data[param]!;
    for (const stage of pipeline
      .split(' | ')
      .slice(1)
      .map((p) => p.trim())) {
      const replace = /^replace "(.*)" "(.*)"$/.exec(stage);
      if (stage === 'urlquery') value = goQueryEscape(value);
      else if (stage === 'trim') value = value.trim();
      else if (replace) value = value.split(replace[1]!).join(replace[2]!);
      else throw new Error(`no emulation of ${stage}`);
    }
    return value;
  });
}

const S3_DAGS = { kind: 's3', bucket: 'acme-dags', prefix: 'dags/', period: '30s' } as const;

describe('eks target', () => {
  describe.each(variants)('Airflow $version, $executor, DAGs from $dags, external secrets $externalSecrets', (variant) => {
    let built: Awaited<ReturnType<typeof synthInTemp>> | undefined;
    // External secrets need no value: those variants build --offline, as a CI job without AWS would.
    const build = async () => (built ??= await synthInTemp(eksTarget, spec(variant), FILES, undefined, { offline: variant.externalSecrets }));

    it('renders manifests that kubernetes-models validates', async () => {
      const b = await build();
      expect(b.errors).toEqual([]);
      const objects = objectsOf(b.outDir, b.read);
      expect(objects.map(manifestProblem).filter(Boolean)).toEqual([]);
      const kinds = new Set(objects.map((o) => o.kind));
      expect(kinds.has(variant.externalSecrets ? 'ExternalSecret' : 'Secret')).toBe(true);
      expect(kinds.has('ScaledObject')).toBe(variant.executor === 'CeleryExecutor');
      expect(kinds.has('Role')).toBe(true);
      expect(objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name.replace(/-[0-9a-f]{8}$/, ''))).toEqual(['k8s-migrate-db', 'k8s-create-user']);
      if (!variant.externalSecrets) expect(statSync(join(b.outDir, 'secret.yaml')).mode & 0o777).toBe(0o600);
    });

    it('gives every Airflow container, task pods included, the same ConfigMap, and secrets only by key', async () => {
      const b = await build();
      const objects = objectsOf(b.outDir, b.read);
      const containers = airflowContainers(objects, `apache/airflow:${variant.version}`);
      expect(containers.length).toBeGreaterThan(5);
      if (variant.executor === 'KubernetesExecutor') expect(containers.map((c) => c.where)).toContain('Pod/placeholder-name/base');
      for (const { where, container } of containers) {
        expect(container.envFrom, where).toEqual([{ configMapRef: { name: 'k8s-config' } }]);
      }
      const secret = objects.find((o) => o.metadata.name === 'k8s-secrets')!;
      const keys = Object.keys(
        variant.externalSecrets ? (secret.spec!.target as { template: { data: Record<string, string> } }).template.data : secret.stringData!,
      );
      const three = variant.version.startsWith('3');
      expect(keys).toEqual(
        expect.arrayContaining([
          'AIRFLOW__CORE__FERNET_KEY',
          three ? 'AIRFLOW__API__SECRET_KEY' : 'AIRFLOW__WEBSERVER__SECRET_KEY',
          'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN',
          ...(three ? ['AIRFLOW__API_AUTH__JWT_SECRET'] : []),
        ]),
      );
      const config = objects.find((o) => o.metadata.name === 'k8s-config')!.data!;
      expect(Object.keys(config).filter((k) => keys.includes(k))).toEqual([]);
    });

    it('loads no Secret with envFrom; credentials stay in a Secret of their own', async () => {
      const b = await build();
      const objects = objectsOf(b.outDir, b.read);
      const loaded = new Set(
        allContainers(objects).flatMap(({ container }) => (container.envFrom ?? []).flatMap((e) => (e.secretRef ? [e.secretRef.name] : []))),
      );
      // No container loads a whole Secret: each gets its secrets by key (test/targets/secrets-by-component.test.ts).
      expect([...loaded]).toEqual([]);
      for (const key of Object.keys(secretData(objects, 'k8s-secrets')!)) expect(key).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      const credentials = secretData(objects, 'k8s-credentials')!;
      expect(Object.keys(credentials).sort()).toEqual(variant.dags === 'git' ? ['admin.password', 'git.ssh-key'] : ['admin.password']);
      // Each is read by key, from the credentials Secret.
      const job = objects.find((o) => o.kind === 'Job' && o.metadata.name.startsWith('k8s-create-user-'))!;
      expect(podSpecOf(job)!.containers![0]!.env).toContainEqual({
        name: 'ADMIN_PASSWORD',
        valueFrom: { secretKeyRef: { key: 'admin.password', name: 'k8s-credentials' } },
      });
      if (variant.dags === 'git') {
        for (const o of objects.filter((x) => podSpecOf(x)?.volumes?.some((v) => v.name === 'git-ssh-key'))) {
          expect(podSpecOf(o)!.volumes!.find((v) => v.name === 'git-ssh-key')!.secret!.secretName, o.metadata.name).toBe('k8s-credentials');
        }
      }
    });

    it('gives each ServiceAccount only the Kubernetes rights its pods need', async () => {
      const b = await build();
      const objects = objectsOf(b.outDir, b.read);
      const accounts = objects.filter((o) => o.kind === 'ServiceAccount');
      for (const account of accounts)
        expect((account.metadata as { annotations?: Record<string, string> }).annotations?.['eks.amazonaws.com/role-arn'], account.metadata.name).toBe(
          'arn:aws:iam::123456789012:role/airflow',
        );
      type Rule = { resources: string[]; verbs: string[] };
      const rulesOf = (account: string): Rule[] =>
        objects
          .filter((o) => o.kind === 'RoleBinding' && (o as unknown as { subjects: { name: string }[] }).subjects.some((s) => s.name === account))
          .flatMap(
            (binding) =>
              (
                objects.find((o) => o.kind === 'Role' && o.metadata.name === (binding as unknown as { roleRef: { name: string } }).roleRef.name) as unknown as {
                  rules: Rule[];
                }
              ).rules,
          )
          .map((r) => ({ resources: r.resources, verbs: r.verbs }));
      const web = variant.version.startsWith('3') ? 'k8s-api-server' : 'k8s-webserver';
      const accountOf = (kind: string, name: string) =>
        podSpecOf(objects.find((o) => o.kind === kind && o.metadata.name.startsWith(name))!)!.serviceAccountName;
      expect(rulesOf('k8s-airflow')).toEqual([]);
      // What runs tasks may launch pods (KubernetesPodOperator in the cluster), as the Helm chart's allowPodLaunching grants.
      const launcher = [
        { resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'] },
        { resources: ['pods/log'], verbs: ['get'] },
        { resources: ['pods/exec'], verbs: ['create', 'get'] },
        { resources: ['events'], verbs: ['list'] },
      ];
      expect(rulesOf('k8s-worker')).toEqual(launcher);
      if (variant.executor === 'KubernetesExecutor') {
        expect(accounts.map((a) => a.metadata.name)).toEqual(['k8s-airflow', 'k8s-scheduler', web, 'k8s-worker']);
        expect(rulesOf('k8s-scheduler')).toEqual([
          { resources: ['pods'], verbs: ['create', 'delete', 'get', 'list', 'patch', 'watch'] },
          { resources: ['pods/log'], verbs: ['get', 'list'] },
        ]);
        expect(rulesOf(web)).toEqual([
          { resources: ['pods'], verbs: ['get', 'list'] },
          { resources: ['pods/log'], verbs: ['get'] },
        ]);
        expect(accountOf('Deployment', 'k8s-scheduler')).toBe('k8s-scheduler');
        expect(accountOf('Deployment', web)).toBe(web);
        expect(accountOf('Pod', 'placeholder-name')).toBe('k8s-worker');
      } else {
        expect(accounts.map((a) => a.metadata.name)).toEqual(['k8s-airflow', 'k8s-worker']);
        expect(accountOf('Deployment', 'k8s-worker')).toBe('k8s-worker');
      }
      // Every other Airflow pod (Redis runs as the default account) has the base account.
      const own = variant.executor === 'KubernetesExecutor' ? ['k8s-scheduler', web, 'placeholder-name'] : ['k8s-worker'];
      for (const o of objects.filter((x) => podSpecOf(x) && ![...own, 'k8s-redis'].includes(x.metadata.name)))
        expect(podSpecOf(o)!.serviceAccountName, o.metadata.name).toBe('k8s-airflow');
    });

    it('probes the UI for liveness without the database, and for readiness and the load balancer with it', async () => {
      const b = await build();
      const objects = objectsOf(b.outDir, b.read);
      const three = variant.version.startsWith('3');
      const web = allContainers(objects).find((c) => c.where === (three ? 'Deployment/k8s-api-server/api-server' : 'Deployment/k8s-webserver/webserver'))!;
      expect(web.container.livenessProbe?.httpGet?.path).toBe(three ? '/api/v2/version' : '/api/v1/version');
      expect(web.container.startupProbe?.httpGet?.path).toBe(three ? '/api/v2/version' : '/api/v1/version');
      expect(web.container.readinessProbe?.httpGet?.path).toBe(three ? '/api/v2/monitor/health' : '/health');
      const ingress = objects.find((o) => o.kind === 'Ingress')! as unknown as { metadata: { annotations: Record<string, string> } };
      expect(ingress.metadata.annotations['alb.ingress.kubernetes.io/healthcheck-path']).toBe(three ? '/api/v2/monitor/health' : '/health');
    });

    it('spreads replicas of a component over nodes, and deletes finished Jobs after a day', async () => {
      const b = await build();
      const objects = objectsOf(b.outDir, b.read);
      const web = variant.version.startsWith('3') ? 'api-server' : 'webserver';
      const affinityOf = (name: string) =>
        (podSpecOf(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === name)!) as { affinity?: unknown }).affinity;
      const apart = (component: string) => ({
        podAntiAffinity: {
          preferredDuringSchedulingIgnoredDuringExecution: [
            {
              weight: 100,
              podAffinityTerm: {
                labelSelector: {
                  matchLabels: { 'app.kubernetes.io/component': component, 'app.kubernetes.io/instance': 'k8s', 'app.kubernetes.io/name': 'airflow' },
                },
                topologyKey: 'kubernetes.io/hostname',
              },
            },
          ],
        },
      });
      // The Celery variants run two UI replicas and autoscaled workers; one scheduler everywhere.
      if (variant.executor === 'CeleryExecutor') {
        expect(affinityOf(`k8s-${web}`)).toEqual(apart(web));
        expect(affinityOf('k8s-worker')).toEqual(apart('worker'));
      } else expect(affinityOf(`k8s-${web}`)).toBeUndefined();
      expect(affinityOf('k8s-scheduler')).toBeUndefined();
      for (const job of objects.filter((o) => o.kind === 'Job')) expect(job.spec!.ttlSecondsAfterFinished, job.metadata.name).toBe(86400);
    });

    it("lets the UI read running tasks' logs: pod IPs as hostnames, the log servers' ports declared, no policy in the way", async () => {
      const b = await build();
      const objects = objectsOf(b.outDir, b.read);
      expect(objects.find((o) => o.metadata.name === 'k8s-config')!.data!.AIRFLOW__CORE__HOSTNAME_CALLABLE).toBe('airflow.utils.net.get_host_ip_address');
      // The links Airflow builds point at network.hostname over the ALB's HTTPS (network.tls).
      const config = objects.find((o) => o.metadata.name === 'k8s-config')!.data!;
      expect(config[variant.version.startsWith('3') ? 'AIRFLOW__API__BASE_URL' : 'AIRFLOW__WEBSERVER__BASE_URL']).toBe('https://airflow.acme.io');
      const portsOf = (deployment: string, container: string) =>
        allContainers(objects)
          .find((c) => c.where === `Deployment/${deployment}/${container}`)
          ?.container.ports?.map((p) => p.containerPort);
      expect(portsOf('k8s-triggerer', 'triggerer')).toEqual([8794]);
      if (variant.executor === 'CeleryExecutor') expect(portsOf('k8s-worker', 'worker')).toEqual([8793]);
      type Policy = { spec: { podSelector: { matchLabels: Record<string, string> }; policyTypes: string[] } };
      for (const policy of objects.filter((o) => o.kind === 'NetworkPolicy') as unknown as Policy[]) {
        expect(['worker', 'triggerer']).not.toContain(policy.spec.podSelector.matchLabels['app.kubernetes.io/component']);
        expect(policy.spec.policyTypes).toEqual(['Ingress']);
      }
    });

    // DAGs baked into the image have nothing to sync.
    if (variant.dags !== 'image')
      it('syncs DAGs: git-sync over SSH as uid 50000 with a key file ending in a newline; S3 with the shared AWS CLI image', async () => {
        const b = await build();
        const objects = objectsOf(b.outDir, b.read);
        const sync = allContainers(objects).filter(({ container }) => /^(git-sync|dags-sync)/.test(container.name));
        expect(sync.length).toBeGreaterThan(3);
        if (variant.dags === 'git') {
          for (const { where, container } of sync) {
            expect(container.env, where).toContainEqual({ name: 'GITSYNC_ADD_USER', value: 'true' });
            expect(container.image, where).toBe(GIT_SYNC_IMAGE);
            if (container.name === 'git-sync') {
              // The sidecar serves git-sync's endpoint (200 once synced) to a startup and a liveness probe.
              expect(container.env, where).toContainEqual({ name: 'GITSYNC_HTTP_BIND', value: ':8000' });
              for (const probe of [container.startupProbe, container.livenessProbe]) expect(probe?.httpGet, where).toEqual({ path: '/', port: 8000 });
            } else {
              // An init container: one sync that the pod's Airflow container waits for.
              expect(container.env, where).toContainEqual({ name: 'GITSYNC_ONE_TIME', value: 'true' });
              expect(container.startupProbe, where).toBeUndefined();
            }
          }
          const key = secretData(objects, 'k8s-credentials')!['git.ssh-key']!;
          // SSM may hold the key with or without its final newline; the file provider strips one.
          if (variant.externalSecrets) for (const stored of ['KEY', 'KEY\n', 'KEY\n\n']) expect(renderEsoTemplate(key, { git_key: stored })).toBe('KEY\n');
          else expect(key).toBe(FILES['secrets/git_key']);
        } else {
          for (const { where, container } of sync) {
            expect(container.image, where).toBe(AWS_CLI_IMAGE);
            expect(container.command!.at(-1), where).toContain('aws s3 sync s3://acme-dags/dags/ /opt/airflow/dags ');
            // The loop (PID 1) stops on SIGTERM instead of waiting out the grace period; the init container syncs once.
            // As the kubelet passes it on: $(VAR) expanded, $$ read as $.
            const script = expand(container.command!.at(-1)!, () => undefined);
            if (container.name === 'dags-sync') expect(script, where).toBe(s3SyncLoop(S3_DAGS, '/opt/airflow/dags'));
            else expect(script, where).toBe(s3SyncCommand(S3_DAGS, '/opt/airflow/dags'));
          }
        }
      });

    it.skipIf(!kustomize)(`builds with kubectl kustomize${kustomize ? '' : ` (skipped: ${skipReason('kubectl or kustomize')})`}`, async () => {
      const b = await build();
      const result = kustomize!(b.outDir);
      expect(result.status, result.stderr).toBe(0);
      expect(manifests(result.stdout).length).toBeGreaterThan(8);
    });
  });

  it('builds the same bytes twice', async () => {
    const v: Variant = { version: '3.1.3', executor: 'CeleryExecutor', dags: 'git', externalSecrets: false };
    const [a, b] = [await synthInTemp(eksTarget, spec(v), FILES), await synthInTemp(eksTarget, spec(v), FILES)];
    expect(b.tree()).toEqual(a.tree());
  });

  it('renames the migration Job when the image changes, so an upgrade migrates again', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: true };
    const jobName = async (text: string) =>
      (manifests((await synthInTemp(eksTarget, text, FILES, undefined, { offline: true })).read('migrate-jobs.yaml'))[0] as Obj).metadata.name;
    const before = await jobName(spec(v));
    const after = await jobName(spec(v).replace('version: "3.1.3"', 'version: "3.1.3"\n  image: { tag: "3.1.3-python3.12" }'));
    expect(before).toMatch(/^k8s-migrate-db-[0-9a-f]{8}$/);
    expect(after).not.toBe(before);
  });

  it('--offline needs external secrets: without them it names the SSM parameters it would need', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: true };
    const off = await synthInTemp(eksTarget, spec(v).replace('enabled: true', 'enabled: false'), FILES, undefined, { offline: true });
    expect(off.errors.map((d) => d.code)).toEqual(['AFC4007']);
    expect(off.errors[0]!.message).toContain('the eks target writes secret values, so it needs SSM parameters /k8s/admin_password, /k8s/api_secret_key');
  });

  it('says what a cluster cannot do', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: true };
    const codes = async (text: string) =>
      (await synthInTemp(eksTarget, text, FILES, undefined, { offline: true })).result.problems.map((d) => `${d.severity} ${d.code}`);
    expect(await codes(spec(v).replace(/database:\n {2}external: .*\n/, 'database: { managed: {} }\n'))).toEqual(['error AFC3402']);
    expect(await codes(spec(v).replace('executor: KubernetesExecutor', 'executor: KubernetesExecutor\ndags: { path: ./dags }'))).toEqual(['error AFC2022']);
    expect(await codes(spec(v).replace('fernetKey: { ssm: /k8s/fernet_key }', 'fernetKey: { file: ./secrets/fernet_key }'))).toEqual(['error AFC3405']);
    expect(await codes(spec(v).replace(/logging:\n {2}remote: .*\n/, ''))).toEqual(['warning AFC3406']);
  });

  it('URL-encodes a database password to the same bytes with and without External Secrets', async () => {
    const password = "p a+s/s!*'()é%";
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: false };
    const conn = async (variant: Variant) => {
      const b = await synthInTemp(eksTarget, spec(variant), { ...FILES, 'secrets/db_password': `${password}\n` }, undefined, {
        offline: variant.externalSecrets,
      });
      expect(b.errors).toEqual([]);
      return secretData(objectsOf(b.outDir, b.read), 'k8s-secrets')!.AIRFLOW__DATABASE__SQL_ALCHEMY_CONN!;
    };
    const values = await conn(v);
    const template = await conn({ ...v, externalSecrets: true });
    expect(values).toBe(`postgresql+psycopg2://airflow:${uriComponent(password)}@db.internal:5432/airflow?sslmode=require`);
    // url.QueryEscape, emulated: it writes the space as "+", a literal "+" as %2B.
    expect(goQueryEscape(password)).toBe('p+a%2Bs%2Fs%21%2A%27%28%29%C3%A9%25');
    expect(renderEsoTemplate(template, { db_password: password })).toBe(values);
  });

  it('puts the load balancer inside the VPC when only private ranges may reach the UI', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: true };
    const scheme = async (text: string) => {
      const b = await synthInTemp(eksTarget, text, FILES, undefined, { offline: true });
      return (manifests(b.read('ingress.yaml'))[0] as { metadata: { annotations: Record<string, string> } }).metadata.annotations[
        'alb.ingress.kubernetes.io/scheme'
      ];
    };
    expect(await scheme(spec(v))).toBe('internal');
    expect(await scheme(spec(v).replace('allowedCidrs: [10.0.0.0/8]', 'allowedCidrs: [10.0.0.0/8, 198.51.100.0/24]'))).toBe('internet-facing');
    expect(await scheme(spec(v).replace('  allowedCidrs: [10.0.0.0/8]\n', ''))).toBe('internal');
  });

  it('warns that git-sync cannot check the host key without dags.git.knownHosts', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'git', externalSecrets: true };
    const text = spec(v).replace(/, knownHosts: "[^"]+"/, '');
    const b = await synthInTemp(eksTarget, text, FILES, undefined, { offline: true });
    expect(b.result.problems.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
      "warning AFC2016 without dags.git.knownHosts, git-sync cannot check the server's host key",
    ]);
    const gitSync = allContainers(objectsOf(b.outDir, b.read)).filter(({ container }) => container.name.startsWith('git-sync'));
    for (const { where, container } of gitSync) expect(container.env, where).toContainEqual({ name: 'GITSYNC_SSH_KNOWN_HOSTS', value: 'false' });
  });

  it.each([
    ['17', '/var/lib/postgresql/data', '/var/lib/postgresql/data/pgdata'],
    ['18', '/var/lib/postgresql', '/var/lib/postgresql/18/docker'],
  ])('the in-cluster Postgres %s mounts its claim at %s and keeps PGDATA %s below it', async (version, mountPath, pgdata) => {
    const v: Variant = { version: '3.1.3', executor: 'CeleryExecutor', dags: 'image', externalSecrets: false };
    const text = spec(v)
      .replace(/database:\n {2}external: .*\n/, `database: { managed: { version: "${version}" } }\n`)
      .replace('targets:\n  eks:', 'targets:\n  kubernetes:\n    ingress: { className: nginx }\n  eks:');
    const b = await synthInTemp(kubernetesTarget, text, FILES);
    const postgres = objectsOf(b.outDir, b.read).find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'k8s-postgres')!;
    const container = podSpecOf(postgres)!.containers![0]!;
    expect(container.volumeMounts).toEqual([{ name: 'data', mountPath }]);
    expect(container.env).toContainEqual({ name: 'PGDATA', value: pgdata });
  });

  it('lets the scheduler launch pods with LocalExecutor (it runs the tasks), and nothing launch them with allowPodLaunching: false', async () => {
    const v: Variant = { version: '3.1.3', executor: 'KubernetesExecutor', dags: 'image', externalSecrets: false };
    const local = spec(v).replace('executor: KubernetesExecutor', 'executor: LocalExecutor');
    const roleBindings = async (text: string) => {
      const b = await synthInTemp(eksTarget, text, FILES);
      expect(b.errors).toEqual([]);
      const objects = objectsOf(b.outDir, b.read);
      const bindings = objects.filter((o) => o.kind === 'RoleBinding') as unknown as { metadata: { name: string }; subjects: { name: string }[] }[];
      const scheduler = podSpecOf(objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'k8s-scheduler')!)!.serviceAccountName;
      return { bindings: bindings.map((r) => `${r.metadata.name} → ${r.subjects.map((x) => x.name).join(',')}`), scheduler };
    };
    expect(await roleBindings(local)).toEqual({ bindings: ['k8s-task-pod-launcher → k8s-scheduler'], scheduler: 'k8s-scheduler' });
    const off = (text: string) => text.replace('targets:\n  eks:\n', 'targets:\n  eks:\n    allowPodLaunching: false\n');
    expect(off(local)).toContain('allowPodLaunching: false');
    expect(await roleBindings(off(local))).toEqual({ bindings: [], scheduler: 'k8s-airflow' });
    // KubernetesExecutor: the scheduler keeps its own rights; task pods get none.
    const b = await synthInTemp(eksTarget, off(spec(v)), FILES);
    const objects = objectsOf(b.outDir, b.read);
    expect(objects.filter((o) => o.kind === 'RoleBinding').map((o) => o.metadata.name)).toEqual(['k8s-pod-launcher', 'k8s-pod-log-reader']);
    expect(podSpecOf(objects.find((o) => o.kind === 'Pod')!)!.serviceAccountName).toBe('k8s-airflow');
  });

  it('the kubernetes target: no AWS parts, and a development Postgres in the cluster with a warning', async () => {
    const v: Variant = { version: '3.1.3', executor: 'CeleryExecutor', dags: 'image', externalSecrets: false };
    const text = spec(v)
      .replace(/database:\n {2}external: .*\n/, 'database: { managed: { password: { file: ./secrets/db_password } } }\n')
      .replace('targets:\n  eks:', 'targets:\n  kubernetes:\n    ingress: { className: nginx }\n  eks:');
    // Without a password, the Redis in the cluster is warned about.
    const open = await synthInTemp(kubernetesTarget, text, FILES);
    expect(open.result.problems.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning AFC3403', 'warning AFC3409', 'warning AFC3408']);
    const b = await synthInTemp(
      kubernetesTarget,
      text.replace('broker: { managed: {} }', 'broker: { managed: { password: { file: ./secrets/redis_password } } }'),
      FILES,
    );
    expect(b.result.problems.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning AFC3403', 'warning AFC3408']);
    const objects = objectsOf(b.outDir, b.read);
    // Redis: a StatefulSet on a volume claim, requiring the password it reads by key; the broker URL carries it URL-encoded.
    const redis = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'k8s-redis')!;
    expect(objects.filter((o) => o.metadata.name === 'k8s-redis').map((o) => o.kind)).toEqual(['StatefulSet', 'Service', 'NetworkPolicy']);
    const container = podSpecOf(redis)!.containers![0]! as Container & { args: string[] };
    expect(container.args).toEqual(['redis-server', '--requirepass', '$(REDIS_PASSWORD)']);
    const byKey = { valueFrom: { secretKeyRef: { key: 'redis.password', name: 'k8s-credentials' } } };
    expect(container.env).toEqual([
      { name: 'REDIS_PASSWORD', ...byKey },
      { name: 'REDISCLI_AUTH', ...byKey },
    ]);
    expect(podSpecOf(redis)!.volumes).toBeUndefined();
    expect((redis.spec as { volumeClaimTemplates: unknown }).volumeClaimTemplates).toEqual([
      { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
    ]);
    expect(secretData(objects, 'k8s-credentials')!['redis.password']).toBe('redis pass/with+odd&chars%');
    expect(secretData(objects, 'k8s-secrets')!.AIRFLOW__CELERY__BROKER_URL).toBe(
      `redis://:${uriComponent('redis pass/with+odd&chars%')}@k8s-redis.airflow.svc:6379/0`,
    );
    expect(objects.find((o) => o.metadata.name === 'k8s-config')!.data!.AIRFLOW__CELERY__BROKER_URL).toBeUndefined();
    expect(objects.map(manifestProblem).filter(Boolean)).toEqual([]);
    const postgres = objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'k8s-postgres')!;
    expect(podSpecOf(postgres)!.containers![0]!.env).toContainEqual({
      name: 'POSTGRES_PASSWORD',
      valueFrom: { secretKeyRef: { key: 'postgres.password', name: 'k8s-credentials' } },
    });
    expect(secretData(objects, 'k8s-credentials')!['postgres.password']).toBe('db-password-0123456789');
    const all = readdirSync(b.outDir)
      .map((f) => b.read(f))
      .join('\n');
    expect(all).not.toContain('alb.ingress.kubernetes.io');
    expect(all).not.toContain('eks.amazonaws.com/role-arn');
    expect(all).toContain('ingressClassName: nginx');
  });
});
