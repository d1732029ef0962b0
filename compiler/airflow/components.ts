import type { SecretRef } from '../../schema/generated/types.ts';
import { shellWord } from '../emit/shell.ts';
import type { ComponentsModel, Model, Resources } from '../normalize/model.ts';

/**
 * Every process afc runs for Airflow, decided once from the model (and its
 * version facts): commands, health checks, ports, environment, stop grace,
 * and the steps that prepare the database. Targets translate this into their
 * platform's shapes; none of them writes an Airflow command line, port or
 * health path of its own. Sources: docs/airflow-facts.md (the official
 * docker-compose files, the Helm chart, the image's entrypoint).
 */
export interface AirflowCatalogue {
  /** The components that run, in a fixed order: web, scheduler, dag-processor, triggerer, worker, flower. */
  components: AirflowComponent[];
  /** The UI (api-server on Airflow 3, webserver on 2), also in `components`. */
  web: AirflowComponent;
  /**
   * The pods KubernetesExecutor starts for tasks, from the pod template:
   * user code, so they get the least (present with that executor only).
   */
  taskPod?: TaskPod;
  steps: {
    migrate: Step;
    /** Present when the spec asks for an admin user. */
    createAdmin?: AdminStep;
    waitForMigrations: WaitStep;
  };
}

export type Role = 'web' | 'scheduler' | 'dag-processor' | 'triggerer' | 'worker' | 'flower';

export interface AirflowComponent {
  /** What platforms that name by component call it: `api-server` or `webserver`, `scheduler`, `dag-processor`, `triggerer`, `worker`, `flower`. */
  name: string;
  role: Role;
  /** Its key under the spec's `components`, where its size is set. */
  spec: keyof ComponentsModel;
  resources: Resources;
  /**
   * Arguments of the official image's entrypoint, which runs a bare command
   * as `airflow <args>`; `airflowArgv` gives the whole command line, for a
   * platform that states one.
   */
  args: string[];
  /** Variables this component needs beyond the shared settings. */
  environment: { name: string; value: string }[];
  ports: {
    /** Where it serves HTTP (the UI, Flower), inside the container. */
    http?: number;
    /** Where users reach that HTTP server: its `components.<spec>.port`. */
    published?: number;
    /** The log server the UI reads a running task's (or trigger's) log from, at the address the component recorded. */
    logs?: { of: 'task' | 'triggerer'; port: number };
  };
  /**
   * How to tell it is alive: an HTTP GET where it serves one (the official
   * docker-compose file's choice), a command where the Helm chart probes with one;
   * a target picks by its platform's convention. A platform restarts or
   * replaces what fails it (a Kubernetes liveness probe, an ECS container
   * health check), so it never waits on the metadata database: the UI's is
   * its version endpoint, not its health endpoint.
   */
  liveness: { http?: HttpCheck; command?: CommandCheck };
  /**
   * How to tell it can take requests: components that serve HTTP only. The
   * UI's is Airflow's full health check (database included), for what only
   * stops sending traffic (a readiness probe, a load balancer's target group).
   */
  readiness?: HttpCheck;
  /** Seconds to finish after SIGTERM (the Helm chart's terminationGracePeriodSeconds), where the chart sets one. */
  stopGraceSeconds?: number;
  /** It finishes running work after SIGTERM (Celery's warm shutdown), so its grace period matters on every platform. */
  drains: boolean;
  /** It reads DAG files; the UI and Flower read serialized DAGs from the database. */
  dags: boolean;
  /**
   * What it does with remote task logs: `write` where tasks or triggers run
   * (their supervisor uploads the log, reading the existing object first to
   * append), `read` for the UI that shows them; none otherwise. Sources:
   * docs/airflow-facts.md §10.
   */
  remoteLogs?: 'read' | 'write';
  /** Components that must be healthy before it starts (Airflow 3's workers run tasks through the api-server's execution API). */
  after: Role[];
  /** Which secrets it gets (`settingsFor` applies it); why each one, in docs/airflow-facts.md §7f. */
  secrets: AirflowSecret[];
  /** Which settings (from airflowSettings) it needs. */
  config: ConfigNeeds;
}

/** A process that gets secrets and settings: a component, a task pod, a step. */
export interface SecretConsumer {
  secrets: AirflowSecret[];
  config: ConfigNeeds;
}

/** A KubernetesExecutor task pod: the pod template's `base` container, whose command the executor sets. */
export interface TaskPod extends SecretConsumer {
  name: 'task';
  /** Variables it needs beyond the shared settings. */
  environment: { name: string; value: string }[];
}

/** An HTTP GET, answered 2xx without a login when healthy. */
export interface HttpCheck {
  path: string;
  port: number;
}

/** A check command as text for `sh -c` in the container, in each convention a platform may follow. */
export interface CommandCheck {
  /** As the official docker-compose file writes it: this container's instance by `${HOSTNAME}` (compose escapes `$` itself). */
  byHostname: string;
  /** As a container health check without the image's entrypoint: the instance by the host name Airflow recorded. */
  local: string;
  /** As the Helm chart's exec probe: through the image's entrypoint, without its database wait, quietly. */
  probe: string;
  /** Seconds the check may take, where it is slower than a health check's usual 10. */
  timeoutSeconds?: number;
}

/** The secrets of Airflow's configuration, by what they are. */
export type AirflowSecret = 'fernetKey' | 'apiSecretKey' | 'jwtSecret' | 'database' | 'broker' | 'adminPassword' | 'connections' | 'variables' | 'environment';

/**
 * Settings a process needs, by variable name: `all`, or names, where a name
 * ending in `__` stands for a whole section (`AIRFLOW__DATABASE__`).
 */
export type ConfigNeeds = 'all' | string[];

/** A one-off command that prepares the database. */
export interface Step extends SecretConsumer {
  /** Arguments of the image's entrypoint, as for a component. */
  args: string[];
}

/**
 * Creates the admin user; `users create` leaves an existing user alone, so
 * it can run on every deploy. `args` end with the password flag: a target
 * appends its platform's reference to `password`.
 */
export interface AdminStep extends Step {
  password: SecretRef;
}

/** Waits for the migration to this version (or fails after `timeoutSeconds`). */
export interface WaitStep extends Step {
  timeoutSeconds: number;
}

/** Airflow's own default for the UI's port (`[api] port`, `[webserver] web_server_port`). */
export const AIRFLOW_WEB_PORT = 8080;

/** Flower's port, `[celery] flower_port`, which afc leaves at its default. */
export const FLOWER_PORT = 5555;

/**
 * How long a waiting process gives the migration: 600 s on every platform.
 * A first migration on a small RDS instance can take minutes. On ECS a wait
 * that gives up exits non-zero, and three such tasks trip the deployment
 * circuit breaker, which rolls the whole stack back; on Kubernetes a longer
 * wait only keeps the init container waiting instead of restarting it with a
 * growing back-off (the Helm chart's `images.migrationsWaitTimeout` is 60).
 */
const MIGRATION_WAIT_SECONDS = 600;

/** What the migration and its waiters need: the database, and the auth manager whose tables migrate too (FAB). */
export const DATABASE_CONFIG: ConfigNeeds = ['AIRFLOW__DATABASE__', 'AIRFLOW__CORE__AUTH_MANAGER'];

/**
 * Variables of a process that gets no database URL: the image's entrypoint
 * would otherwise run `airflow db check` against the default SQLite file
 * (CONNECTION_CHECK_MAX_COUNT=0 skips it; docs/airflow-facts.md §5, §7b).
 */
const NO_DATABASE_CHECK = { name: 'CONNECTION_CHECK_MAX_COUNT', value: '0' } as const;

/**
 * Which secrets each process gets, by Airflow major version and executor:
 * what code in that process reads (docs/airflow-facts.md §7b for Airflow 3,
 * §7c for Airflow 2), and nothing more. The JWT signing secret goes only to
 * the processes that sign or verify tokens (the api-server, the scheduler);
 * the API secret key only to the UI and the processes that serve logs to it.
 * Where the source leaves a doubt the choice is the conservative one, and
 * says so (§7f).
 */
export function secretsOf(model: Pick<Model, 'facts' | 'airflow'>, process: Role | 'task'): AirflowSecret[] {
  const v3 = model.facts.major >= 3;
  const executor = model.airflow.executor;
  const jwt: AirflowSecret[] = model.facts.jwtSecretEnv ? ['jwtSecret'] : [];
  // Connections and variables: where DAG code, parse-time code or triggers read them (on Airflow 3 tasks also ask the api-server).
  const user: AirflowSecret[] = ['connections', 'variables', 'environment'];
  switch (process) {
    case 'web':
      return ['fernetKey', 'apiSecretKey', ...jwt, 'database', ...user];
    case 'scheduler':
      return [
        'fernetKey',
        // LocalExecutor runs tasks in the scheduler and serves their logs.
        ...(executor === 'LocalExecutor' ? (['apiSecretKey'] as const) : []),
        ...jwt,
        'database',
        ...(executor === 'CeleryExecutor' ? (['broker'] as const) : []),
        // Airflow 2 parses DAGs in the scheduler (unless standalone) and runs LocalExecutor tasks there; Airflow 3 only the latter.
        ...(!v3 || executor === 'LocalExecutor' ? user : (['environment'] as const)),
      ];
    case 'dag-processor':
      return ['fernetKey', 'database', ...user];
    case 'triggerer':
      return ['fernetKey', 'apiSecretKey', 'database', ...user];
    case 'worker':
      // Airflow 3: the database for Celery's result backend; the fernet key for the Task SDK's own get_fernet (3.3), conservatively on every 3.x.
      return ['fernetKey', 'apiSecretKey', 'database', 'broker', ...user];
    case 'flower':
      return ['broker', 'environment'];
    case 'task':
      // Airflow 3 tasks cannot use the database (the ORM is blocked); Airflow 2 tasks read it directly.
      return ['fernetKey', ...(v3 ? [] : (['database'] as const)), ...user];
  }
}

/** Steps that run in one container (a platform's init service or task): what any of them gets. */
export function stepsConsumer(steps: readonly SecretConsumer[]): SecretConsumer {
  const config = steps.some((s) => s.config === 'all') ? 'all' : [...new Set(steps.flatMap((s) => s.config as string[]))];
  return { secrets: [...new Set(steps.flatMap((s) => s.secrets))], config };
}

/** Whether a process that needs `config` needs the setting named `name`. */
export function needsSetting(config: ConfigNeeds, name: string): boolean {
  return config === 'all' || config.some((n) => (n.endsWith('__') ? name.startsWith(n) : name === n));
}

/**
 * The whole command line of entrypoint arguments, `airflow <args>`, for a
 * platform that states one (an ECS container's command, a pod's args): the
 * image's entrypoint runs it as it runs the bare `args`.
 */
export function airflowArgv(args: readonly string[]): string[] {
  return ['airflow', ...args];
}

/** `airflow` and its arguments as one line for bash, each word quoted as it needs. */
export function airflowCommandLine(args: readonly string[]): string {
  return airflowArgv(args).map(shellWord).join(' ');
}

/** `airflow` and the command of `args` without its options, for prose: `airflow db migrate`. */
export function commandName(args: readonly string[]): string {
  return airflowArgv(args.filter((a) => !a.startsWith('-'))).join(' ');
}

/**
 * The migration, then the admin user when there is one, as a bash script
 * for platforms that run both in one container; `password` is shell text
 * that expands to the admin password (a variable the platform sets).
 */
export function migrationScript(catalogue: AirflowCatalogue, password: string): string {
  const { migrate, createAdmin } = catalogue.steps;
  const lines = ['set -euo pipefail', airflowCommandLine(migrate.args)];
  if (createAdmin) lines.push(`${airflowCommandLine(createAdmin.args)} ${password}`);
  return `${lines.join('\n')}\n`;
}

/** The catalogue of a model; pure, so every target that asks gets the same answer. */
export function airflowCatalogue(model: Model): AirflowCatalogue {
  const f = model.facts;
  const c = model.components;
  const jobCheck = (jobType: string): CommandCheck => ({
    byHostname: `airflow jobs check --job-type ${jobType} --hostname "\${HOSTNAME}"`,
    local: `airflow jobs check --job-type ${jobType} --local`,
    probe: `CONNECTION_CHECK_MAX_COUNT=0 AIRFLOW__LOGGING__LOGGING_LEVEL=ERROR exec /entrypoint airflow jobs check --job-type ${jobType} --local`,
  });
  const component = (
    role: Role,
    spec: keyof ComponentsModel,
    resources: Resources,
    args: string[],
    rest: Partial<AirflowComponent> & Pick<AirflowComponent, 'liveness' | 'dags'>,
  ): AirflowComponent => ({
    name: role,
    role,
    spec,
    resources,
    args,
    environment: [],
    ports: {},
    drains: false,
    after: [],
    secrets: secretsOf(model, role),
    config: 'all',
    ...rest,
  });

  const webHealth: HttpCheck = { path: f.web.healthPath, port: c.webserver.port };
  // Liveness must not depend on the database: a slow database would restart every UI process at once.
  const webAlive: HttpCheck = { path: f.web.alivePath, port: c.webserver.port };
  const web = component('web', 'webserver', c.webserver, [...f.web.command], {
    name: f.web.component,
    // Airflow listens on its default port unless told otherwise.
    environment:
      c.webserver.port === AIRFLOW_WEB_PORT
        ? []
        : [{ name: f.major >= 3 ? 'AIRFLOW__API__PORT' : 'AIRFLOW__WEBSERVER__WEB_SERVER_PORT', value: String(c.webserver.port) }],
    ports: { http: c.webserver.port, published: c.webserver.port },
    liveness: { http: webAlive },
    readiness: webHealth,
    stopGraceSeconds: 30,
    dags: false,
    remoteLogs: 'read',
  });
  const components = [
    web,
    component('scheduler', 'scheduler', c.scheduler, ['scheduler'], {
      // LocalExecutor runs tasks in the scheduler, which serves their logs.
      ports: model.airflow.executor === 'LocalExecutor' ? { logs: { of: 'task', port: f.logServerPorts.task } } : {},
      liveness: { http: { path: '/health', port: f.schedulerHealthPort }, command: jobCheck(f.jobTypes.scheduler) },
      stopGraceSeconds: 10,
      dags: true,
      ...(model.airflow.executor === 'LocalExecutor' ? { remoteLogs: 'write' as const } : {}),
    }),
  ];
  if (f.standaloneDagProcessor)
    components.push(
      component('dag-processor', 'dagProcessor', c.dagProcessor, ['dag-processor'], {
        liveness: { command: jobCheck(f.jobTypes.dagProcessor) },
        stopGraceSeconds: 60,
        dags: true,
      }),
    );
  if (c.triggerer.replicas > 0)
    components.push(
      component('triggerer', 'triggerer', c.triggerer, ['triggerer'], {
        ports: { logs: { of: 'triggerer', port: f.logServerPorts.triggerer } },
        liveness: { command: jobCheck(f.jobTypes.triggerer) },
        stopGraceSeconds: 60,
        dags: true,
        remoteLogs: 'write',
      }),
    );
  if (c.workers)
    components.push(
      component('worker', 'workers', c.workers, ['celery', 'worker', '--queues', c.workers.queues.join(',')], {
        // The image's entrypoint otherwise signals the whole process group, and Celery's warm shutdown cannot finish running tasks.
        environment: [{ name: 'DUMB_INIT_SETSID', value: '0' }],
        ports: { logs: { of: 'task', port: f.logServerPorts.task } },
        liveness: {
          command: {
            byHostname: `celery --app ${f.celeryApp} inspect ping -d "celery@\${HOSTNAME}"`,
            // `hostname`: /bin/sh need not set $HOSTNAME.
            local: `celery --app ${f.celeryApp} inspect ping -d "celery@$(hostname)"`,
            probe: `CONNECTION_CHECK_MAX_COUNT=0 exec /entrypoint python -m celery --app ${f.celeryApp} inspect ping -d celery@$(hostname)`,
            // It starts a Python interpreter and waits for the broker's answer.
            timeoutSeconds: 20,
          },
        },
        stopGraceSeconds: 600,
        drains: true,
        dags: true,
        remoteLogs: 'write',
        after: f.executionApiPath ? ['web'] : [],
      }),
    );
  if (c.flower) {
    const flowerHealth: HttpCheck = { path: '/', port: FLOWER_PORT };
    components.push(
      component('flower', 'flower', c.flower, ['celery', 'flower'], {
        environment: [NO_DATABASE_CHECK],
        ports: { http: FLOWER_PORT, published: c.flower.port },
        liveness: { http: flowerHealth },
        readiness: flowerHealth,
        dags: false,
      }),
    );
  }

  const admin = model.secrets.adminUser;
  const wait = ['db', 'check-migrations', `--migration-wait-timeout=${MIGRATION_WAIT_SECONDS}`];
  const taskSecrets = secretsOf(model, 'task');
  return {
    components,
    web,
    ...(model.airflow.executor === 'KubernetesExecutor'
      ? { taskPod: { name: 'task', secrets: taskSecrets, config: 'all', environment: taskSecrets.includes('database') ? [] : [NO_DATABASE_CHECK] } }
      : {}),
    steps: {
      // Airflow 2.9's migration re-saves trigger kwargs encrypted (docs/airflow-facts.md §7c).
      migrate: { args: ['db', 'migrate'], secrets: f.major >= 3 ? ['database'] : ['database', 'fernetKey'], config: DATABASE_CONFIG },
      ...(admin
        ? {
            createAdmin: {
              args: [
                'users',
                'create',
                '--role',
                'Admin',
                '--username',
                admin.username,
                '--email',
                admin.email,
                '--firstname',
                admin.firstName,
                '--lastname',
                admin.lastName,
                '--password',
              ],
              password: admin.password,
              secrets: ['database', 'adminPassword'],
              config: DATABASE_CONFIG,
            },
          }
        : {}),
      waitForMigrations: { args: wait, secrets: ['database'], config: DATABASE_CONFIG, timeoutSeconds: MIGRATION_WAIT_SECONDS },
    },
  };
}
