import { shellWord } from '../../compiler/emit/shell.ts';
import type { Model, Resources } from '../../compiler/normalize/model.ts';
import { healthcheck, literal, type ComposeService } from './compose-types.ts';

/** Spec text as one word of a shell command in the compose file. */
const word = (text: string) => literal(shellWord(text));

export interface AirflowServiceBase {
  image: string;
  /** compose's pull_policy, when the spec asks for other than pulling a missing image. */
  pullPolicy?: 'always' | 'never';
  user: string;
  environment: Record<string, string>;
  envFile: boolean;
  volumes: string[];
  dependsOn: ComposeService['depends_on'];
}

/** Compose service names of the Airflow components. */
export const SERVICE = {
  init: 'airflow-init',
  webserver: 'airflow-webserver',
  apiServer: 'airflow-apiserver',
  scheduler: 'airflow-scheduler',
  dagProcessor: 'airflow-dag-processor',
  triggerer: 'airflow-triggerer',
  worker: 'airflow-worker',
  flower: 'airflow-flower',
} as const;

export function webServiceName(model: Model): string {
  return model.facts.major >= 3 ? SERVICE.apiServer : SERVICE.webserver;
}

function service(base: AirflowServiceBase, command: string[], extra: Partial<ComposeService>, resources?: Resources): ComposeService {
  const { environment, depends_on, ...rest } = extra;
  const svc: ComposeService = {
    image: base.image,
    ...(base.pullPolicy ? { pull_policy: base.pullPolicy } : {}),
    command,
    user: base.user,
    ...(base.envFile ? { env_file: ['.env'] } : {}),
    environment: { ...base.environment, ...environment },
    ...(base.volumes.length ? { volumes: base.volumes } : {}),
    depends_on: { ...base.dependsOn, ...depends_on },
    restart: 'always',
    ...rest,
  };
  if (resources) {
    svc.deploy = {
      ...(resources.replicas !== 1 ? { replicas: resources.replicas } : {}),
      resources: { limits: { cpus: String(resources.cpu), memory: `${resources.memoryMiB}M` } },
    };
  }
  return svc;
}

/** `airflow jobs check` for a component, as the official compose file runs it. */
function jobCheck(jobType: string): string[] {
  return ['CMD-SHELL', `airflow jobs check --job-type ${jobType} --hostname "$\${HOSTNAME}"`];
}

/**
 * The migration service: runs `airflow db migrate`, then creates the admin
 * user when one is asked for; every Airflow service waits for it to succeed.
 */
export function initService(model: Model, base: AirflowServiceBase): ComposeService {
  const lines = ['set -euo pipefail', 'airflow db migrate'];
  const admin = model.secrets.adminUser;
  if (admin) {
    // `users create` leaves an existing user alone, so a restart of the stack is safe. The password comes from .env.
    lines.push(
      `airflow users create --role Admin --username ${word(admin.username)} --email ${word(admin.email)} --firstname ${word(admin.firstName)} --lastname ${word(admin.lastName)} --password "$\${_AFC_ADMIN_PASSWORD}"`,
    );
  }
  const { restart: _, ...svc } = service(base, ['bash', '-c', `${lines.join('\n')}\n`], {});
  return svc;
}

export function webService(model: Model, base: AirflowServiceBase, port: string): ComposeService {
  const web = model.components.webserver;
  return service(
    base,
    model.facts.web.command,
    {
      ports: [port],
      healthcheck: healthcheck(['CMD', 'curl', '--fail', `http://localhost:${web.port}${model.facts.web.healthPath}`]),
      ...(web.port !== 8080
        ? { environment: model.facts.major >= 3 ? { AIRFLOW__API__PORT: String(web.port) } : { AIRFLOW__WEBSERVER__WEB_SERVER_PORT: String(web.port) } }
        : {}),
    },
    { ...web, replicas: 1 },
  );
}

export function schedulerService(model: Model, base: AirflowServiceBase): ComposeService {
  return service(
    base,
    ['scheduler'],
    { healthcheck: healthcheck(['CMD', 'curl', '--fail', `http://localhost:${model.facts.schedulerHealthPort}/health`]) },
    model.components.scheduler,
  );
}

export function dagProcessorService(model: Model, base: AirflowServiceBase): ComposeService | undefined {
  if (!model.facts.standaloneDagProcessor) return undefined;
  return service(base, ['dag-processor'], { healthcheck: healthcheck(jobCheck(model.facts.jobTypes.dagProcessor)) }, model.components.dagProcessor);
}

export function triggererService(model: Model, base: AirflowServiceBase): ComposeService | undefined {
  if (model.components.triggerer.replicas === 0) return undefined;
  return service(base, ['triggerer'], { healthcheck: healthcheck(jobCheck(model.facts.jobTypes.triggerer)) }, model.components.triggerer);
}

export function workerService(model: Model, base: AirflowServiceBase): ComposeService | undefined {
  const workers = model.components.workers;
  if (!workers || workers.replicas === 0) return undefined;
  return service(
    base,
    ['celery', 'worker', '--queues', workers.queues.join(',')],
    {
      // Celery's warm shutdown lets running tasks finish; the Helm chart allows them 600 s.
      environment: { DUMB_INIT_SETSID: '0' },
      healthcheck: healthcheck(['CMD-SHELL', `celery --app ${model.facts.celeryApp} inspect ping -d "celery@$\${HOSTNAME}"`]),
      stop_grace_period: '10m',
      // On Airflow 3, workers run tasks through the api-server's execution API.
      ...(model.facts.major >= 3 ? { depends_on: { [SERVICE.apiServer]: { condition: 'service_healthy' } } } : {}),
    },
    workers,
  );
}

export function flowerService(model: Model, base: AirflowServiceBase): ComposeService | undefined {
  const flower = model.components.flower;
  if (!flower) return undefined;
  // Flower has no login: published on loopback only, whatever network.allowedCidrs says.
  return service(
    base,
    ['celery', 'flower'],
    { ports: [`127.0.0.1:${flower.port}:5555`], healthcheck: healthcheck(['CMD', 'curl', '--fail', 'http://localhost:5555/']) },
    flower,
  );
}
