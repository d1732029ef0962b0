import type { V1ConfigMap, V1Ingress } from '@kubernetes/client-node';
import type { SecretRef } from '../../schema/generated/types.ts';
import { airflowCatalogue } from '../../compiler/airflow/components.ts';
import { POD_TEMPLATE } from '../../compiler/airflow/image.ts';
import { airflowSettings, databaseUrl, publicUiUrl, type Endpoints, type Setting } from '../../compiler/airflow/settings.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { SpecPath } from '../../compiler/diagnostics/problem.ts';
import { settingsKeyOf, type TargetManifest } from '../../compiler/targets/manifest.ts';
import type { CheckContext, RenderContext, Target, TargetDocument } from '../../compiler/targets/target.ts';
import { digest, metadata, names, type ClusterSettings } from './cluster.ts';
import { GIT_SSH_KEY, KNOWN_HOSTS, podDags } from './dags.ts';
import { POSTGRES_PASSWORD, POSTGRES_PORT, postgres, REDIS_PASSWORD, REDIS_PORT, redis } from './data-services.ts';
import { podTemplate, rbac, serviceAccountNames } from './executor.ts';
import { ADMIN_PASSWORD, isKubernetesExecutor, jobs } from './jobs.ts';
import { kubernetesKeyOrder } from './key-order.ts';
import { refuseOversizedObjects } from './object-limits.ts';
import { webNetworkPolicy } from './network.ts';
import type { AirflowPods } from './pods.ts';
import { secretWiring, type Credential } from './secrets.ts';
import { wiredSecrets } from './readme.ts';
import { outputReadme, README_FILE } from '../../compiler/secrets/by-component.ts';
import { dagProcessor, flower, KEDA_DB_CONN, scheduler, triggerer, web, workers, type K8sObject } from './workloads.ts';

/**
 * What a Kubernetes target adds to the shared layer: its manifest, its
 * settings (its block under `targets:` with its defaults), its own checks
 * and the Ingress of its UI.
 */
export interface ClusterPlatform {
  manifest: TargetManifest;
  settings(model: Model): ClusterSettings;
  /** Runs after the shared checks (External Secrets, task logs). */
  check(model: Model, ctx: CheckContext): void;
  /** The UI's Ingress (`ingress(model, settings, annotations)` from network.ts), or none. */
  ingress(model: Model, settings: ClusterSettings): V1Ingress[];
  /** The scheme users reach that Ingress with at `network.hostname`. */
  uiScheme(model: Model): 'http' | 'https';
}

/** A Kubernetes target: the shared manifests and checks, with the platform's parts. */
export function clusterTarget(platform: ClusterPlatform): Target {
  return {
    ...platform.manifest,
    secrets: (model) => (platform.settings(model).externalSecrets.enabled ? 'references' : 'values'),
    check: (model, ctx) => {
      check(model, ctx, platform.settings(model), ['targets', settingsKeyOf(platform.manifest)]);
      platform.check(model, ctx);
    },
    render: (model, ctx) => render(model, ctx, platform),
  };
}

function check(model: Model, ctx: CheckContext, settings: ClusterSettings, block: SpecPath): void {
  if (settings.externalSecrets.enabled) {
    if (!settings.externalSecrets.storeName)
      ctx.report(
        'error',
        'AFC3404',
        [...block, 'externalSecrets'],
        'externalSecrets needs storeName, the SecretStore or ClusterSecretStore that reads SSM',
        'add storeName: <your store>',
      );
    const local = localSecretPaths(model);
    if (local.length)
      ctx.report(
        'error',
        'AFC3405',
        local[0]!.path,
        `with external secrets, every secret must be an SSM reference; ${local.map((l) => l.what).join(', ')} ${local.length === 1 ? 'is' : 'are'} not`,
        'move them to SSM, or turn externalSecrets off to render a Secret',
      );
  }
  if (model.airflow.executor === 'CeleryExecutor' && model.broker?.kind === 'managed' && !model.broker.password)
    ctx.report(
      'warning',
      'AFC3409',
      ['broker', 'managed'],
      'the Redis in the cluster has no password: any pod that reaches it can read and queue Celery tasks, and its NetworkPolicy stops them only where the cluster enforces policies (on EKS, only with the VPC CNI network policy agent)',
      'set broker.managed.password, e.g. { ssm: /<name>/redis_password }',
    );
  if (isKubernetesExecutor(model) && !model.logging.remote) {
    ctx.report(
      'warning',
      'AFC3406',
      ['airflow', 'executor'],
      'KubernetesExecutor deletes task pods when they finish, and their logs with them',
      'set logging.remote to keep task logs in S3',
    );
  }
}

/** Secret references External Secrets cannot fetch (not in SSM), with a path to point at. */
function localSecretPaths(model: Model): { path: (string | number)[]; what: string }[] {
  const out: { path: (string | number)[]; what: string }[] = [];
  const add = (ref: SecretRef | undefined, path: (string | number)[]) => {
    if (ref && ref.ssm === undefined) out.push({ path, what: path.join('.') });
  };
  add(model.secrets.fernetKey, ['secrets', 'fernetKey']);
  add(model.secrets.apiSecretKey, ['secrets', 'apiSecretKey']);
  add(model.secrets.jwtSecret, ['secrets', 'jwtSecret']);
  add(model.secrets.adminUser?.password, ['secrets', 'adminUser', 'password']);
  if (model.database.kind === 'external') add(model.database.password, ['database', 'external', 'password']);
  if (model.database.kind === 'managed') add(model.database.password, ['database', 'managed', 'password']);
  if (model.broker?.kind === 'external') add(model.broker.url, ['broker', 'external', 'url']);
  if (model.broker?.kind === 'managed') add(model.broker.password, ['broker', 'managed', 'password']);
  if (model.dags.kind === 'git') add(model.dags.sshKey, ['dags', 'git', 'sshKey']);
  for (const c of model.connections) if (!('uri' in c.value)) add(c.value, ['connections', c.id]);
  for (const v of model.variables) if (typeof v.value !== 'string') add(v.value, ['variables', v.name.slice('AIRFLOW_VAR_'.length).toLowerCase()]);
  return out;
}

function render(model: Model, ctx: RenderContext, platform: ClusterPlatform): TargetDocument[] {
  const settings = platform.settings(model);
  const n = names(model);
  const dags = podDags(model, n);
  const svc = (name: string) => `${name}.${settings.namespace}.svc`;
  const endpoints: Endpoints = {
    ...(model.database.kind === 'managed' ? { database: { host: svc(n.postgres), port: POSTGRES_PORT } } : {}),
    ...(model.broker?.kind === 'managed'
      ? { redis: { host: svc(n.redis), port: REDIS_PORT, ...(model.broker.password ? { password: model.broker.password } : {}) } }
      : {}),
    apiServer: `http://${svc(n.web)}:${model.components.webserver.port}`,
    ...publicUiUrl(model, platform.uiScheme(model)),
    ...(dags.dagsFolder ? { dagsFolder: dags.dagsFolder } : {}),
    // A pod's name does not resolve in cluster DNS.
    addressByIp: true,
    ...(isKubernetesExecutor(model) ? { taskPods: { namespace: settings.namespace, podTemplateFile: POD_TEMPLATE.path } } : {}),
  };
  const all: Setting[] = airflowSettings(model, endpoints);
  // KEDA reads it from the workers' container, which alone gets it.
  const keda: Setting | undefined = model.components.workers?.autoscaling
    ? { name: KEDA_DB_CONN, parts: ['postgresql://', ...databaseUrl(model, endpoints)], scope: 'database' }
    : undefined;

  const credentials: Credential[] = [];
  if (model.dags.kind === 'git' && model.dags.sshKey) credentials.push({ key: GIT_SSH_KEY, ref: model.dags.sshKey, file: true });
  if (model.secrets.adminUser) credentials.push({ key: ADMIN_PASSWORD, ref: model.secrets.adminUser.password });
  if (model.database.kind === 'managed' && model.database.password) credentials.push({ key: POSTGRES_PASSWORD, ref: model.database.password });
  if (model.broker?.kind === 'managed' && model.broker.password) credentials.push({ key: REDIS_PASSWORD, ref: model.broker.password });
  const wiring = secretWiring(model, settings, all, credentials, ctx, keda ? [keda] : []);

  const configMap: V1ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(model, settings, n.config, 'config'),
    data: { ...wiring.config, ...(model.dags.kind === 'git' && model.dags.knownHosts ? { [KNOWN_HOSTS]: `${model.dags.knownHosts.trimEnd()}\n` } : {}) },
  };
  const pods: AirflowPods = {
    model,
    catalogue: airflowCatalogue(model),
    settings,
    serviceAccounts: serviceAccountNames(model, settings),
    envFrom: wiring.envFrom,
    env: wiring.env,
    ...(keda ? { workerScoped: [keda] } : {}),
    dags,
    checksums: { 'checksum/config': digest(configMap.data), 'checksum/secret': wiring.checksum },
  };

  const files = new Map<string, K8sObject[]>();
  const add = (file: string, objects: K8sObject[]) => {
    if (objects.length) files.set(file, [...(files.get(file) ?? []), ...objects]);
  };
  add('rbac.yaml', rbac(model, settings));
  add('config.yaml', [configMap]);
  add('migrate-jobs.yaml', jobs(pods));
  add(`${model.facts.web.component}.yaml`, [...web(pods), webNetworkPolicy(model, settings)]);
  if (isKubernetesExecutor(model)) {
    const template = podTemplate(pods);
    add('scheduler.yaml', [
      template,
      ...scheduler(pods, {
        volumes: [{ name: 'pod-template', configMap: { name: n.podTemplate } }],
        mounts: [{ name: 'pod-template', mountPath: POD_TEMPLATE.folder, readOnly: true }],
      }),
    ]);
  } else {
    add('scheduler.yaml', scheduler(pods));
  }
  add('dag-processor.yaml', dagProcessor(pods));
  add('triggerer.yaml', triggerer(pods));
  add('workers.yaml', workers(pods));
  add('flower.yaml', flower(pods));
  add('redis.yaml', redis(model, settings));
  add('postgres.yaml', postgres(model, settings));
  add('ingress.yaml', platform.ingress(model, settings));

  const documents: TargetDocument[] = [...files].map(([path, objects]) => ({ path, format: 'yaml-stream', content: objects, keyOrder: kubernetesKeyOrder }));
  const wired = wiredSecrets([...files.values()].flat(), [...all, ...(keda ? [keda] : [])], {
    [ADMIN_PASSWORD]: 'adminPassword',
    [POSTGRES_PASSWORD]: 'database',
    [REDIS_PASSWORD]: 'broker',
  });
  documents.push({
    path: README_FILE,
    format: 'text',
    content: outputReadme(
      `${model.name}: Kubernetes manifests`,
      [
        '`afc build` wrote this folder; `kubectl apply -k .` applies it (kustomization.yaml lists the manifests).',
        `Every Airflow container loads the ConfigMap \`${n.config}\` (the settings every process shares) and gets its secrets one variable at a time from the Secret \`${n.secret}\`${settings.externalSecrets.enabled ? ' (written by External Secrets Operator from SSM, external-secret.yaml)' : ' (secret.yaml, mode 0600, git-ignored)'}, only the ones it needs.`,
      ],
      wired,
    ),
    commentPrefix: '<!--',
    commentSuffix: '-->',
  });
  const secretFile = settings.externalSecrets.enabled ? 'external-secret.yaml' : 'secret.yaml';
  documents.push({
    path: secretFile,
    format: 'yaml-stream',
    content: wiring.documents,
    keyOrder: kubernetesKeyOrder,
    secret: !settings.externalSecrets.enabled,
  });
  const resources = documents
    .filter((d) => d.path !== README_FILE)
    .map((d) => d.path)
    .sort();
  documents.push({
    path: 'kustomization.yaml',
    format: 'yaml',
    content: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources },
    keyOrder: kubernetesKeyOrder,
  });
  refuseUnwritable(documents, ctx);
  refuseOversizedObjects(documents, ctx);
  return documents;
}

/**
 * DEL and the C1 controls but U+0085 are valid in a Kubernetes object, but
 * kustomize (`kubectl apply -k` on this folder) re-emits what it reads with
 * go-yaml, whose emitter refuses them even escaped ("control characters are
 * not allowed"; docs/airflow-facts.md §15), and NUL reaches no process.
 */
function refuseUnwritable(documents: readonly TargetDocument[], ctx: RenderContext): void {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
  const bad = /[\u0000\u007f-\u0084\u0086-\u009f]/;
  const found = (value: unknown): boolean =>
    typeof value === 'string'
      ? bad.test(value)
      : Array.isArray(value)
        ? value.some(found)
        : value !== null && typeof value === 'object' && Object.values(value).some(found);
  const files = documents.filter((d) => (d.format === 'yaml' || d.format === 'yaml-stream') && found(d.content)).map((d) => d.path);
  if (files.length === 0) return;
  ctx.report(
    'error',
    'AFC3410',
    [],
    `${files.join(', ')} would hold NUL, DEL or a C1 control character, which kubectl apply -k (kustomize) cannot write back`,
    'find the spec value or secret holding it (a paste from a terminal?) and remove the character',
  );
}
