import { memoryForTaskSlots, SIZING } from '../../airflow/sizing.ts';
import { parseAirflowVersion } from '../../normalize/airflow-version.ts';
import { toMiB } from '../../normalize/normalize.ts';
import type { Rule } from '../rule-context.ts';

export const uniqueQueues: Rule = ({ spec, report }) => {
  const queues = spec.components?.workers?.queues ?? [];
  const seen = new Map<string, number>();
  queues.forEach((queue, index) => {
    const first = seen.get(queue);
    if (first === undefined) seen.set(queue, index);
    else
      report(
        'error',
        'AFC2009',
        ['components', 'workers', 'queues', index],
        `queue "${queue}" is listed twice (items ${first + 1} and ${index + 1})`,
        'remove the duplicate',
        'value',
      );
  });
};

export const autoscalingBounds: Rule = ({ spec, report }) => {
  const workers = spec.components?.workers;
  const scaling = workers?.autoscaling;
  if (!workers || !scaling) return;
  const min = scaling.min ?? 1;
  if (min > scaling.max) {
    report(
      'error',
      'AFC2014',
      ['components', 'workers', 'autoscaling', 'min'],
      `autoscaling min (${min}) is above max (${scaling.max})`,
      'min must be at most max',
      'value',
    );
    return;
  }
  const replicas = workers.replicas;
  if (replicas !== undefined && (replicas < min || replicas > scaling.max)) {
    report(
      'warning',
      'AFC2014',
      ['components', 'workers', 'replicas'],
      `workers.replicas (${replicas}) is outside the autoscaling bounds ${min}–${scaling.max}; the autoscaler will move it into them`,
      undefined,
      'value',
    );
  }
};

export const dagProcessorOnAirflow3: Rule = ({ spec, report }) => {
  const major = parseAirflowVersion(spec.airflow.version)?.major;
  if (major !== undefined && major >= 3 && spec.components?.dagProcessor?.replicas === 0) {
    report(
      'error',
      'AFC2015',
      ['components', 'dagProcessor', 'replicas'],
      'Airflow 3 parses DAGs only in the standalone DAG processor; it cannot be turned off',
      'remove replicas: 0 (the default is 1)',
      'value',
    );
  }
};

/**
 * Airflow 3 without `secrets.adminUser` runs the SimpleAuthManager, which
 * generates the admin password in each api-server process on its first start
 * (a file in its own container): with several replicas, each one accepts a
 * different password and a login works on one replica only. Checked for the
 * base spec and for each environment overlay that sets the replicas, the
 * version or the admin user.
 */
export const replicatedWebNeedsAdminUser: Rule = ({ spec, report }) => {
  type Layer = { replicas?: unknown; version?: unknown; admin?: unknown };
  const base: Layer = { replicas: spec.components?.webserver?.replicas, version: spec.airflow.version, admin: spec.secrets?.adminUser };
  const warn = (replicas: number, path: (string | number)[]) =>
    report(
      'warning',
      'AFC2023',
      path,
      `${replicas} api-server replicas without secrets.adminUser: Airflow 3's default auth manager generates a different admin password in each replica, so a login works on one replica only`,
      'set secrets.adminUser (one password for every replica), or run one replica',
      'value',
    );
  const check = (layer: Layer, path: (string | number)[]) => {
    const major = typeof layer.version === 'string' ? parseAirflowVersion(layer.version)?.major : undefined;
    if (typeof layer.replicas === 'number' && layer.replicas > 1 && major !== undefined && major >= 3 && !layer.admin) warn(layer.replicas, path);
  };
  check(base, ['components', 'webserver', 'replicas']);
  for (const [env, overlay] of Object.entries(spec.environments ?? {})) {
    const o = overlay as { components?: { webserver?: { replicas?: unknown } }; airflow?: { version?: unknown }; secrets?: { adminUser?: unknown } };
    const replicas = o.components?.webserver?.replicas;
    const version = o.airflow?.version;
    const admin = o.secrets?.adminUser;
    if (replicas === undefined && version === undefined && admin === undefined) continue;
    const merged: Layer = { replicas: replicas ?? base.replicas, version: version ?? base.version, admin: admin ?? base.admin };
    // The base spec's own warning already points at its replicas.
    if (replicas === undefined && JSON.stringify(merged) === JSON.stringify(base)) continue;
    check(merged, replicas !== undefined ? ['environments', env, 'components', 'webserver', 'replicas'] : ['environments', env]);
  }
};

/**
 * A component that runs tasks needs memory for its task slots
 * (compiler/airflow/sizing.ts): a Celery worker for `concurrency`, the
 * LocalExecutor's scheduler for `[core] parallelism`. Only when the spec gives
 * both: given one, afc derives the other.
 */
export const memoryHoldsTaskSlots: Rule = ({ spec, report }) => {
  const executor = spec.airflow.executor ?? 'LocalExecutor';
  const workers = spec.components?.workers;
  const check = (path: (string | number)[], memory: string, slots: number, what: string) => {
    const needed = memoryForTaskSlots(slots);
    if (toMiB(memory) >= needed) return;
    report(
      'warning',
      'AFC2024',
      path,
      `${memory} is less than ${slots} ${what} need: ${needed}Mi (${SIZING.baseMiB}Mi, and ${SIZING.slotMiB}Mi a task: two Airflow processes each)`,
      `raise the memory to ${needed}Mi, or leave out the task count and afc derives it from the memory`,
      'value',
    );
  };
  if (executor === 'CeleryExecutor' && workers?.memory && workers.concurrency)
    check(['components', 'workers', 'memory'], workers.memory, workers.concurrency, 'worker slots (concurrency)');
  const parallelism = Number(spec.airflow.config?.core?.parallelism ?? Number.NaN);
  const scheduler = spec.components?.scheduler?.memory;
  if (executor === 'LocalExecutor' && scheduler && Number.isInteger(parallelism) && parallelism > 0)
    check(['components', 'scheduler', 'memory'], scheduler, parallelism, 'LocalExecutor tasks ([core] parallelism)');
};
