import type { SecretRef } from '../../schema/generated/types.ts';
import { executionApiUrl } from './facts.ts';
import type { Model } from '../normalize/model.ts';
import type { AirflowSecret, SecretConsumer } from './components.ts';
import { needsSetting } from './components.ts';

/** A piece of a setting: text, or a secret (URL-encoded when it goes into a URL). */
export type SettingPart = string | { secret: SecretRef; encode?: 'uri' };

/**
 * One environment variable of every Airflow container. Its value is plain
 * text, or holds secrets; how a secret reaches the container (a 0600 file, a
 * platform reference) is the target's choice.
 */
export interface Setting {
  name: string;
  parts: SettingPart[];
  /**
   * The secret this setting carries (or, plain, stands for: a connection
   * given as a URI, a broker URL without a password): only a process whose
   * catalogue entry lists it gets the setting. Unset: a setting that the
   * process's `config` decides.
   */
  scope?: AirflowSecret;
}

/** Where the services a target runs can be reached from Airflow's containers. */
export interface Endpoints {
  /** Host and port of a managed database. */
  database?: { host: string; port: number };
  /**
   * Host of a managed Redis; `tls` when it only speaks TLS (rediss://,
   * certificate checked); `password` when it requires one (`requirepass`),
   * which the broker URL then carries, URL-encoded.
   */
  redis?: { host: string; port: number; tls?: boolean; password?: SecretRef };
  /** Base URL of the UI, without a trailing slash: where tasks reach the execution API on Airflow 3. */
  apiServer?: string;
  /**
   * Where users reach the UI (`https://airflow.acme.io`, `http://host:8080`:
   * scheme, host, a port, no path), when the target knows it: the base URL of
   * the links Airflow builds. Not where tasks reach the execution API, which
   * afc sets apart (`apiServer`).
   */
  publicUrl?: string;
  /** Where DAGs are, when not the image's default folder. */
  dagsFolder?: string;
  /**
   * Where the Kubernetes executor runs tasks: the namespace of their pods,
   * and the path of the pod template file in the scheduler's container.
   */
  taskPods?: { namespace: string; podTemplateFile: string };
  /**
   * Components' host names do not resolve on the platform (pods, ECS tasks):
   * each records its IP instead, where the UI then fetches a running task's log.
   */
  addressByIp?: boolean;
}

const HOSTNAME_CALLABLE = 'AIRFLOW__CORE__HOSTNAME_CALLABLE';
const PARALLELISM = 'AIRFLOW__CORE__PARALLELISM';

/**
 * `Endpoints.publicUrl` from `network.hostname`, when the spec has one (none
 * otherwise): the scheme the target serves the UI with, and the port when it
 * is not the scheme's own.
 */
export function publicUiUrl(model: Model, scheme: 'http' | 'https', port?: number): Pick<Endpoints, 'publicUrl'> {
  if (!model.network.hostname) return {};
  const omitted = port === undefined || (scheme === 'http' && port === 80) || (scheme === 'https' && port === 443);
  return { publicUrl: `${scheme}://${model.network.hostname}${omitted ? '' : `:${port}`}` };
}
const AUTH_BACKENDS = 'AIRFLOW__API__AUTH_BACKENDS';
/** `[api_auth] jwt_audience`, which the UI's and REST API's token validator reads. */
const TOKEN_AUDIENCE = 'AIRFLOW__API_AUTH__JWT_AUDIENCE';

/** The user of a managed database; its password is `database.managed.password`, or this name. */
export const MANAGED_DATABASE = { user: 'airflow', name: 'airflow' } as const;

const plain = (name: string, value: string | number, scope?: AirflowSecret): Setting => ({ name, parts: [String(value)], ...(scope ? { scope } : {}) });
const secret = (name: string, ref: SecretRef, scope: AirflowSecret): Setting => ({ name, parts: [{ secret: ref }], scope });

/** Whether the setting holds no secret part: its value may be written where reviewers read it. */
export function isPlain(setting: Setting): boolean {
  return setting.parts.every((p) => typeof p === 'string');
}

/** The setting's text with its secret parts left out: the whole value when `isPlain`. */
export function plainValue(setting: Setting): string {
  return setting.parts.map((p) => (typeof p === 'string' ? p : '')).join('');
}

/** The value with secrets filled in. */
export function resolvedValue(setting: Setting, value: (ref: SecretRef) => string): string {
  return setting.parts.map((p) => (typeof p === 'string' ? p : p.encode === 'uri' ? uriComponent(value(p.secret)) : value(p.secret))).join('');
}

/**
 * Percent-encoding of RFC 3986: everything but letters, digits and `-._~`.
 * encodeURIComponent also leaves `!'()*`; encoding them too gives the bytes
 * that Python's quote(safe='') and jq's @uri give, which render the same
 * setting on the platforms that compose it themselves (ECS, an EC2 host).
 */
export function uriComponent(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Every AIRFLOW__* (and AIRFLOW_CONN_*, AIRFLOW_VAR_*, extra) variable afc
 * sets, sorted by name: the executor, the database and broker, the keys that
 * every component must share, version-dependent settings, then the user's.
 */
export function airflowSettings(model: Model, endpoints: Endpoints): Setting[] {
  const settings: Setting[] = [plain('AIRFLOW__CORE__EXECUTOR', model.airflow.executor)];
  const database = databaseUrl(model, endpoints);
  settings.push({ name: 'AIRFLOW__DATABASE__SQL_ALCHEMY_CONN', parts: ['postgresql+psycopg2://', ...database], scope: 'database' });
  if (model.airflow.executor === 'CeleryExecutor') {
    // Celery's result backend is the metadata database: whoever may hold one holds the other.
    settings.push({ name: 'AIRFLOW__CELERY__RESULT_BACKEND', parts: ['db+postgresql://', ...database], scope: 'database' });
    if (model.broker?.kind === 'external') settings.push(secret('AIRFLOW__CELERY__BROKER_URL', model.broker.url, 'broker'));
    else if (endpoints.redis) {
      const r = endpoints.redis;
      const scheme = r.tls ? 'rediss' : 'redis';
      const at = `${r.host}:${r.port}/0${r.tls ? '?ssl_cert_reqs=required' : ''}`;
      // Redis' AUTH with a password only: kombu reads it from the URL's password, after an empty user.
      settings.push(
        r.password
          ? { name: 'AIRFLOW__CELERY__BROKER_URL', parts: [`${scheme}://:`, { secret: r.password, encode: 'uri' }, `@${at}`], scope: 'broker' }
          : plain('AIRFLOW__CELERY__BROKER_URL', `${scheme}://${at}`, 'broker'),
      );
    }
    if (model.components.workers) settings.push(plain('AIRFLOW__CELERY__WORKER_CONCURRENCY', model.components.workers.concurrency));
  }
  // The LocalExecutor's task slots, which the scheduler's memory holds (compiler/airflow/sizing.ts); a user's own value wins.
  const slots = model.components.scheduler.taskSlots;
  if (slots !== undefined && !model.environment.some((e) => e.name === PARALLELISM)) settings.push(plain(PARALLELISM, slots));
  settings.push(secret('AIRFLOW__CORE__FERNET_KEY', model.secrets.fernetKey, 'fernetKey'));
  settings.push(secret(model.facts.secretKeyEnv, model.secrets.apiSecretKey, 'apiSecretKey'));
  if (model.facts.jwtSecretEnv && model.secrets.jwtSecret) settings.push(secret(model.facts.jwtSecretEnv, model.secrets.jwtSecret, 'jwtSecret'));
  // Every token signer and validator must agree on the issuer: one value, the deployment's name, for every process.
  if (model.facts.jwtIssuerEnv) settings.push(plain(model.facts.jwtIssuerEnv, model.name));
  const execution = endpoints.apiServer ? executionApiUrl(model.facts, endpoints.apiServer) : undefined;
  if (execution) settings.push(plain('AIRFLOW__CORE__EXECUTION_API_SERVER_URL', execution));
  // A user's own base_url wins (a path behind their own proxy, say).
  if (endpoints.publicUrl && !model.environment.some((e) => e.name === model.facts.baseUrlEnv))
    settings.push(plain(model.facts.baseUrlEnv, endpoints.publicUrl));
  if (model.facts.authManager) settings.push(plain('AIRFLOW__CORE__AUTH_MANAGER', model.facts.authManager));
  // Airflow 2's REST API takes a login only through the basic_auth backend; a user's own `api.auth_backends` wins.
  if (model.facts.restApi.auth === 'basic' && !model.environment.some((e) => e.name === AUTH_BACKENDS))
    settings.push(plain(AUTH_BACKENDS, model.facts.restApi.authBackends));
  if (model.facts.major === 2 && model.facts.standaloneDagProcessor) settings.push(plain('AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR', 'True'));
  settings.push(plain('AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK', 'True'));
  settings.push(plain('AIRFLOW__LOGGING__LOGGING_LEVEL', model.logging.level));
  if (model.logging.remote) {
    settings.push(
      plain('AIRFLOW__LOGGING__REMOTE_LOGGING', 'True'),
      plain('AIRFLOW__LOGGING__REMOTE_BASE_LOG_FOLDER', model.logging.remote.s3),
      plain('AIRFLOW__LOGGING__REMOTE_LOG_CONN_ID', model.logging.remote.connId),
    );
  }
  if (endpoints.dagsFolder) settings.push(plain('AIRFLOW__CORE__DAGS_FOLDER', endpoints.dagsFolder));
  if (model.airflow.executor === 'KubernetesExecutor' && endpoints.taskPods)
    settings.push(
      plain('AIRFLOW__KUBERNETES_EXECUTOR__NAMESPACE', endpoints.taskPods.namespace),
      plain('AIRFLOW__KUBERNETES_EXECUTOR__POD_TEMPLATE_FILE', endpoints.taskPods.podTemplateFile),
    );
  // A user's own `core.hostname_callable` wins.
  if (endpoints.addressByIp && !model.environment.some((e) => e.name === HOSTNAME_CALLABLE))
    settings.push(plain(HOSTNAME_CALLABLE, 'airflow.utils.net.get_host_ip_address'));
  // Before 3.3 the token signer reads another option than its validator: a spec's audience goes to both, unless it sets both itself.
  const signerAudience = model.facts.tokenSignerAudienceEnv;
  const audience = model.environment.find((e) => e.name === TOKEN_AUDIENCE);
  if (signerAudience && audience && !model.environment.some((e) => e.name === signerAudience))
    settings.push(typeof audience.value === 'string' ? plain(signerAudience, audience.value) : secret(signerAudience, audience.value, 'environment'));
  // A plain `airflow.env` entry is configuration like any other; one from a secret store is a secret.
  for (const entry of model.environment)
    settings.push(typeof entry.value === 'string' ? plain(entry.name, entry.value) : secret(entry.name, entry.value, 'environment'));
  for (const connection of model.connections)
    settings.push(
      'uri' in connection.value ? plain(connection.env, connection.value.uri, 'connections') : secret(connection.env, connection.value, 'connections'),
    );
  for (const variable of model.variables)
    settings.push(typeof variable.value === 'string' ? plain(variable.name, variable.value, 'variables') : secret(variable.name, variable.value, 'variables'));
  return settings.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The settings of one process: a scoped setting when its catalogue entry
 * lists the setting's secret, any other when its `config` needs it. This is
 * the one rule every target applies, so that a process's environment holds
 * exactly what docs/airflow-facts.md §7f says it gets.
 */
export function settingsFor(consumer: SecretConsumer, settings: readonly Setting[]): Setting[] {
  return settings.filter((s) => (s.scope ? consumer.secrets.includes(s.scope) : needsSetting(consumer.config, s.name)));
}

/** `user:password@host:port/name?sslmode=…` (after the scheme), the password a secret part. */
export function databaseUrl(model: Model, endpoints: Endpoints): SettingPart[] {
  const db = model.database;
  if (db.kind === 'external') {
    return [`${uriComponent(db.user)}:`, { secret: db.password, encode: 'uri' }, `@${db.host}:${db.port}/${uriComponent(db.name)}?sslmode=${db.sslmode}`];
  }
  const at = endpoints.database ?? { host: 'localhost', port: 5432 };
  const password: SettingPart = db.password ? { secret: db.password, encode: 'uri' } : MANAGED_DATABASE.user;
  return [`${MANAGED_DATABASE.user}:`, password, `@${at.host}:${at.port}/${MANAGED_DATABASE.name}`];
}
