import { AIRFLOW_WEB_PORT, airflowCatalogue } from '../../compiler/airflow/components.ts';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import { airflowSettings, isPlain, plainValue, type Setting } from '../../compiler/airflow/settings.ts';
import type { KeyOrder } from '../../compiler/emit/key-order.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { SecretRef } from '../../schema/generated/types.ts';
import { componentService, initService, SERVICE, serviceName, type AirflowServiceBase } from './airflow-services.ts';
import { AIRFLOW_USER, composeKeyOrder, literal, type ComposeFile, type ComposeService } from './compose-types.ts';
import { dagWiring, GIT_SSH_KEY_FILE, KNOWN_HOSTS_FILE } from './dags.ts';
import { POSTGRES, postgresService, REDIS, redisService } from './data-services.ts';
import { ignoredOnOneHost, type IgnoredSetting } from './single-host.ts';

/** The compose file's name in the bundle's folder. */
export const COMPOSE_FILE = 'docker-compose.yaml';

/** One line of .env: a setting that holds secrets, a secret itself, or plain text. */
export type EnvEntry = { name: string; setting: Setting } | { name: string; secret: SecretRef } | { name: string; text: string };

/** A file the compose file mounts from its folder: plain text, or a secret to write 0600 (the git SSH key). */
export type BundleFile = { path: string; text: string } | { path: string; secret: SecretRef };

/**
 * The compose bundle of a spec, shared by the compose target (which fills
 * .env with resolved values) and the ec2 target (which has the host fetch
 * them from SSM at boot): the compose file, holding no secret value, the
 * recipe for .env, the files beside them, and what a single host ignores.
 * This is the compose target's one published interface to other targets.
 */
export interface ComposeBundle {
  /** The content of `COMPOSE_FILE`, serialized with `keyOrder`. */
  compose: ComposeFile;
  keyOrder: KeyOrder;
  /** Sorted by name; everything that holds a secret, and the project name. */
  env: EnvEntry[];
  /** Files beside the compose file that its services mount, in the order to write them. */
  files: BundleFile[];
  /**
   * Services that a host's scripts and instructions name: the scheduler, and
   * the database and the broker afc runs for a managed one (the names hold
   * whether or not the spec has them).
   */
  services: { scheduler: string; database: string; broker: string };
  /** Settings of the spec that a deployment on one host cannot honour, for the target's warnings. */
  ignored: IgnoredSetting[];
}

export interface BundleOptions {
  /** Where bind-mounted paths (a DAG folder) are, relative to the compose file. */
  specDirFromOutput: string;
  /** Keep Postgres's data in this host folder (a dedicated volume on ec2) instead of a Docker volume. */
  postgresDataDir?: string;
  /** The UI's `ports:` entry; by default targets.compose.port, on loopback unless network.allowedCidrs opens it. */
  uiPort?: string;
}

export function composeBundle(model: Model, options: BundleOptions): ComposeBundle {
  const dags = dagWiring(model, options.specDirFromOutput);
  const catalogue = airflowCatalogue(model);
  const web = catalogue.web;
  const settings = airflowSettings(model, {
    ...(model.database.kind === 'managed' ? { database: { host: POSTGRES.service, port: POSTGRES.port } } : {}),
    ...(model.broker?.kind === 'managed' ? { redis: { host: REDIS.service, port: REDIS.port } } : {}),
    apiServer: `http://${serviceName(web)}:${web.ports.http}`,
    ...(dags.dagsFolder ? { dagsFolder: dags.dagsFolder } : {}),
  });

  // Plain settings are reviewable in the compose file; anything holding a secret goes to .env (0600, git-ignored).
  const environment = Object.fromEntries(settings.filter(isPlain).map((s) => [s.name, literal(plainValue(s))]));
  const env: EnvEntry[] = settings.filter((s) => !isPlain(s)).map((setting) => ({ name: setting.name, setting }));
  if (model.secrets.adminUser) env.push({ name: '_AFC_ADMIN_PASSWORD', secret: model.secrets.adminUser.password });
  const databasePassword = model.database.kind === 'managed' ? model.database.password : undefined;
  if (databasePassword) env.push({ name: 'POSTGRES_PASSWORD', secret: databasePassword });
  // The project name: docker-compose 1.29 rejects a top-level `name:`, and both it and compose v2 read this from .env.
  env.push({ name: 'COMPOSE_PROJECT_NAME', text: model.name });
  env.sort((a, b) => (a.name < b.name ? -1 : 1));

  const dependsOn: ComposeService['depends_on'] = {};
  if (model.database.kind === 'managed') dependsOn[POSTGRES.service] = { condition: 'service_healthy' };
  if (model.broker?.kind === 'managed' && model.airflow.executor === 'CeleryExecutor') dependsOn[REDIS.service] = { condition: 'service_healthy' };
  if (dags.sidecar) dependsOn[dags.sidecar.name] = { condition: 'service_started' };
  const pullPolicy = ({ Always: 'always', Never: 'never', IfNotPresent: undefined } as const)[model.airflow.image.pullPolicy];
  const base: AirflowServiceBase = {
    image: model.airflow.image.reference,
    ...(pullPolicy ? { pullPolicy } : {}),
    user: AIRFLOW_USER,
    environment,
    envFile: true,
    volumes: [`airflow-logs:${OFFICIAL_IMAGE.logsFolder}`, ...dags.volumes],
    dependsOn,
  };
  const afterInit: AirflowServiceBase = { ...base, dependsOn: { ...dependsOn, [SERVICE.init]: { condition: 'service_completed_successfully' } } };
  const port =
    options.uiPort ?? `${model.network.allowedCidrs.length > 0 ? '' : '127.0.0.1:'}${model.targets.compose?.port ?? AIRFLOW_WEB_PORT}:${web.ports.http}`;
  const airflow = catalogue.components
    // compose has no scaler to start a worker that has no replicas.
    .filter((c) => !(c.role === 'worker' && c.resources.replicas === 0))
    .map((c): [string, ComposeService] => {
      // Flower has no login: published on loopback only, whatever network.allowedCidrs says.
      const ports = c.role === 'web' ? [port] : c.role === 'flower' ? [`127.0.0.1:${c.ports.published}:${c.ports.http}`] : undefined;
      // One UI owns the published port.
      const resources = c.role === 'web' ? { ...c.resources, replicas: 1 } : undefined;
      return [serviceName(c), componentService(catalogue, c, afterInit, { ...(ports ? { ports } : {}), ...(resources ? { resources } : {}) })];
    });

  const services: Record<string, ComposeService | undefined> = {
    [POSTGRES.service]: postgresService(model, databasePassword !== undefined, options.postgresDataDir),
    [REDIS.service]: redisService(model),
    [SERVICE.init]: initService(catalogue, base),
    ...Object.fromEntries(airflow),
    ...(dags.sidecar ? { [dags.sidecar.name]: dags.sidecar.service } : {}),
  };
  const volumes = ['airflow-logs', ...dags.namedVolumes, ...(model.database.kind === 'managed' && !options.postgresDataDir ? [POSTGRES.volume] : [])];
  return {
    compose: {
      services: Object.fromEntries(Object.entries(services).filter((e): e is [string, ComposeService] => e[1] !== undefined)),
      volumes: Object.fromEntries(volumes.map((v) => [v, {}])),
    },
    keyOrder: composeKeyOrder,
    env,
    files: model.dags.kind === 'git' ? gitFiles(model.dags) : [],
    services: { scheduler: SERVICE.scheduler, database: POSTGRES.service, broker: REDIS.service },
    ignored: ignoredOnOneHost(model),
  };
}

/** The git SSH key and known hosts git-sync mounts, when the spec has them. */
function gitFiles(dags: Extract<Model['dags'], { kind: 'git' }>): BundleFile[] {
  if (!dags.sshKey) return [];
  return [{ path: GIT_SSH_KEY_FILE, secret: dags.sshKey }, ...(dags.knownHosts ? [{ path: KNOWN_HOSTS_FILE, text: `${dags.knownHosts.trimEnd()}\n` }] : [])];
}
