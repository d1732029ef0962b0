import { AIRFLOW_WEB_PORT, airflowCatalogue, stepsConsumer, type AirflowSecret, type SecretConsumer } from '../../compiler/airflow/components.ts';
import { OFFICIAL_IMAGE } from '../../compiler/airflow/image.ts';
import { airflowSettings, isPlain, plainValue, settingsFor, type Setting } from '../../compiler/airflow/settings.ts';
import type { ComponentSecrets } from '../../compiler/secrets/by-component.ts';
import type { KeyOrder } from '../../compiler/emit/key-order.ts';
import type { Model } from '../../compiler/normalize/model.ts';
import type { SecretRef } from '../../schema/generated/types.ts';
import {
  componentService,
  INIT_ADMIN_PASSWORD,
  initService,
  SERVICE,
  serviceName,
  type AirflowServiceBase,
  type ServiceEnvironment,
} from './airflow-services.ts';
import { AIRFLOW_USER, composeKeyOrder, escapeInterpolation, type ComposeFile, type ComposeService } from './compose-types.ts';
import { dagWiring, GIT_SSH_KEY_FILE, KNOWN_HOSTS_FILE } from './dags.ts';
import { POSTGRES, postgresService, REDIS, redisService } from './data-services.ts';
import { ignoredOnOneHost, type IgnoredSetting } from './single-host.ts';

/** The compose file's name in the bundle's folder. */
export const COMPOSE_FILE = 'docker-compose.yaml';

/** One line of an env file: a setting that holds secrets, a secret itself, or plain text. */
export type EnvEntry = { name: string; setting: Setting } | { name: string; secret: SecretRef } | { name: string; text: string };

/**
 * An env file of the bundle, written 0600: `.env` (the project name, which
 * compose reads for itself, and no secret), and `secrets/<service>.env`, the
 * secrets of one service, which only that service's `env_file` names.
 */
export interface EnvFile {
  path: string;
  /** Sorted by name. */
  entries: EnvEntry[];
}

/** The `.env` compose reads for the project name. */
export const PROJECT_ENV_FILE = '.env';

/** The env file with the secrets of one service. */
export const serviceEnvFile = (service: string) => `secrets/${service}.env`;

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
  /** `.env` first, then each service's secrets, by service name. */
  envFiles: EnvFile[];
  /** What each service gets of the secrets, by variable and file, for the README. */
  secretsByService: ComponentSecrets[];
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
  /**
   * The restart policy of the long-running services, `always` by default. A
   * host whose service manager starts the bundle in order takes
   * `unless-stopped`: dockerd then leaves the containers that a clean stop
   * stopped to that service at boot.
   */
  restart?: 'always' | 'unless-stopped';
  /** Where users reach the UI (`Endpoints.publicUrl`), when the target knows it. */
  publicUrl?: string;
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
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });

  // Each service gets its own settings (settingsFor): plain ones are reviewable in the compose file,
  // the ones holding a secret go to that service's env file (0600, git-ignored).
  const envFiles: EnvFile[] = [
    // The project name: docker-compose 1.29 rejects a top-level `name:`, and both it and compose v2 read this from .env.
    { path: PROJECT_ENV_FILE, entries: [{ name: 'COMPOSE_PROJECT_NAME', text: model.name }] },
  ];
  const secretsByService: ComponentSecrets[] = [];
  const wire = (service: string, consumer: SecretConsumer, extra: { entry: EnvEntry; what: AirflowSecret }[] = []): ServiceEnvironment => {
    const own = settingsFor(consumer, settings);
    const entries: EnvEntry[] = [...own.filter((s) => !isPlain(s)).map((setting) => ({ name: setting.name, setting })), ...extra.map((e) => e.entry)];
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    const envFile = entries.length ? serviceEnvFile(service) : undefined;
    if (envFile) envFiles.push({ path: envFile, entries });
    secretsByService.push({
      component: service,
      secrets: [
        ...own.filter((s) => s.scope).map((s) => ({ name: s.name, what: s.scope!, from: isPlain(s) ? `${COMPOSE_FILE} (plain)` : envFile! })),
        ...extra.map((e) => ({ name: e.entry.name, what: e.what, from: envFile! })),
      ],
    });
    return { environment: Object.fromEntries(own.filter(isPlain).map((s) => [s.name, plainValue(s)])), ...(envFile ? { envFile } : {}) };
  };

  const dependsOn: ComposeService['depends_on'] = {};
  if (model.database.kind === 'managed') dependsOn[POSTGRES.service] = { condition: 'service_healthy' };
  if (model.broker?.kind === 'managed' && model.airflow.executor === 'CeleryExecutor') dependsOn[REDIS.service] = { condition: 'service_healthy' };
  const pullPolicy = ({ Always: 'always', Never: 'never', IfNotPresent: undefined } as const)[model.airflow.image.pullPolicy];
  const base: AirflowServiceBase = {
    image: model.airflow.image.reference,
    ...(pullPolicy ? { pullPolicy } : {}),
    user: AIRFLOW_USER,
    volumes: [`airflow-logs:${OFFICIAL_IMAGE.logsFolder}`, ...dags.volumes],
    dependsOn,
  };
  // Airflow's components start once the migration and the first DAG sync have completed (the migration needs no DAGs).
  const afterInit: AirflowServiceBase = {
    ...base,
    dependsOn: {
      ...dependsOn,
      [SERVICE.init]: { condition: 'service_completed_successfully' },
      ...(dags.init ? { [dags.init.name]: { condition: 'service_completed_successfully' as const } } : {}),
    },
  };
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
      const name = serviceName(c);
      return [name, componentService(catalogue, c, afterInit, wire(name, c), { ...(ports ? { ports } : {}), ...(resources ? { resources } : {}) })];
    });

  const { migrate, createAdmin } = catalogue.steps;
  const init = wire(SERVICE.init, stepsConsumer([migrate, ...(createAdmin ? [createAdmin] : [])]), [
    ...(createAdmin ? [{ entry: { name: INIT_ADMIN_PASSWORD, secret: createAdmin.password }, what: 'adminPassword' as const }] : []),
  ]);
  const databasePassword = model.database.kind === 'managed' ? model.database.password : undefined;
  const postgres = databasePassword
    ? wire(POSTGRES.service, { secrets: [], config: [] }, [{ entry: { name: 'POSTGRES_PASSWORD', secret: databasePassword }, what: 'database' }])
    : undefined;
  envFiles.sort((a, b) => (a.path === PROJECT_ENV_FILE ? -1 : b.path === PROJECT_ENV_FILE ? 1 : a.path < b.path ? -1 : 1));
  secretsByService.sort((a, b) => (a.component < b.component ? -1 : 1));

  const services: Record<string, ComposeService | undefined> = {
    [POSTGRES.service]: postgresService(model, postgres?.envFile, options.postgresDataDir),
    [REDIS.service]: redisService(model),
    [SERVICE.init]: initService(catalogue, base, init),
    ...Object.fromEntries(airflow),
    ...(dags.init ? { [dags.init.name]: dags.init.service } : {}),
    ...(dags.sidecar ? { [dags.sidecar.name]: dags.sidecar.service } : {}),
  };
  if (options.restart) for (const service of Object.values(services)) if (service?.restart) service.restart = options.restart;
  const volumes = ['airflow-logs', ...dags.namedVolumes, ...(model.database.kind === 'managed' && !options.postgresDataDir ? [POSTGRES.volume] : [])];
  return {
    compose: escapeInterpolation({
      services: Object.fromEntries(Object.entries(services).filter((e): e is [string, ComposeService] => e[1] !== undefined)),
      volumes: Object.fromEntries(volumes.map((v) => [v, {}])),
    }),
    keyOrder: composeKeyOrder,
    envFiles,
    secretsByService: model.database.kind === 'managed' ? secretsByService : secretsByService.filter((s) => s.component !== POSTGRES.service),
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
