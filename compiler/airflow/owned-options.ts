/**
 * The airflow.cfg options afc sets itself, from spec fields: a user's value in
 * `airflow.config` (or as an `AIRFLOW__SECTION__KEY` in `airflow.env`) would
 * fight afc's, and for the keys and URLs put one secret in two places, one of
 * them reviewable. Why each is owned: docs/airflow-facts.md §13.
 *
 * Not owned, because a user's own value wins over afc's (compiler/airflow/settings.ts):
 * `[core] parallelism`, `[api] base_url` / `[webserver] base_url`,
 * `[api] auth_backends`, `[core] hostname_callable`.
 */
export interface OwnedOption {
  section: string;
  key: string;
  /** The spec field that sets it instead (`secrets.fernetKey`), or, when `derived`, what afc derives it from. */
  field: string;
  /** No spec field sets it: afc derives it (`field` says from what). */
  derived?: true;
  /**
   * The value is a secret (a key, or a URL with a password): Airflow also reads
   * it from `<key>_cmd` (a command's output) and `<key>_secret` (the secrets
   * backend), which afc owns as well, since either would replace afc's value.
   */
  secret?: true;
}

/** Sorted by section and key. */
export const OWNED_OPTIONS: readonly OwnedOption[] = [
  { section: 'api', key: 'port', field: 'components.webserver.port' },
  { section: 'api', key: 'secret_key', field: 'secrets.apiSecretKey', secret: true },
  { section: 'api_auth', key: 'jwt_issuer', field: "the spec's name (one issuer for every component)", derived: true },
  { section: 'api_auth', key: 'jwt_secret', field: 'secrets.jwtSecret', secret: true },
  { section: 'celery', key: 'broker_url', field: 'broker', secret: true },
  { section: 'celery', key: 'result_backend', field: 'database', secret: true },
  { section: 'celery', key: 'worker_concurrency', field: 'components.workers.concurrency' },
  { section: 'core', key: 'auth_manager', field: 'secrets.adminUser' },
  { section: 'core', key: 'dags_folder', field: 'dags' },
  { section: 'core', key: 'execution_api_server_url', field: 'the api-server afc runs', derived: true },
  { section: 'core', key: 'executor', field: 'airflow.executor' },
  { section: 'core', key: 'fernet_key', field: 'secrets.fernetKey', secret: true },
  // [core] held the database URL before 2.3, and reads it (deprecated) until 3.0.
  { section: 'core', key: 'sql_alchemy_conn', field: 'database', secret: true },
  { section: 'database', key: 'sql_alchemy_conn', field: 'database', secret: true },
  { section: 'database', key: 'sql_alchemy_conn_async', field: 'database', secret: true },
  // The section [kubernetes_executor] had until 2.5; Airflow 2 still reads it there (deprecated).
  { section: 'kubernetes', key: 'namespace', field: 'targets.<target>.namespace' },
  { section: 'kubernetes', key: 'pod_template_file', field: 'the pod template afc renders', derived: true },
  { section: 'kubernetes_executor', key: 'namespace', field: 'targets.<target>.namespace' },
  { section: 'kubernetes_executor', key: 'pod_template_file', field: 'the pod template afc renders', derived: true },
  { section: 'logging', key: 'logging_level', field: 'logging.level' },
  { section: 'logging', key: 'remote_base_log_folder', field: 'logging.remote.s3' },
  { section: 'logging', key: 'remote_log_conn_id', field: 'logging.remote.connId' },
  { section: 'logging', key: 'remote_logging', field: 'logging.remote' },
  { section: 'scheduler', key: 'enable_health_check', field: "the scheduler's health checks", derived: true },
  { section: 'scheduler', key: 'standalone_dag_processor', field: 'components.dagProcessor.replicas' },
  { section: 'webserver', key: 'secret_key', field: 'secrets.apiSecretKey', secret: true },
  { section: 'webserver', key: 'web_server_port', field: 'components.webserver.port' },
];

const BY_NAME = new Map<string, OwnedOption>();
for (const option of OWNED_OPTIONS) {
  BY_NAME.set(`${option.section}.${option.key}`, option);
  if (option.secret) for (const suffix of ['_cmd', '_secret']) BY_NAME.set(`${option.section}.${option.key}${suffix}`, option);
}

/** The owned option that `[section] key` sets (its `_cmd` / `_secret` forms included), if afc owns it. */
export function ownedOption(section: string, key: string): OwnedOption | undefined {
  return BY_NAME.get(`${section}.${key}`);
}

/** `AIRFLOW__SECTION__KEY`, the environment variable Airflow reads `[section] key` from. */
export function optionEnvName(section: string, key: string): string {
  return `AIRFLOW__${section.toUpperCase()}__${key.toUpperCase()}`;
}

/**
 * `[section] key` of an `AIRFLOW__SECTION__KEY` variable, lower-cased as
 * Airflow reads it (the section ends at the first `__` after the prefix), or
 * undefined for any other name.
 */
export function optionOfEnvName(name: string): { section: string; key: string } | undefined {
  const match = /^AIRFLOW__([A-Z0-9_]+?)__([A-Z0-9_]+)$/i.exec(name);
  if (!match) return undefined;
  return { section: match[1]!.toLowerCase(), key: match[2]!.toLowerCase() };
}
