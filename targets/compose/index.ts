import { airflowSettings, isPlain, plainValue, resolvedValue } from '../../compiler/airflow/settings.ts';
import { DEFAULTS } from '../../compiler/normalize/normalize.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { CheckContext, RenderContext, Target, TargetDocument } from '../../compiler/targets/target.ts';
import { dagProcessorService, flowerService, initService, SERVICE, schedulerService, triggererService, webService, webServiceName, workerService, type AirflowServiceBase } from './airflow-services.ts';
import { composeKeyOrder, type ComposeFile, type ComposeService } from './compose-types.ts';
import { dagWiring, GIT_SSH_KEY_FILE, KNOWN_HOSTS_FILE } from './dags.ts';
import { POSTGRES, postgresService, REDIS, redisService } from './data-services.ts';
import { dotenv } from './dotenv.ts';

export const COMPOSE_FILE = 'docker-compose.yaml';
export const ENV_FILE = '.env';

export const composeTarget: Target = {
  name: 'compose',
  description: 'docker-compose for a laptop or a single host',
  supports: { executors: ['LocalExecutor', 'CeleryExecutor'], dagSources: ['image', 'path', 'git', 's3'] },
  secrets: 'values',
  check: checkCompose,
  render: renderCompose,
};

export default composeTarget;

/** What compose cannot do is an error; settings it ignores are warnings that name them. */
function checkCompose(model: Model, ctx: CheckContext): void {
  if (model.airflow.executor === 'KubernetesExecutor') {
    ctx.report('error', 'AFC3101', ['airflow', 'executor'], 'compose cannot run KubernetesExecutor: it has no Kubernetes API to start task pods', 'use LocalExecutor or CeleryExecutor for compose, or build --target eks');
  }
  const ignored = (path: (string | number)[], what: string) => ctx.report('warning', 'AFC3102', path, `compose ignores ${what}`);
  if (model.database.kind === 'managed') {
    if (model.database.instanceClass !== DEFAULTS.managedDatabase.instanceClass) ignored(['database', 'managed', 'instanceClass'], 'database.managed.instanceClass: Postgres runs as a container');
    if (model.database.storageGb !== DEFAULTS.managedDatabase.storageGb) ignored(['database', 'managed', 'storageGb'], 'database.managed.storageGb: the data lives in a Docker volume');
  }
  if (model.broker?.kind === 'managed' && model.broker.nodeType !== DEFAULTS.managedBroker.nodeType) ignored(['broker', 'managed', 'nodeType'], 'broker.managed.nodeType: Redis runs as a container');
  if (model.components.workers?.autoscaling) ignored(['components', 'workers', 'autoscaling'], `components.workers.autoscaling: compose runs a fixed ${model.components.workers.replicas} workers`);
  if (model.components.webserver.replicas > 1) ignored(['components', 'webserver', 'replicas'], `components.webserver.replicas: one ${model.facts.web.component} owns the published port`);
  if (model.network.tls) ignored(['network', 'tls'], 'network.tls: put a TLS-terminating proxy in front of the published port');
  if (model.network.allowedCidrs.length > 0) {
    ctx.report('warning', 'AFC3103', ['network', 'allowedCidrs'], 'compose cannot filter by address: with network.allowedCidrs the UI is published on every interface', 'restrict access with the host\'s firewall or security group (the ec2 target does)');
  }
}

function renderCompose(model: Model, ctx: RenderContext): TargetDocument[] {
  const dags = dagWiring(model, ctx.specDirFromOutput);
  const web = webServiceName(model);
  const settings = airflowSettings(model, {
    ...(model.database.kind === 'managed' ? { database: { host: POSTGRES.service, port: POSTGRES.port } } : {}),
    ...(model.broker?.kind === 'managed' ? { redis: { host: REDIS.service, port: REDIS.port } } : {}),
    ...(model.facts.major >= 3 ? { apiServer: `http://${web}:${model.components.webserver.port}` } : {}),
    ...(dags.dagsFolder ? { dagsFolder: dags.dagsFolder } : {}),
  });

  // Plain settings are reviewable in the compose file; anything holding a secret goes to .env (0600, git-ignored).
  const environment = Object.fromEntries(settings.filter(isPlain).map((s) => [s.name, plainValue(s)]));
  const secretEnv: [string, string][] = settings.filter((s) => !isPlain(s)).map((s) => [s.name, resolvedValue(s, (ref) => ctx.secrets.value(ref))]);
  if (model.secrets.adminUser) secretEnv.push(['_AFC_ADMIN_PASSWORD', ctx.secrets.value(model.secrets.adminUser.password)]);
  const databasePassword = model.database.kind === 'managed' ? model.database.password : undefined;
  if (databasePassword) secretEnv.push(['POSTGRES_PASSWORD', ctx.secrets.value(databasePassword)]);
  // The project name: docker-compose 1.29 rejects a top-level `name:`, and both it and compose v2 read this from .env.
  secretEnv.push(['COMPOSE_PROJECT_NAME', model.name]);
  secretEnv.sort(([a], [b]) => (a < b ? -1 : 1));

  const dependsOn: ComposeService['depends_on'] = {};
  if (model.database.kind === 'managed') dependsOn[POSTGRES.service] = { condition: 'service_healthy' };
  if (model.broker?.kind === 'managed' && model.airflow.executor === 'CeleryExecutor') dependsOn[REDIS.service] = { condition: 'service_healthy' };
  if (dags.sidecar) dependsOn[dags.sidecar.name] = { condition: 'service_started' };
  const base: AirflowServiceBase = {
    image: model.airflow.image.reference,
    user: '${AIRFLOW_UID:-50000}:0',
    environment,
    envFile: true,
    volumes: ['airflow-logs:/opt/airflow/logs', ...dags.volumes],
    dependsOn,
  };
  const afterInit: AirflowServiceBase = { ...base, dependsOn: { ...dependsOn, [SERVICE.init]: { condition: 'service_completed_successfully' } } };
  const port = `${model.network.allowedCidrs.length > 0 ? '' : '127.0.0.1:'}${model.targets.compose?.port ?? 8080}:${model.components.webserver.port}`;

  const services: Record<string, ComposeService | undefined> = {
    [POSTGRES.service]: postgresService(model, databasePassword !== undefined),
    [REDIS.service]: redisService(model),
    [SERVICE.init]: initService(model, base),
    [web]: webService(model, afterInit, port),
    [SERVICE.scheduler]: schedulerService(model, afterInit),
    [SERVICE.dagProcessor]: dagProcessorService(model, afterInit),
    [SERVICE.triggerer]: triggererService(model, afterInit),
    [SERVICE.worker]: workerService(model, afterInit),
    [SERVICE.flower]: flowerService(model, afterInit),
    ...(dags.sidecar ? { [dags.sidecar.name]: dags.sidecar.service } : {}),
  };
  const volumes = ['airflow-logs', ...dags.namedVolumes, ...(model.database.kind === 'managed' ? [POSTGRES.volume] : [])];
  const compose: ComposeFile = {
    services: Object.fromEntries(Object.entries(services).filter((e): e is [string, ComposeService] => e[1] !== undefined)),
    volumes: Object.fromEntries(volumes.map((v) => [v, {}])),
  };

  const documents: TargetDocument[] = [{ path: COMPOSE_FILE, format: 'yaml', content: compose, keyOrder: composeKeyOrder }];
  documents.push({ path: ENV_FILE, format: 'text', content: dotenv(secretEnv), secret: true, commentPrefix: '#' });
  if (model.dags.kind === 'git' && model.dags.sshKey) {
    documents.push({ path: GIT_SSH_KEY_FILE, format: 'text', content: `${ctx.secrets.value(model.dags.sshKey).trimEnd()}\n`, secret: true });
    if (model.dags.knownHosts) documents.push({ path: KNOWN_HOSTS_FILE, format: 'text', content: `${model.dags.knownHosts.trimEnd()}\n` });
  }
  return documents;
}

