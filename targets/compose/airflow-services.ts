import { type AirflowCatalogue, type AirflowComponent, migrationScript } from '../../compiler/airflow/components.ts';
import type { Resources } from '../../compiler/normalize/model.ts';
import { healthcheck, type ComposeService } from './compose-types.ts';

export interface AirflowServiceBase {
  image: string;
  /** compose's pull_policy, when the spec asks for other than pulling a missing image. */
  pullPolicy?: 'always' | 'never';
  user: string;
  volumes: string[];
  dependsOn: ComposeService['depends_on'];
}

/** What one service gets of the settings: the plain ones, and the env file with its secrets when it has any. */
export interface ServiceEnvironment {
  environment: Record<string, string>;
  envFile?: string;
}

/** The init service's variable with the admin password, from its env file. */
export const INIT_ADMIN_PASSWORD = '_AFC_ADMIN_PASSWORD';

/** Compose service names that other files refer to; a component's is serviceName's. */
export const SERVICE = {
  init: 'airflow-init',
  scheduler: 'airflow-scheduler',
} as const;

/** `airflow-<component>`, as the official compose file names them (the api-server without its hyphen). */
export function serviceName(component: AirflowComponent): string {
  return `airflow-${component.role === 'web' ? component.name.replace('-', '') : component.name}`;
}

function service(base: AirflowServiceBase, env: ServiceEnvironment, command: string[], extra: Partial<ComposeService>, resources?: Resources): ComposeService {
  const { environment, depends_on, ...rest } = extra;
  const svc: ComposeService = {
    image: base.image,
    ...(base.pullPolicy ? { pull_policy: base.pullPolicy } : {}),
    command,
    user: base.user,
    ...(env.envFile ? { env_file: [env.envFile] } : {}),
    environment: { ...env.environment, ...environment },
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

/**
 * The migration service: the database migration, then the admin user when
 * one is asked for (its password from .env); every Airflow service waits for
 * it to succeed. Creating a user that exists leaves it alone, so a restart of
 * the stack is safe.
 */
export function initService(catalogue: AirflowCatalogue, base: AirflowServiceBase, env: ServiceEnvironment): ComposeService {
  const script = migrationScript(catalogue, `"\${${INIT_ADMIN_PASSWORD}}"`);
  const { restart: _, ...svc } = service(base, env, ['bash', '-c', script], {});
  return svc;
}

/** The health check of the official compose file: HTTP where the component serves it, else its command for this container. */
function componentHealthcheck(component: AirflowComponent): ComposeService['healthcheck'] {
  const { http, command } = component.liveness;
  if (http) return healthcheck(['CMD', 'curl', '--fail', `http://localhost:${http.port}${http.path}`]);
  return healthcheck(['CMD-SHELL', command!.byHostname]);
}

/** A compose duration: whole minutes as minutes. */
const duration = (seconds: number) => (seconds % 60 === 0 ? `${seconds / 60}m` : `${seconds}s`);

/**
 * One Airflow component as a service. `ports` publishes it; `resources`
 * replaces its size (one UI owns the published port). Only a component that
 * drains gets its grace period: the others stop within compose's default.
 */
export function componentService(
  catalogue: AirflowCatalogue,
  component: AirflowComponent,
  base: AirflowServiceBase,
  env: ServiceEnvironment,
  options: { ports?: string[]; resources?: Resources } = {},
): ComposeService {
  const after = catalogue.components.filter((c) => component.after.includes(c.role));
  return service(
    base,
    env,
    component.args,
    {
      ...(component.environment.length ? { environment: Object.fromEntries(component.environment.map((e) => [e.name, e.value])) } : {}),
      ...(options.ports ? { ports: options.ports } : {}),
      healthcheck: componentHealthcheck(component),
      ...(component.drains && component.stopGraceSeconds ? { stop_grace_period: duration(component.stopGraceSeconds) } : {}),
      ...(after.length ? { depends_on: Object.fromEntries(after.map((c) => [serviceName(c), { condition: 'service_healthy' as const }])) } : {}),
    },
    options.resources ?? component.resources,
  );
}
