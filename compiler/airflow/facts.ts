import type { AirflowVersion } from '../normalize/airflow-version.ts';

/**
 * What differs between Airflow 2 and 3, decided once from the version so that
 * no target branches on version numbers itself. Sources: docs/airflow-facts.md.
 */
export interface AirflowFacts {
  major: 2 | 3;
  /**
   * The UI: `webserver` on Airflow 2, `api-server` on Airflow 3.
   * `healthPath` is Airflow's full health check: it reads the metadata
   * database (the latest scheduler, triggerer and DAG processor heartbeats),
   * so a slow database makes it slow. `alivePath` answers from the process
   * alone (the version, no database, no login): what a liveness check asks,
   * so that a slow database does not restart every UI process.
   */
  web: { component: 'webserver' | 'api-server'; command: string[]; healthPath: string; alivePath: string };
  /** The standalone DAG processor runs (always on Airflow 3, opt-in on 2). */
  standaloneDagProcessor: boolean;
  /** Environment variable of the UI/API secret key: `[webserver] secret_key` on 2, `[api] secret_key` on 3. */
  secretKeyEnv: 'AIRFLOW__WEBSERVER__SECRET_KEY' | 'AIRFLOW__API__SECRET_KEY';
  /**
   * Where users reach the UI, for the links Airflow builds (e-mails, log and
   * run URLs): `[api] base_url` on 3, `[webserver] base_url` on 2 (renamed in
   * 3.0: 318 `configuration.py:350`). Its path is also where the UI is served
   * (318 `api_fastapi/app.py:44-47,91`), so afc gives scheme and host only.
   */
  baseUrlEnv: 'AIRFLOW__WEBSERVER__BASE_URL' | 'AIRFLOW__API__BASE_URL';
  /** `[api_auth] jwt_secret`, Airflow 3 only. */
  jwtSecretEnv?: 'AIRFLOW__API_AUTH__JWT_SECRET';
  /**
   * `[api_auth] jwt_issuer` (Airflow 3.0 and later, default unset): the `iss`
   * claim that every token signer writes (the scheduler's executor for task
   * tokens, the api-server for UI and REST tokens) and that every validator
   * then requires and compares (the api-server's execution and public APIs),
   * so every component gets the same value; afc sets the spec's `name`, as
   * the official docker-compose file sets `airflow` (docs/airflow-facts.md §14).
   */
  jwtIssuerEnv?: 'AIRFLOW__API_AUTH__JWT_ISSUER';
  /**
   * Airflow 3.0 to 3.2 only: where the UI's and REST API's token signer reads
   * its audience, `[api] jwt_audience`, while their validator reads the
   * documented `[api_auth] jwt_audience` (both default `apache-airflow`;
   * 3.0.6, 3.1.8, 3.2.2 `base_auth_manager.py`). A spec's own
   * `[api_auth] jwt_audience` is also given here, or no login would pass.
   * 3.3 reads `[api_auth]` on both sides (docs/airflow-facts.md §14c).
   */
  tokenSignerAudienceEnv?: 'AIRFLOW__API__JWT_AUDIENCE';
  /** Path of the task execution API on the api-server (Airflow 3); targets add scheme, host and port. */
  executionApiPath?: '/execution/';
  /** Airflow 3's default auth manager cannot create users; FAB can. Set when an admin user is requested. */
  authManager?: string;
  /** `airflow jobs check --job-type` values. */
  jobTypes: { scheduler: 'SchedulerJob'; triggerer: 'TriggererJob'; dagProcessor: 'DagProcessorJob' };
  /** The scheduler's HTTP health server (`[scheduler] enable_health_check`). */
  schedulerHealthPort: 8974;
  /** Celery application for `celery inspect ping` (the Celery provider, Airflow 2.7+). */
  celeryApp: 'airflow.providers.celery.executors.celery_executor.app';
  /**
   * The log servers the UI reads a running task's log from ([logging]
   * worker_log_server_port, trigger_log_server_port): the worker's (the
   * scheduler's with LocalExecutor) and the triggerer's.
   */
  logServerPorts: { task: 8793; triggerer: 8794 };
  /**
   * The stable REST API: `/api/v2` behind a JWT from `POST /auth/token` on
   * Airflow 3; `/api/v1` on Airflow 2, where HTTP basic auth works only with
   * the `basic_auth` backend in `[api] auth_backends` (`authBackends`, what
   * the official docker-compose file sets; the default is the session alone).
   */
  restApi: { prefix: '/api/v2'; auth: 'token' } | { prefix: '/api/v1'; auth: 'basic'; authBackends: string };
}

export const FAB_AUTH_MANAGER = 'airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager';

/**
 * The facts of an Airflow version (and of the two spec choices that change
 * them: a standalone DAG processor on Airflow 2, an admin user). Decided once,
 * by normalize; sources in docs/airflow-facts.md.
 */
export function airflowFacts(version: AirflowVersion, options: { dagProcessorReplicas: number; adminUser: boolean }): AirflowFacts {
  const common = {
    jobTypes: { scheduler: 'SchedulerJob', triggerer: 'TriggererJob', dagProcessor: 'DagProcessorJob' },
    schedulerHealthPort: 8974,
    celeryApp: 'airflow.providers.celery.executors.celery_executor.app',
    logServerPorts: { task: 8793, triggerer: 8794 },
  } as const;
  if (version.major >= 3) {
    return {
      ...common,
      major: 3,
      web: { component: 'api-server', command: ['api-server'], healthPath: '/api/v2/monitor/health', alivePath: '/api/v2/version' },
      standaloneDagProcessor: true,
      secretKeyEnv: 'AIRFLOW__API__SECRET_KEY',
      baseUrlEnv: 'AIRFLOW__API__BASE_URL',
      jwtSecretEnv: 'AIRFLOW__API_AUTH__JWT_SECRET',
      jwtIssuerEnv: 'AIRFLOW__API_AUTH__JWT_ISSUER',
      ...(version.minor < 3 ? { tokenSignerAudienceEnv: 'AIRFLOW__API__JWT_AUDIENCE' as const } : {}),
      executionApiPath: '/execution/',
      restApi: { prefix: '/api/v2', auth: 'token' },
      ...(options.adminUser ? { authManager: FAB_AUTH_MANAGER } : {}),
    };
  }
  return {
    ...common,
    major: 2,
    web: { component: 'webserver', command: ['webserver'], healthPath: '/health', alivePath: '/api/v1/version' },
    standaloneDagProcessor: options.dagProcessorReplicas > 0,
    secretKeyEnv: 'AIRFLOW__WEBSERVER__SECRET_KEY',
    baseUrlEnv: 'AIRFLOW__WEBSERVER__BASE_URL',
    restApi: { prefix: '/api/v1', auth: 'basic', authBackends: 'airflow.api.auth.backend.basic_auth,airflow.api.auth.backend.session' },
  };
}

/** `[core] execution_api_server_url` for an api-server reachable at `baseUrl` (no trailing slash). */
export function executionApiUrl(facts: Pick<AirflowFacts, 'executionApiPath'>, baseUrl: string): string | undefined {
  return facts.executionApiPath ? `${baseUrl}${facts.executionApiPath}` : undefined;
}
